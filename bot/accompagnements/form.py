"""The accompaniment dialog: elements pre-filled with the last choices, and submission → raw values.

Mattermost dialogs have no multi-select, so the main thématique is a list and extra ones are typed
("mail, impots"), read with the same typo-tolerant vocabulary as the inline form.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.accompagnements import enums
from bot.accompagnements.inline import SHORT_VALUES
from bot.accompagnements.validation import COLLECTIVE_ONLY, INDIVIDUAL_ONLY, format_duration, parse_duration
from bot.accompagnements.vocabulary import lookup
from bot.core.replies import Dialog, DialogElement, Option
from bot.core.text import fold

CALLBACK = "save"
# Mattermost allows 24 bytes of title ("Accompagnement individuel" is 25): worded to fit, never cut.
DIALOG_TITLES = {"individuel": "Nouvel accompagnement", "collectif": "Nouvel atelier collectif"}
OTHER_DURATION = "autre"  # the duration list's "type it below" choice
# Validation field → dialog element that shows its error.
ERROR_ELEMENT = {"thematiques": "thematique", "participants_counts": "repartition", "lieu_code_postal": "lieu_commune",
                 "orientation_place": "structure_redirection", "oriente": "structure_redirection",
                 "beneficiaire_code_postal": "beneficiaire_commune", "type": "duree"}

# The raw values the dialog shows; anything else (lieu_nom, the orientation place…) travels in its state.
FIELDS = frozenset({"type", "date", "duree", "lieu_type", "lieu_commune", "thematiques", "precisions_demarche",
                    "materiel", "notes", "titre_atelier", "niveau", "participants_total", "participants_deja",
                    "participants_counts", "autonomie", "structure_redirection", "genre", "tranche_age", "statut",
                    "deja_accompagne", "oriente"})


def carried(values: dict[str, Any]) -> dict[str, Any]:
    """What the dialog cannot show but must keep: a quick form's `lieu:` name, a row's place of orientation…"""
    return {k: v for k, v in values.items() if k not in FIELDS}


def _opts(table: dict[str, str]) -> list[Option]:
    return [Option(code, label) for code, label in table.items()]


def _text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    return str(value) if value not in (None, "") else None


def duration_options(minutes: int | None) -> list[Option]:
    """The presets, plus the given duration when it is not one (a remembered 20 min is a choice in the list,
    never a pre-filled free field that would silently win over the duration picked)."""
    presets = list(enums.DURATION_PRESETS)
    if minutes is not None and minutes not in presets:
        presets = sorted([*presets, minutes])
    return [*(Option(str(m), format_duration(m)) for m in presets), Option(OTHER_DURATION, "Autre durée (à taper)")]


def build(kind: str, values: dict[str, Any], today: date, *, state: dict[str, Any] | None = None,
          title: str | None = None, remembered: bool = False) -> Dialog:
    """`values` are raw values (as in validation) used as defaults: last choices, a half-typed form or a row.

    `remembered`: the values are the previous entry's, so fields that only complete another choice (extra
    themes, the commune of a place that has none) are left empty: they would outlive a changed choice.
    """
    d = values.get("date")
    date_default = d.strftime("%d/%m/%Y") if isinstance(d, date) else (str(d) if d else today.strftime("%d/%m/%Y"))
    try:
        minutes: int | None = parse_duration(values["duree"]) if values.get("duree") else None
    except ValueError:
        minutes = None
    thematiques = list(values.get("thematiques") or [])
    main = thematiques[0] if thematiques else None
    extra = "" if remembered else ", ".join(enums.THEMATIQUES[t] for t in thematiques[1:] if t in enums.THEMATIQUES)
    materiel = ", ".join(enums.MATERIEL[m] for m in values.get("materiel") or [] if m in enums.MATERIEL)
    commune = _text(values, "lieu_commune")
    if remembered and values.get("lieu_type") not in enums.LIEUX_WITH_COMMUNE:
        commune = None
    el = [
        DialogElement("date", "Date", "date", default=date_default, placeholder="jj/mm/aaaa, hier…",
                      help="Pas de date future."),
        DialogElement("duree", "Durée", "select", default=str(minutes) if isinstance(minutes, int) else None,
                      optional=True, options=duration_options(minutes)),
        DialogElement("duree_autre", "Autre durée", optional=True, placeholder="2h30, 40min…",
                      help="Seulement avec « Autre durée (à taper) » au-dessus (24 h au plus)."),
        DialogElement("lieu_type", "Lieu", "select", default=_text(values, "lieu_type"), options=_opts(enums.LIEUX)),
        DialogElement("lieu_commune", "Commune du lieu", default=commune, optional=True,
                      help="Obligatoire « À domicile » et « Autre lieu »."),
        DialogElement("thematique", "Thématique principale", "select", default=main,
                      options=_opts(enums.THEMATIQUES)),
        DialogElement("thematiques_plus", "Autres thématiques", "select", default=extra or None, optional=True,
                      multiselect=True, options=_opts(enums.THEMATIQUES),
                      placeholder="mail, impots, sante…"),
        DialogElement("precisions_demarche", "Nom de la démarche", default=_text(values, "precisions_demarche"),
                      optional=True, placeholder="renouvellement carte d’identité",
                      help="Avec « Aide aux démarches administratives ». Jamais de nom ni de numéro de dossier."),
        DialogElement("materiel", "Matériel utilisé", default=materiel or None, optional=True,
                      placeholder="téléphone, ordinateur, tablette, aucun"),
    ]
    if kind == "collectif":
        el += [
            DialogElement("titre_atelier", "Titre de l’atelier", default=_text(values, "titre_atelier"),
                          optional=True),
            DialogElement("niveau", "Niveau", "select", default=_text(values, "niveau"), optional=True,
                          options=_opts(enums.NIVEAUX)),
            DialogElement("participants_total", "Nombre de participants", subtype="number",
                          default=_text(values, "participants_total")),
            DialogElement("participants_deja", "Dont déjà accompagnés", subtype="number", optional=True,
                          default=_text(values, "participants_deja")),
            DialogElement("repartition", "Répartition", optional=True,
                          default=format_counts(values.get("participants_counts")),
                          placeholder="f 4, h 2, 70+ 3, retraite 5",
                          help="Nombres par genre (f, h), âge (60-69, 70+…) ou statut. Le reste : non communiqué."),
        ]
    else:
        el += [
            DialogElement("autonomie", "Autonomie", "select", default=_text(values, "autonomie"), optional=True,
                          options=_opts(enums.AUTONOMIE)),
            DialogElement("structure_redirection", "Orientée vers", "select", optional=True,
                          default=_text(values, "structure_redirection"), options=_opts(enums.STRUCTURES_REDIRECTION)),
            DialogElement("orientation_query", "Lieu de l’annuaire", optional=True, max_length=150,
                          placeholder="caf grenoble, france services st pierre",
                          help="Facultatif : Relais cherche dans l’annuaire et vous propose les lieux à choisir."),
            DialogElement("genre", "Genre", "select", default=_text(values, "genre"), optional=True,
                          options=_opts(enums.GENRES)),
            DialogElement("tranche_age", "Tranche d’âge", "select", default=_text(values, "tranche_age"),
                          optional=True, options=_opts(enums.TRANCHES_AGE)),
            DialogElement("statut", "Statut", "select", default=_text(values, "statut"), optional=True,
                          options=_opts(enums.STATUTS)),
            DialogElement("deja_accompagne", "Déjà accompagnée", "bool", optional=True,
                          placeholder="Oui, je l’ai déjà accompagnée",
                          default="true" if values.get("deja_accompagne") else "false"),
        ]
    el.append(DialogElement("notes", "Notes", "textarea", default=_text(values, "notes"), optional=True,
                            max_length=2000, help="Sans nom, téléphone, e-mail ni date de naissance."))
    st = {"type": kind, **(state or {})}
    if remembered and commune:
        st["remembered_commune"] = commune
    return Dialog(CALLBACK, title or DIALOG_TITLES[kind], el, submit_label="Enregistrer", state=st,
                  introduction="Tout est anonyme : ne notez rien qui permette de reconnaître la personne.")


def format_counts(counts: dict[str, dict[str, int]] | None) -> str | None:
    if not counts:
        return None
    short = {"feminin": "f", "masculin": "h"}
    parts = []
    for group, values in counts.items():
        for code, n in values.items():
            label = short.get(code) or next((k for k, v in SHORT_VALUES.get(group, {}).items() if v == code), code)
            parts.append(f"{label} {n}")
    return ", ".join(parts)


def parse_terms(text: str, kind: str) -> tuple[list[str], list[str]]:
    """Codes of `kind` found in "mail, impots" (typos tolerated), and the words not understood."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;/\n]| et ", text or ""):
        part = part.strip()
        if not part:
            continue
        hit, _ = lookup(part)
        matches = [t.code for t in hit if t.kind == kind]
        if len(matches) == 1:
            codes.append(matches[0])
        else:
            unknown.append(part)
    return codes, unknown


