"""`relais directory import`: read a directory file whatever its flavour, and upsert its places.

Three formats are recognised from their content (never from the file name):
- the national v1 CSV of the *schéma des lieux de médiation numérique* (also as JSON records);
- the older v0 JSON of the regional hubs (Hinaura, Hub du Sud…), translated to the v1 vocabulary;
- the France Services list CSV of the ANCT, its per-day hours converted to OSM `opening_hours`.
Rows are checked one by one: a bad row is reported (line, field, reason) and skipped, the others are
saved in one transaction, so an import never leaves the directory half-written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.core.text import count_of, fold
from bot.db import Database
from bot.directory.hours import DAY_COLUMNS, HoursError, week_to_osm
from bot.directory.schema import Place
from bot.directory.store import close_missing, upsert_places
from bot.directory.validate import Problem, check_place, split_multi

FORMAT_V1 = "schéma v1 (CSV national)"
FORMAT_V1_JSON = "schéma v1 (JSON)"
FORMAT_V0 = "ancien schéma v0 (JSON des hubs régionaux)"
FORMAT_FS = "liste des France Services (ANCT)"


class NotADirectoryFile(Exception):
    """The file is not a directory at all; `str()` is one French sentence for the person importing."""


@dataclass(frozen=True)
class RowIssue:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line}, champ {self.field} : {self.reason}"


@dataclass
class ImportReport:
    file: str
    format: str
    source: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowIssue] = field(default_factory=list)  # one entry per problem of each rejected row
    warnings: list[RowIssue] = field(default_factory=list)
    rejected_rows: int = 0
    closed: int = 0
    reopened: int = 0
    partial: bool = False

    def summary(self) -> str:
        parts = [count_of(self.added, "ajouté"), count_of(self.updated, "mis à jour", "mis à jour"),
                 count_of(self.unchanged, "inchangé"),
                 count_of(self.closed, "fermé") + (" (import partiel : rien n’est fermé)" if self.partial else ""),
                 count_of(self.rejected_rows, "rejeté")]
        if self.reopened:
            parts.append(count_of(self.reopened, "rouvert"))
        return f"{self.file} ({self.format}, source « {self.source} ») : " + ", ".join(parts)


@dataclass
class ParsedFile:
    format: str
    source: str
    places: list[Place]
    report: ImportReport


# -- v0 → v1 vocabulary ------------------------------------------------------------------------
V0_SERVICES = {
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Réaliser des démarches administratives avec un accompagnement": "Aide aux démarches administratives",
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Créer avec le numérique": "Loisirs et créations numériques",
    "Soutenir la parentalité et l'éducation avec le numérique": "Parentalité et éducation avec le numérique",
    "S'équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "Sécuriser l'usage du numérique": "Utilisation sécurisée du numérique",
}
V0_PUBLICS = {
    "Jeunes (16-26 ans)": ("publics_specifiquement_adresses", "Jeunes"),
    "Seniors (+ 65 ans)": ("publics_specifiquement_adresses", "Seniors"),
    "Familles/enfants": ("publics_specifiquement_adresses", "Familles et/ou enfants"),
    "Étudiants": ("publics_specifiquement_adresses", "Étudiants"),
    "Uniquement femmes": ("publics_specifiquement_adresses", "Femmes"),
    "Surdité": ("prise_en_charge_specifique", "Surdité"),
    "Handicaps moteurs": ("prise_en_charge_specifique", "Handicaps moteurs"),
    "Déficience visuelle": ("prise_en_charge_specifique", "Déficience visuelle"),
    "Personnes en situation d'illettrisme": ("prise_en_charge_specifique", "Illettrisme"),
    "Public langues étrangères": ("prise_en_charge_specifique", "Langues étrangères (autres)"),
}
V0_CONDITIONS = {"gratuit": "Gratuit", "gratuit sous condition": "Gratuit sous condition", "payant": "Payant",
                 "adhesion": "Payant"}
V0_LABELS = {"cnfs": "Conseillers numériques", "france services": "France Services",
             "aidants connect": "Aidants Connect", "point numerique caf": "Point d'accès numérique CAF"}
V0_MODALITES = {"avec de l'aide": "Accompagnement individuel", "dans un atelier": "Dans un atelier collectif",
                "seul": "En autonomie", "a ma place": "Accompagnement individuel"}
V0_ONLY_KEYS = {"publics_accueillis", "conditions_acces", "labels_nationaux", "courriel"}
V1_ONLY_KEYS = {"publics_specifiquement_adresses", "frais_a_charge", "dispositif_programmes_nationaux",
                "modalites_acces", "courriels", "prise_en_charge_specifique"}


def _v0_to_v1(rec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    warnings: list[Problem] = []
    values: dict[str, Any] = {k: rec.get(k) for k in (
        "id", "nom", "pivot", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
        "latitude", "longitude", "telephone", "horaires", "source", "date_maj", "prise_rdv", "typologie",
        "presentation_resume", "presentation_detail", "structure_parente")}
    values["courriels"] = split_multi(rec.get("courriel"), "|;")
    values["site_web"] = split_multi(rec.get("site_web"), "|;")
    services: list[str] = []
    for item in split_multi(rec.get("services"), ";|"):
        target = V0_SERVICES.get(item)
        if target is None:
            warnings.append(Problem("services", f"service v0 « {item} » sans équivalent v1, conservé à part"))
        elif target not in services:
            services.append(target)
    values["services"] = services
    for item in split_multi(rec.get("publics_accueillis"), ";|"):
        key = next((k for k in V0_PUBLICS if fold(item).startswith(fold(k))), None)
        if key is None:
            if fold(item).startswith("handicaps mentaux"):
                values.setdefault("prise_en_charge_specifique", []).append("Handicaps mentaux")
            continue  # "Adultes" = tout public: nothing specific
        name, value = V0_PUBLICS[key]
        values.setdefault(name, []).append(value)
    frais = []
    for item in split_multi(rec.get("conditions_acces"), ";|"):
        head = fold(item.split(":", 1)[0].strip())
        if head in V0_CONDITIONS and V0_CONDITIONS[head] not in frais:
            frais.append(V0_CONDITIONS[head])
    values["frais_a_charge"] = frais
    values["dispositif_programmes_nationaux"] = [
        V0_LABELS[fold(i)] for i in split_multi(rec.get("labels_nationaux"), ";|") if fold(i) in V0_LABELS]
    modalites = []
    for item in split_multi(rec.get("modalites_accompagnement"), ";|"):
        head = fold(item.split(":", 1)[0].strip())
        if head in V0_MODALITES and V0_MODALITES[head] not in modalites:
            modalites.append(V0_MODALITES[head])
    values["modalites_accompagnement"] = modalites
    acces = []
    if rec.get("telephone"):
        acces.append("Téléphoner")
    if rec.get("courriel"):
        acces.append("Contacter par mail")
    if rec.get("prise_rdv"):
        acces.append("Prendre un RDV en ligne")
    values["modalites_acces"] = acces
    # The v0 wording is kept verbatim: v1 lost some nuances ("Accepte le Pass numérique", "A ma place"…).
    extra = {f"v0_{k}": rec[k] for k in ("services", "publics_accueillis", "conditions_acces", "labels_nationaux",
                                         "modalites_accompagnement") if rec.get(k)}
    extra.update({k: v for k, v in rec.items() if k not in values and k not in (
        "courriel", "services", "publics_accueillis", "conditions_acces", "labels_nationaux",
        "modalites_accompagnement") and v not in (None, "")})
    return values, extra, warnings


FS_SERVICES = ["Aide aux démarches administratives", "Accès internet et matériel informatique"]


def _fs_to_v1(rec: dict[str, Any], file_date: date) -> tuple[dict[str, Any], dict[str, Any], list[Problem]]:
    warnings: list[Problem] = []
    try:
        horaires = week_to_osm({code: rec.get(col) or "" for col, code in DAY_COLUMNS})
    except HoursError as exc:
        warnings.append(Problem("horaires", f"{exc} ; horaires ignorés"))
        horaires = None
    mobile = (rec.get("format_fs") or "") in ("Itinérante", "Bus_équivalent")
    mails = [m for m in re.split(r"[|;,]|\s-\s|\s+", rec.get("mail") or "") if m.strip()]
    values = {
        "id": rec.get("id_fs"), "nom": rec.get("lib_fs"), "adresse": rec.get("adresse"),
        "complement_adresse": rec.get("complement_adresse"), "code_insee": rec.get("insee_com"),
        "code_postal": rec.get("code_postal"), "commune": rec.get("lib_com"), "latitude": rec.get("latitude"),
        "longitude": rec.get("longitude"), "courriels": mails, "telephone": rec.get("telephone"),
        "horaires": horaires, "presentation_detail": rec.get("commentaire"), "source": "France Services (ANCT)",
        "itinerance": ["Itinérant"] if mobile else ["Fixe"], "structure_parente": rec.get("groupe_fs"),
        "date_maj": file_date, "services": FS_SERVICES, "frais_a_charge": ["Gratuit"],
        "dispositif_programmes_nationaux": ["France Services"],
        "modalites_acces": ["Se présenter", "Téléphoner"] + (["Contacter par mail"] if mails else []),
        "modalites_accompagnement": ["Accompagnement individuel"],
    }
    extra = {k: rec[k] for k in ("insee_dep", "prise_rdv", "type_fs", "format_fs", "labellisation_fs")
             + tuple(col for col, _ in DAY_COLUMNS) if rec.get(k)}
    return values, extra, warnings


# -- reading -----------------------------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:100] or "import"


def _file_date(path: Path) -> date:
    m = re.search(r"(20\d{2})(\d{2})(\d{2})", path.name)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime).date()


def _decode(data: bytes, name: str) -> str:
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        raise NotADirectoryFile(
            f"{name} n'est pas un annuaire lisible : c'est un fichier binaire (tableur Excel, archive…). "
            "Enregistrez-le au format CSV (UTF-8) ou JSON puis relancez l'import.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _json_records(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    """Top-level records with the line each one starts on (for precise error reports)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotADirectoryFile(f"{name} n'est pas un JSON valide (ligne {exc.lineno} : {exc.msg}).") from None
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not data or not all(isinstance(r, dict) for r in data):
        raise NotADirectoryFile(f"{name} ne contient pas de liste de lieux (un tableau JSON d'objets est attendu).")
    decoder = json.JSONDecoder()
    lines: list[int] = []
    start = text.find("[")
    pos = start + 1 if start >= 0 else 0
    try:
        while len(lines) < len(data):
            while text[pos] in " \t\r\n,":
                pos += 1
            lines.append(text.count("\n", 0, pos) + 1)
            _, pos = decoder.raw_decode(text, pos)
    except (IndexError, json.JSONDecodeError):
        lines = list(range(1, len(data) + 1))
    return list(zip(lines, data, strict=False))


