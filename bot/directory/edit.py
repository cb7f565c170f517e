"""Coordinators' edits (`/annuaire ajouter`, `/annuaire modifier`) and counsellors' reports, as plain functions.

A form is validated with the same rules as an import, but strictly: a value the import would drop with a
warning (a phone number it cannot read…) is an error here, because the person can fix it on the spot.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.core.errors import InvalidFields, UserFacingError
from bot.core.text import fold, parse_number
from bot.db import Database
from bot.directory.hours import HoursError, french_to_osm, osm_to_french
from bot.directory.positions import is_approximate, locate_place
from bot.directory.schema import Place, departement_of
from bot.directory.store import add_report, find_place, save_place, set_closed
from bot.directory.validate import check_place, display_phone, normalize_phone
from bot.directory.vocabulary import parse_terms

FORM_FIELDS = ("nom", "adresse", "code_postal", "commune", "telephone", "horaires", "services", "publics",
               "courriels", "site_web", "presentation_resume")
PUBLIC_FIELDS = ("publics_specifiquement_adresses", "prise_en_charge_specifique")
EDIT_SOURCE = "relais"


def hours_for_form(expr: str | None) -> str:
    """Stored hours as the coordinator will edit them: in French when that reads back to the same OSM
    expression, else the OSM text itself (the form accepts both)."""
    if not expr:
        return ""
    french = osm_to_french(expr)
    try:
        return french if french_to_osm(french) == expr else expr
    except HoursError:
        return expr


def form_defaults(place: Place | None) -> dict[str, str]:
    if place is None:
        return {}
    return {
        "nom": place.nom, "adresse": place.adresse, "code_postal": place.code_postal, "commune": place.commune,
        "telephone": display_phone(place.telephone), "horaires": hours_for_form(place.horaires),
        "services": ", ".join(place.services),
        "publics": ", ".join(place.publics_specifiquement_adresses + place.prise_en_charge_specifique),
        "courriels": ", ".join(place.courriels), "site_web": ", ".join(place.site_web),
        "presentation_resume": place.presentation_resume or "",
    }


@dataclass
class FormResult:
    place: Place
    changed: list[str] = field(default_factory=list)  # French names of what changed ([] = nothing)
    hours_read: str = ""  # the hours as understood, in French, for the coordinator to check


FIELD_LABELS = {"code_postal": "code postal", "telephone": "téléphone", "publics_specifiquement_adresses": "publics",
                "prise_en_charge_specifique": "publics", "courriels": "courriel", "site_web": "site",
                "presentation_resume": "présentation"}
COMPARED = ("nom", "adresse", "code_postal", "commune", "telephone", "horaires", "services", *PUBLIC_FIELDS,
            "courriels", "site_web", "presentation_resume")


def place_from_form(form: dict[str, Any], *, existing: Place | None, today: date) -> FormResult:
    """Validate a submitted dialog into a place (new when `existing` is None). Fields not in the form are kept.
    Every wrong field gets its own message (`InvalidFields`); the others are kept as typed (the dialog re-asks
    only those)."""
    errors: dict[str, str] = {}
    services, problems = parse_terms(str(form.get("services") or ""), ("services",))
    if problems:
        errors["services"] = " ".join(problems)
    publics, problems = parse_terms(str(form.get("publics") or ""), PUBLIC_FIELDS)
    if problems:
        errors["publics"] = " ".join(problems)
    phone = str(form.get("telephone") or "").strip()
    if phone and normalize_phone(phone, departement_of(str(form.get("code_postal") or ""))) is None:
        errors["telephone"] = f"téléphone « {phone} » illisible : écrivez par exemple 04 76 12 34 56"
    hours = ""
    try:
        hours = french_to_osm(str(form.get("horaires") or ""))
    except HoursError as exc:
        errors["horaires"] = str(exc)[:1].upper() + str(exc)[1:]
    base = existing.content() if existing else {}
    values: dict[str, Any] = {**{k: v for k, v in base.items()}, "id": existing.local_id if existing else
                              uuid.uuid4().hex[:12], "source": existing.data_source if existing else None,
                              "date_maj": today}
    for name in FORM_FIELDS:
        values[name] = form.get(name) or None
    values["horaires"] = hours or None
    values["services"] = services["services"]
    values.update(publics)
    values["courriels"] = str(form.get("courriels") or "").replace(",", "|").replace(";", "|")
    values["site_web"] = str(form.get("site_web") or "").replace(",", "|").replace(";", "|").replace(" ", "")
    checked = check_place(values, source=existing.source if existing else EDIT_SOURCE,
                          extra=existing.extra if existing else {})
    for problem in checked.rejected + checked.warnings:
        if problem.field in FORM_FIELDS:
            errors.setdefault(problem.field, problem.reason.replace(", ignoré", "").replace(", ignorés", "")
                              .replace(", ignorée", ""))
    if errors or checked.place is None:
        raise InvalidFields(errors or {"nom": "fiche incomplète"})
    place = replace(checked.place, ref=existing.ref if existing else None,
                    closed_at=existing.closed_at if existing else None)
    changed = [] if existing is None else list(dict.fromkeys(
        FIELD_LABELS.get(name, name) for name in COMPARED if getattr(existing, name) != getattr(place, name)))
    return FormResult(place, changed, osm_to_french(place.horaires) if place.horaires else "")


def save_form(db: Database, form: dict[str, Any], *, ref: int | None, by: str, today: date) -> FormResult:
    """Validate and save in one transaction; `by` (the coordinator) and the time go to the audit trail.
    An edit that changes nothing writes nothing (`changed` is then empty). A new place, or one whose address
    changed, is positioned again (`locate_place`). `UserFacingError` (nothing saved) for a wrong form or a place
    gone meanwhile."""
    with db.session() as s:
        existing = None
        if ref is not None:
            existing = find_place(s, str(ref))
            if existing is None:
                raise UserFacingError(f"Le lieu n° {ref} n’existe plus.", field="nom")
        result = place_from_form(form, existing=existing, today=today)
        if existing is not None and not result.changed:
            return FormResult(existing, [], result.hours_read)
        place = result.place
        if existing is None or not existing.has_coordinates or any(
                fold(getattr(existing, n) or "") != fold(getattr(place, n) or "")
                for n in ("adresse", "code_postal", "commune")):
            locate_place(s, place)
        saved, _changes = save_place(s, place, by=by)
        return FormResult(saved, result.changed, result.hours_read)


def unknown_place(ref_text: str) -> str:
    """The one sentence for a number that names no place, shown by every command that takes one."""
    number = parse_number(ref_text)
    shown = f"n° {number}" if number is not None else f"« {ref_text.strip()} »"
    return (f"Aucun lieu {shown} dans l’annuaire. Le numéro d’un lieu figure en bas de sa fiche (« n° 6 ») : "
            "cherchez le lieu, par exemple `/annuaire caf grenoble`.")


def set_open(db: Database, ref_text: str, *, closed: bool, by: str) -> tuple[bool, str]:
    """Close or reopen a place by hand (a coordinator knows it has moved or shut); (changed, French message)."""
    with db.session() as s:
        place = find_place(s, ref_text)
        if place is None or place.ref is None:
            return False, unknown_place(ref_text)
        if (place.closed_at is not None) == closed:
            state = "déjà fermé" if closed else "ouvert"
            return False, f"« {place.nom} » (n° {place.ref}) est {state} : rien à faire."
        set_closed(s, place.ref, closed=closed, by=by)
    if closed:
        return True, (f"« {place.nom} » (n° {place.ref}) est fermé : il n’apparaît plus dans les recherches. "
                      f"Pour annuler : `/annuaire rouvrir {place.ref}`.")
    return True, f"« {place.nom} » (n° {place.ref}) est rouvert : il apparaît de nouveau dans les recherches."


def report_place(db: Database, ref_text: str, message: str, *, reporter_id: str, reporter_name: str
                 ) -> tuple[Place, int]:
    """Record a report; returns the place and the report's number. Nothing recorded and a `UserFacingError`
    (French, said to the counsellor as is) for an unknown place or an empty message."""
    message = message.strip()
    with db.session() as s:
        place = find_place(s, ref_text)
        if place is None or place.ref is None:
            raise UserFacingError(unknown_place(ref_text))
        if len(message) < 3:
            raise UserFacingError("Dites en quelques mots ce qui n’est plus à jour, par exemple : "
                                  "nouveau numéro 04 76 00 00 00.")
        report = add_report(s, place.ref, reporter_id=reporter_id, reporter_name=reporter_name, message=message)
        return place, report.id


def details_lines(place: Place) -> list[tuple[str, str]]:
    """Every filled field with a French label, for the full card ("Fiche")."""
    rows = [
        ("Fermé", f"depuis le {place.closed_at:%d/%m/%Y} : absent du dernier fichier de sa source, caché des "
                  "recherches" if place.closed_at else ""),
        ("Adresse", ", ".join(x for x in (place.adresse, place.complement_adresse,
                                          f"{place.code_postal} {place.commune}") if x)),
        ("Téléphone", display_phone(place.telephone)),
        ("Courriel", ", ".join(place.courriels)),
        ("Site", ", ".join(place.site_web)),
        ("Horaires", osm_to_french(place.horaires) if place.horaires else ""),
        ("Rendez-vous", place.prise_rdv or ("possible" if place.takes_appointments else "")),
        ("Services", ", ".join(place.services)),
        ("Publics", ", ".join(place.publics_specifiquement_adresses) or "tout public"),
        ("Accompagnement adapté", ", ".join(place.prise_en_charge_specifique)),
        ("Frais", ", ".join(place.frais_a_charge)),
        ("Dispositifs", ", ".join(place.dispositif_programmes_nationaux)),
        ("Labels", ", ".join(place.formations_labels + place.autres_formations_labels)),
        ("Accès", ", ".join(place.modalites_acces)),
        ("Accompagnement", ", ".join(place.modalites_accompagnement)),
        ("Itinérance", ", ".join(place.itinerance)),
        ("Présentation", place.presentation_resume or place.presentation_detail or ""),
        ("Accessibilité", place.fiche_acces_libre or ""),
        ("Position", "approximative (centre de la commune) : les distances sont indicatives"
         if is_approximate(place) else ""),
        ("Mise à jour", place.date_maj.strftime("%d/%m/%Y") if place.date_maj else ""),
        ("Source", place.data_source or place.source),
    ]
    return [(k, v) for k, v in rows if v]