def parse_counts(text: str) -> tuple[dict[str, dict[str, int]], list[str]]:
    """"f 4, h 2, 70+ 3, retraite 5" → {"genre": {"feminin": 4, …}, …}; unknown parts are returned."""
    counts: dict[str, dict[str, int]] = {}
    bad: list[str] = []
    lookup_table = {(k, group): code for group, table in SHORT_VALUES.items() if group in enums.PUBLIC_ENUMS
                    for k, code in table.items()}
    for group, table in enums.PUBLIC_ENUMS.items():
        for code, label in table.items():
            lookup_table[(fold(code), group)] = code
            lookup_table[(fold(label), group)] = code
    for part in re.split(r"[,;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(.+?)\s*[:=]?\s*(\d+)", part) or re.fullmatch(r"(\d+)\s+(.+)", part)
        if not m:
            bad.append(part)
            continue
        word, n = (m[1], m[2]) if not m[1].isdigit() else (m[2], m[1])
        key = fold(word).strip()
        key = {"femmes": "f", "femme": "f", "hommes": "h", "homme": "h"}.get(key, key)
        hits = [(group, code) for (k, group), code in lookup_table.items() if k == key]
        if len({g for g, _ in hits}) != 1:
            bad.append(part)
            continue
        group, code = hits[0]
        counts.setdefault(group, {})[code] = counts.get(group, {}).get(code, 0) + int(n)
    return counts, bad


