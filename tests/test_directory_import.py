"""`relais directory import`: real files in the three formats, rejected rows, idempotence, audit, refresh."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.directory import NotADirectoryFile, import_files, load_bundled_directory, parse_file
from bot.directory.bundled import BUNDLED_DIR, BUNDLED_FILES
from bot.directory.models import DirectoryChange, DirectoryPlace
from bot.directory.schema import SERVICES, V1_FIELDS
from bot.directory.search import DirectoryService
from bot.directory.store import current_version, find_place, load_places

FS = "france-services_liste-fs-20240801.csv"
HINAURA = "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json"
PACA = "lieux-mediation-numerique_paca-hub-du-sud_20230517.json"
EXAMPLE = "schema-lieux-mediation-numerique/exemple-valide.csv"


def _example_rows(shared_data: Path) -> tuple[list[str], dict[str, str]]:
    reader = csv.DictReader(io.StringIO((shared_data / EXAMPLE).read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), next(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_v1_example_keeps_every_field_as_lists(db: Database, shared_data: Path) -> None:
    [report] = import_files(db, [shared_data / EXAMPLE])
    assert (report.added, report.rejected_rows, report.source) == (1, 0, "exemple-valide")
    with db.session() as s:
        [place] = load_places(s)
    assert place.local_id == "structure-1" and place.pivot == "43493312300029"
    assert place.typologie == ["TIERS_LIEUX", "ASSO"]
    assert place.courriels == ["contact@laquincaillerie.tl", "responsable@laquincaillerie.tl"]
    assert place.horaires == "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"
    assert place.publics_specifiquement_adresses == ["Jeunes", "Femmes"]
    assert place.frais_a_charge == ["Gratuit sous condition", "Payant"]
    assert place.modalites_accompagnement == ["Dans un atelier collectif", "À distance", "En autonomie",
                                              "Accompagnement individuel"]
    assert place.data_source == "Hubik" and place.itinerance == ["Itinérant"]
    assert place.autres_formations_labels == ["Label et la bête"]
    assert place.prise_rdv == "https://www.rdv-solidarites.fr/"
    # Round trip: the place written back as a national CSV row gives the same values.
    header, original = _example_rows(shared_data)
    row = place.to_v1_row()
    assert list(row) == list(V1_FIELDS) == header
    assert all(row[k] == original[k] for k in header if k not in ("latitude", "longitude"))


def test_real_files_import_then_reimport_is_idempotent(db: Database, shared_data: Path) -> None:
    reports = import_files(db, [shared_data / FS, shared_data / HINAURA, shared_data / PACA])
    assert [(r.added, r.updated, r.unchanged, r.rejected_rows) for r in reports] == [
        (2845, 0, 0, 0), (687, 0, 0, 0), (646, 0, 0, 0)]
    assert [r.source for r in reports][:2] == ["france-services", "hinaura"]
    with db.session() as s:
        version = current_version(s)
        valserhone = find_place(s, "france-services:1")
    assert valserhone is not None
    # Per-day hours became OSM opening_hours; the phone the standard's international form.
    assert valserhone.horaires == "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00"
    assert valserhone.telephone == "+33450568749"
    assert valserhone.dispositif_programmes_nationaux == ["France Services"]
    again = import_files(db, [shared_data / FS, shared_data / HINAURA, shared_data / PACA])
    assert [(r.added, r.updated, r.unchanged) for r in again] == [(0, 0, 2845), (0, 0, 687), (0, 0, 646)]
    with db.session() as s:
        assert current_version(s) == version  # nothing changed: other processes keep their index
        assert s.scalar(select(func.count()).select_from(DirectoryPlace)) == 4178


def test_v0_hub_vocabulary_is_translated_and_kept(db: Database) -> None:
    parsed = parse_file(BUNDLED_DIR / HINAURA)
    abondance = parsed.places[0]
    assert parsed.source == "hinaura"
    assert all(s in SERVICES for p in parsed.places for s in p.services)
    assert abondance.extra["v0_services"]  # the original wording is kept verbatim
    paca = parse_file(BUNDLED_DIR / PACA)
    cnfs = [p for p in paca.places if "Conseillers numériques" in p.dispositif_programmes_nationaux]
    assert cnfs, "labels_nationaux CNFS becomes the v1 programme 'Conseillers numériques'"


def test_bad_rows_are_reported_and_never_stop_nor_corrupt(db: Database, shared_data: Path, tmp_path: Path) -> None:
    header, good = _example_rows(shared_data)
    import_files(db, [_write_csv(tmp_path / "lieux.csv", header, [good])], source="reseau")
    rows = [
        {**good, "id": "a", "nom": "Lieu A"},
        {**good, "id": "b", "nom": ""},  # line 3: name missing
        {**good, "id": "c", "code_postal": "380"},  # line 4: bad postal code
        {**good, "id": "a", "nom": "Doublon"},  # line 5: duplicate id
        {**good, "id": "structure-1", "date_maj": "hier"},  # line 6: bad date, for an existing place
        {**good, "id": "d", "telephone": "pas de numéro", "horaires": "lundi matin"},  # kept, 2 warnings
    ]
    [report] = import_files(db, [_write_csv(tmp_path / "lieux.csv", header, rows)], source="reseau")
    assert (report.added, report.updated, report.unchanged, report.rejected_rows) == (2, 0, 0, 4)
    assert [(i.line, i.field) for i in report.rejected] == [(3, "nom"), (4, "code_postal"), (5, "id"), (6, "date_maj")]
    assert "380" in report.rejected[1].reason and "ligne 2" in report.rejected[2].reason
    assert {(i.line, i.field) for i in report.warnings} == {(7, "telephone"), (7, "horaires")}
    with db.session() as s:
        kept = find_place(s, "reseau:structure-1")
        d = find_place(s, "reseau:d")
    assert kept is not None and kept.date_maj is not None and kept.date_maj.isoformat() == "2024-04-02"
    assert d is not None and d.telephone is None and d.horaires is None


def test_changes_are_audited_with_who_and_what(db: Database, shared_data: Path, tmp_path: Path) -> None:
    header, good = _example_rows(shared_data)
    path = _write_csv(tmp_path / "lieux.csv", header, [good])
    import_files(db, [path], source="reseau", by="alice")
    _write_csv(path, header, [{**good, "telephone": "04 76 00 00 00"}])
    [report] = import_files(db, [path], source="reseau", by="bob")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    with db.session() as s:
        changes = list(s.scalars(select(DirectoryChange).order_by(DirectoryChange.id)))
    assert [c.action for c in changes] == ["added", "updated"]
    assert changes[1].changed_by.startswith("bob") and changes[1].changes["telephone"] == [
        "+33180059880", "+33476000000"]
    assert changes[1].changed_at is not None and changes[1].changed_at.tzinfo is not None


@pytest.mark.parametrize("content", [b"PK\x03\x04binary", b"nom;prenom\nDupont;Jean\n", b'{"a": 1}', b""])
def test_a_file_that_is_not_a_directory_gets_one_clear_message(db: Database, tmp_path: Path, content: bytes,
                                                               shared_data: Path) -> None:
    bad = tmp_path / "fichier.dat"
    bad.write_bytes(content)
    with pytest.raises(NotADirectoryFile) as err:
        import_files(db, [shared_data / EXAMPLE, bad])
    assert "fichier.dat" in str(err.value)
    with db.session() as s:  # the valid file listed first was not written either
        assert load_places(s) == []


def test_bundled_extract_loads_once_across_departements(db: Database) -> None:
    reports = load_bundled_directory(db)
    assert [r.file for r in reports] == list(BUNDLED_FILES)
    assert sum(r.added for r in reports) == 334 and all(r.rejected_rows == 0 for r in reports)
    assert load_bundled_directory(db) == []  # not empty any more: nothing to do
    with db.session() as s:
        deps = {p.departement for p in load_places(s)}
    assert {"01", "05", "13", "38", "971", "974"} <= deps


def test_index_follows_changes_made_by_another_process(db_url: str, shared_data: Path) -> None:
    """Two `Database` objects on the same database stand for two processes (serve + an import)."""
    serve_db, import_db = Database(db_url), Database(db_url)
    try:
        service = DirectoryService(serve_db, check_seconds=0, rebuild_gap=0)
        assert len(service.index()) == 0
        import_files(import_db, [shared_data / EXAMPLE])
        assert len(service.index()) == 0  # the old index keeps answering while the new one is built beside it
        service.settle()
        index = service.index()
        assert len(index) == 1 and index.places[0].nom == "Anonymal"
        assert service.index() is index  # unchanged version: no rebuild
    finally:
        serve_db.dispose()
        import_db.dispose()
