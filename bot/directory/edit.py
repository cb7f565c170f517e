"""Coordinators' edits (`/annuaire ajouter`, `/annuaire modifier`) and counsellors' reports, as plain functions.

A form is validated with the same rules as an import, but strictly: a value the import would drop with a
warning (a phone number it cannot read…) is an error here, because the person can fix it on the spot.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.core.text import fold, parse_number
from bot.db import Database
from bot.directory.gazetteer import Gazetteer
from bot.directory.hours import is_valid as hours_valid
from bot.directory.hours import osm_to_french
from bot.directory.query import load_filters
from bot.directory.schema import SERVICES, Place, departement_of
from bot.directory.store import add_report, find_place, save_place
from bot.directory.validate import check_place, display_phone, normalize_phone

FORM_FIELDS = ("nom", "adresse", "code_postal", "commune", "telephone", "horaires", "services", "courriels",
               "site_web", "presentation_resume")
EDIT_SOURCE = "relais"


def form_defaults(place: Place | None) -> dict[str, str]:
    if place is None:
        return {}
    return {
        "nom": place.nom, "adresse": place.adresse, "code_postal": place.code_postal, "commune": place.commune,
        "telephone": display_phone(place.telephone), "horaires": place.horaires or "",
        "services": ", ".join(place.services), "courriels": ", ".join(place.courriels),
        "site_web": ", ".join(place.site_web), "presentation_resume": place.presentation_resume or "",
    }


def _services(text: str) -> tuple[list[str], str | None]:
    """Official names or the short names counsellors use ("démarches administratives")."""
    filters, _ = load_filters()
    by_name = {fold(s): [s] for s in SERVICES}
    by_name.update({fold(f.name): list(f.values) for f in filters if f.field == "services"})
    out: list[str] = []
    for item in (i.strip() for i in re.split(r"[,\n|;]", text or "")):
        if not item:
            continue
        values = by_name.get(fold(item))
        if values is None:
            return [], (f"« {item} » n'est pas un service connu. Services possibles : "
                        + ", ".join(f.name for f in filters if f.field == "services") + ".")
        out += [v for v in values if v not in out]
    return out, None


@dataclass
class FormResult:
    place: Place | None
    errors: dict[str, str]


def place_from_form(form: dict[str, Any], *, existing: Place | None, today: date,
                    gazetteer: Gazetteer | None = None) -> FormResult:
    """Validate a submitted dialog into a place (new when `existing` is None). Fields not in the form are kept."""
    errors: dict[str, str] = {}
    services, err = _services(str(form.get("services") or ""))
    if err:
        errors["services"] = err
    phone = str(form.get("telephone") or "").strip()
    if phone and normalize_phone(phone, departement_of(str(form.get("code_postal") or ""))) is None:
        errors["telephone"] = f"téléphone « {phone} » illisible : écrivez par exemple 04 76 12 34 56"
    hours = str(form.get("horaires") or "").strip()
    if hours and not hours_valid(hours):
        errors["horaires"] = ("horaires illisibles : écrivez par exemple Mo-Fr 09:00-12:00,14:00-17:00; "
                              "Sa 09:00-12:00 (jours en anglais, heures sur 24 h)")
    base = existing.content() if existing else {}
    values: dict[str, Any] = {**{k: v for k, v in base.items()}, "id": existing.local_id if existing else
                              uuid.uuid4().hex[:12], "source": existing.data_source if existing else None,
                              "date_maj": today}
    for name in FORM_FIELDS:
        values[name] = form.get(name) or None
    values["services"] = services
    values["courriels"] = str(form.get("courriels") or "").replace(",", "|").replace(";", "|")
    values["site_web"] = str(form.get("site_web") or "").replace(",", "|").replace(";", "|").replace(" ", "")
    checked = check_place(values, source=existing.source if existing else EDIT_SOURCE,
                          extra=existing.extra if existing else {})
    for problem in checked.rejected + checked.warnings:
        if problem.field in FORM_FIELDS or problem.field in ("code_postal",):
            errors.setdefault(problem.field, problem.reason.replace(", ignoré", "").replace(", ignorés", "")
                              .replace(", ignorée", ""))
    if errors or checked.place is None:
        return FormResult(None, errors or {"nom": "fiche incomplète"})
    place = replace(checked.place, ref=existing.ref if existing else None)
    commune_changed = existing is None or fold(existing.commune) != fold(place.commune) \
        or existing.code_postal != place.code_postal
    if commune_changed and gazetteer is not None:
        # No geocoder offline: a new place is put at the centre of its commune (known from the directory).
        loc = gazetteer.recognise(f"{place.commune} {place.code_postal}")
        if loc is not None and loc.point is not None:
            place.latitude, place.longitude = loc.point
            place.extra["coordonnees"] = "centre de la commune (approximatif)"
        elif existing is not None:
            place.latitude = place.longitude = None
    return FormResult(place, {})


def save_form(db: Database, form: dict[str, Any], *, ref: int | None, by: str, today: date,
              gazetteer: Gazetteer | None = None) -> FormResult:
    """Validate and save in one transaction; `by` (the coordinator) and the time go to the audit trail."""
    with db.session() as s:
        existing = None
        if ref is not None:
            existing = find_place(s, str(ref))
            if existing is None:
                return FormResult(None, {"nom": f"Le lieu n° {ref} n’existe plus."})
        result = place_from_form(form, existing=existing, today=today, gazetteer=gazetteer)
        if result.place is None:
            return result
        saved, _changes = save_place(s, result.place, by=by)
        return FormResult(saved, {})


def unknown_place(ref_text: str) -> str:
    """The one sentence for a number that names no place, shown by every command that takes one."""
    number = parse_number(ref_text)
    shown = f"n° {number}" if number is not None else f"« {ref_text.strip()} »"
    return (f"Aucun lieu {shown} dans l’annuaire. Le numéro d’un lieu figure en bas de sa fiche (« n° 6 ») : "
            "cherchez le lieu, par exemple `/annuaire caf grenoble`.")


def report_place(db: Database, ref_text: str, message: str, *, reporter_id: str, reporter_name: str
                 ) -> tuple[Place, int] | str:
    """Record a report; returns (place, report number) or a French error message."""
    message = message.strip()
    with db.session() as s:
        place = find_place(s, ref_text)
        if place is None or place.ref is None:
            return unknown_place(ref_text)
        if len(message) < 3:
            return "Dites en quelques mots ce qui n’est plus à jour, par exemple : nouveau numéro 04 76 00 00 00."
        report = add_report(s, place.ref, reporter_id=reporter_id, reporter_name=reporter_name, message=message)
        return place, report.id


def details_lines(place: Place) -> list[tuple[str, str]]:
    """Every filled field with a French label, for the full card ("Fiche")."""
    rows = [
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
        ("Mise à jour", place.date_maj.strftime("%d/%m/%Y") if place.date_maj else ""),
        ("Source", place.data_source or place.source),
    ]
    return [(k, v) for k, v in rows if v]