def submission_values(kind: str, sub: dict[str, Any], *, remembered_commune: str | None = None,
                      ) -> tuple[dict[str, Any], dict[str, str]]:
    """Dialog submission → raw values for `validate`, plus errors for words the form could not read.

    `remembered_commune`: the commune pre-filled from the last entry, dropped if the place chosen now has none.
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"type": kind}
    for name in ("date", "lieu_type", "lieu_commune", "precisions_demarche", "notes", "titre_atelier", "niveau",
                 "participants_total", "participants_deja", "autonomie", "structure_redirection", "genre",
                 "tranche_age", "statut"):
        value = sub.get(name)
        if value not in (None, ""):
            values[name] = value.strip() if isinstance(value, str) else value
    values["duree"], problems = _duration(sub)
    errors.update(problems)
    if remembered_commune and values.get("lieu_commune") == remembered_commune \
            and values.get("lieu_type") not in enums.LIEUX_WITH_COMMUNE:
        del values["lieu_commune"]  # the last entry's commune does not follow a place that has none
    thematiques = [sub["thematique"]] if sub.get("thematique") else []
    extra, unknown = parse_terms(sub.get("thematiques_plus") or "", "thematique")
    if unknown:
        errors["thematiques_plus"] = f"Je ne reconnais pas « {', '.join(unknown)} » comme thématique."
    thematiques = list(dict.fromkeys(thematiques + extra))
    # As in the inline form: an administrative sub-theme implies the theme it belongs to.
    if any(t in enums.THEMATIQUES_ADMINISTRATIVES for t in thematiques) and enums.DEMARCHES not in thematiques:
        thematiques.insert(0, enums.DEMARCHES)
    values["thematiques"] = thematiques
    materiel, unknown = parse_terms(sub.get("materiel") or "", "materiel")
    if unknown:
        errors["materiel"] = (f"Je ne reconnais pas « {', '.join(unknown)} ». "
                              "Écrivez ordinateur, téléphone, tablette, autre ou aucun.")
    values["materiel"] = materiel
    if kind == "collectif" and sub.get("repartition"):
        counts, bad = parse_counts(sub["repartition"])
        if bad:
            errors["repartition"] = (f"Je ne comprends pas « {', '.join(bad)} ». "
                                     "Exemple : f 4, h 2, 70+ 3, retraite 5.")
        values["participants_counts"] = counts
    if kind == "individuel" and sub.get("deja_accompagne") is not None:
        values["deja_accompagne"] = sub.get("deja_accompagne") in (True, "true", "True", "1", "oui")
    return values, errors


def _duration(sub: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """One duration from the list and the free field; two different ones are refused, never one silently kept."""
    chosen = sub.get("duree") or None
    typed = str(sub.get("duree_autre") or "").strip()
    if chosen == OTHER_DURATION:
        if typed:
            return typed, {}
        return None, {"duree_autre": "Autre durée : tapez la durée (par exemple 2h30 ou 40min), ou choisissez-en "
                                     "une dans la liste « Durée »."}
    if not typed or chosen is None:
        return typed or chosen, {}
    try:
        picked = parse_duration(chosen)
        if parse_duration(typed) == picked:
            return chosen, {}
        shown = format_duration(picked)
    except ValueError:
        shown = str(chosen)
    return None, {
        "duree": f"Durée : deux durées différentes, {shown} dans la liste et « {typed} » dans « Autre durée ». "
                 "Choisissez « Autre durée (à taper) » pour garder celle tapée.",
        "duree_autre": "Autre durée : à remplir seulement avec « Autre durée (à taper) » dans la liste ; "
                       "sinon videz ce champ (tapez - dans la console).",
    }


def row_values(row: Any) -> dict[str, Any]:
    """An existing row as raw values that `validate` accepts back: to pre-fill "Modifier", or to change one thing.

    The other type's columns are left out (an individual row stores 1 participant, which `validate` refuses).
    """
    other = COLLECTIVE_ONLY if row.type == "individuel" else INDIVIDUAL_ONLY
    names = ("type", "date", "lieu_type", "lieu_nom", "lieu_commune", "lieu_code_postal", "thematiques",
             "precisions_demarche", "materiel", "notes", "autonomie", "structure_redirection", "genre", "tranche_age",
             "statut", "deja_accompagne", "beneficiaire_commune", "beneficiaire_code_postal", "titre_atelier", "niveau",
             "participants_total", "participants_deja", "participants_counts")
    values = {n: getattr(row, n) for n in names if n not in other}
    values["duree"] = row.duration_min
    if row.orientation_place_id:
        values["orientation_place"] = {"source": row.orientation_source, "id": row.orientation_place_id,
                                       "name": row.orientation_place_name}
    return values