def _csv_records(text: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except StopIteration:
        return [], []
    records: list[tuple[int, dict[str, Any]]] = []
    line = reader.line_num
    for cells in reader:
        start = line + 1
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        rec: dict[str, Any] = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        if len(cells) > len(header):
            rec["__extra_cells__"] = cells[len(header):]
        records.append((start, rec))
    return header, records


def _kind(keys: set[str]) -> str | None:
    if {"id_fs", "lib_fs"} <= keys:
        return "fs"
    if not {"nom", "commune"} <= keys:
        return None
    if keys & V1_ONLY_KEYS:
        return "v1"
    if keys & V0_ONLY_KEYS:
        return "v0"
    return "v1" if "id" in keys else None


def parse_file(path: Path | str, *, source: str | None = None) -> ParsedFile:
    """Read and check every row (no database access). Raises NotADirectoryFile for a foreign file."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise NotADirectoryFile(f"Fichier introuvable : {path}")
    text = _decode(path.read_bytes(), name)
    stripped = text.lstrip()
    if not stripped:
        raise NotADirectoryFile(f"{name} est vide.")
    if stripped[0] in "[{":
        records = _json_records(text, name)
        keys = {k.lower() for _, r in records[:200] for k in r}
        kind = _kind(keys)
        is_json = True
    else:
        header, records = _csv_records(text)
        kind = _kind(set(header))
        is_json = False
    if kind is None:
        raise NotADirectoryFile(
            f"{name} ne ressemble pas à un annuaire de lieux : il faut au moins les colonnes id, nom, commune, "
            "code_postal et adresse (schéma des lieux de médiation numérique), ou la liste des France Services.")
    if not records:
        raise NotADirectoryFile(f"{name} ne contient aucun lieu.")
    fmt = {"fs": FORMAT_FS, "v0": FORMAT_V0, "v1": FORMAT_V1_JSON if is_json else FORMAT_V1}[kind]
    if source is None:
        if kind == "fs":
            source = "france-services"
        else:
            origins = {str(r.get("source") or "").strip() for _, r in records}
            source = _slug(origins.pop()) if kind == "v0" and len(origins) == 1 and "" not in origins \
                else _slug(path.stem)
    report = ImportReport(file=name, format=fmt, source=source)
    file_date = _file_date(path)
    places: list[Place] = []
    seen: dict[str, int] = {}
    for line, rec in records:
        rec = {str(k).lower(): v for k, v in rec.items()}
        try:
            if kind == "fs":
                values, extra, warnings = _fs_to_v1(rec, file_date)
            elif kind == "v0":
                values, extra, warnings = _v0_to_v1(rec)
            else:
                values, extra, warnings = rec, {}, []
            checked = check_place(values, source=source, extra=extra)
        except Exception as exc:  # a row we cannot even read must not stop the others
            report.rejected.append(RowIssue(line, "*", f"ligne illisible ({type(exc).__name__})"))
            report.rejected_rows += 1
            continue
        report.warnings += [RowIssue(line, p.field, p.reason) for p in warnings + checked.warnings]
        if checked.place is None:
            report.rejected += [RowIssue(line, p.field, p.reason) for p in checked.rejected]
            report.rejected_rows += 1
            continue
        if checked.place.local_id in seen:
            report.rejected.append(RowIssue(
                line, "id", f"identifiant « {checked.place.local_id} » déjà vu ligne {seen[checked.place.local_id]}"))
            report.rejected_rows += 1
            continue
        seen[checked.place.local_id] = line
        places.append(checked.place)
    return ParsedFile(fmt, source, places, report)


def import_files(db: Database, paths: Iterable[Path | str], *, source: str | None = None,
                 by: str = "import", partial: bool = False) -> list[ImportReport]:
    """Parse every file first (a foreign file stops everything before any write), then save each source in
    its own transaction. A full import (the default) closes the source's places missing from its files;
    `partial` closes nothing."""
    parsed = [parse_file(p, source=source) for p in paths]
    return save_parsed(db, parsed, by=by, partial=partial)


def save_parsed(db: Database, parsed: list[ParsedFile], *, by: str, partial: bool = False,
                now: datetime | None = None) -> list[ImportReport]:
    """Upsert parsed files; files sharing a source make up that source together (closing looks at all of them),
    each source in its own transaction."""
    by_source: dict[str, list[ParsedFile]] = {}
    for item in parsed:
        by_source.setdefault(item.source, []).append(item)
    for items in by_source.values():
        with db.session() as s:
            save_source(s, items, by=by, partial=partial, now=now)
    return [item.report for item in parsed]


def save_source(session: Session, items: list[ParsedFile], *, by: str, partial: bool,
                now: datetime | None = None) -> None:
    """The files of one source, in the caller's transaction; fills their reports. A source whose files hold
    no valid place closes nothing (a broken file must not empty the directory)."""
    for item in items:
        item.report.partial = partial
        counts = upsert_places(session, item.places, by=f"{by} {item.report.file}", now=now)
        item.report.added, item.report.updated = counts.added, counts.updated
        item.report.unchanged, item.report.reopened = counts.unchanged, counts.reopened
    keep = {p.local_id for item in items for p in item.places}
    last = items[-1]
    if not partial and keep:
        last.report.closed = close_missing(session, last.source, keep, by=f"{by} {last.report.file}", now=now)
    elif not partial:
        last.report.warnings.append(RowIssue(0, "*", "aucun lieu valide : rien n’a été fermé"))
