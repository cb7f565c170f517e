"""Re-imports close what a source no longer lists (kept, hidden, reversible); `--partial` closes nothing.

Truth is computed from the files (which ids were dropped, which rows were edited), never from Relais's output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db import Database
from bot.directory import import_files
from bot.directory.models import DirectoryChange, DirectoryPlace
from bot.directory.search import DirectoryService
from bot.directory.store import find_place, load_places, set_closed

FS = "france-services_liste-fs-20240801.csv"


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def newer_fs(shared_data: Path, tmp_path: Path) -> tuple[Path, set[str], set[str], dict[str, str]]:
    """A "newer" France Services list: every 500th place gone, every 700th with a new phone, one new place."""
    header, rows = _rows(shared_data / FS)
    gone = {r["id_fs"] for i, r in enumerate(rows) if i % 500 == 0}
    edited = {r["id_fs"] for i, r in enumerate(rows) if i % 700 == 350}
    kept = []
    for r in rows:
        if r["id_fs"] in gone:
            continue
        if r["id_fs"] in edited:
            r = {**r, "telephone": "04 76 00 00 00" if r["telephone"] != "04 76 00 00 00" else "04 76 11 11 11"}
        kept.append(r)
    new = {**rows[1], "id_fs": "nouveau-1", "lib_fs": "France services de Nulle-Part-les-Bains"}
    kept.append(new)
    names = {r["id_fs"]: r["lib_fs"] for r in rows}
    return _write(tmp_path / "liste-fs-20250101.csv", header, kept), gone, edited, names


def test_full_reimport_closes_the_missing_and_a_later_file_reopens_them(
        db: Database, shared_data: Path, newer_fs: tuple[Path, set[str], set[str], dict[str, str]]) -> None:
    newer, gone, edited, names = newer_fs
    [first] = import_files(db, [shared_data / FS])
    total = first.added
    assert total == 2845 and first.closed == 0
    [second] = import_files(db, [newer])
    assert (second.added, second.updated, second.closed, second.reopened) == (1, len(edited), len(gone), 0)
    assert second.unchanged == total - len(gone) - len(edited)
    assert f"{len(gone)} fermés" in second.summary() and "1 ajouté," in second.summary()
    with db.session() as s:
        shown = {p.local_id for p in load_places(s, source="france-services")}
        every = {p.local_id for p in load_places(s, source="france-services", closed=True)}
        closed_rows = s.scalars(select(DirectoryPlace).where(DirectoryPlace.closed_at.is_not(None))).all()
        audit = s.scalars(select(DirectoryChange).where(DirectoryChange.action == "closed")).all()
    assert shown.isdisjoint(gone) and gone <= every  # kept for history, not shown
    assert {r.local_id for r in closed_rows} == gone and len(audit) == len(gone)
    assert all(r.closed_by == f"import {newer.name}" for r in closed_rows)
    # Never in search results.
    one_gone = sorted(gone)[0]
    index = DirectoryService(db).index()
    hits = index.search(names[one_gone], now=closed_rows[0].updated_at, limit=20).results
    assert all(h.place.local_id != one_gone for h in hits)
    # The old list again: the gone places come back (reopened), the edits are undone.
    [third] = import_files(db, [shared_data / FS])
    assert (third.reopened, third.closed, third.added) == (len(gone), 1, 0)
    with db.session() as s:
        assert {p.local_id for p in load_places(s, source="france-services")} >= gone


def test_partial_file_closes_nothing(db: Database, shared_data: Path, tmp_path: Path) -> None:
    header, rows = _rows(shared_data / FS)
    import_files(db, [shared_data / FS])
    isere = _write(tmp_path / "isere.csv", header, [r for r in rows if r["insee_dep"] == "38"])
    [report] = import_files(db, [isere], source="france-services", partial=True)
    assert report.closed == 0 and report.unchanged == sum(r["insee_dep"] == "38" for r in rows)
    assert "import partiel" in report.summary()
    with db.session() as s:
        assert len(load_places(s, source="france-services")) == 2845


def test_a_file_without_any_valid_place_closes_nothing(db: Database, shared_data: Path, tmp_path: Path) -> None:
    header, rows = _rows(shared_data / FS)
    import_files(db, [shared_data / FS])
    broken = _write(tmp_path / "casse.csv", header, [{**r, "code_postal": "", "lib_fs": ""} for r in rows[:5]])
    [report] = import_files(db, [broken], source="france-services")
    assert report.closed == 0 and report.rejected_rows == 5
    assert any("rien n’a été fermé" in str(w) for w in report.warnings)


def test_close_and_reopen_by_hand(db: Database, shared_data: Path) -> None:
    import_files(db, [shared_data / FS])
    with db.session() as s:
        place = find_place(s, "france-services:" + _rows(shared_data / FS)[1][0]["id_fs"])
        assert place is not None and place.ref is not None
        closed = set_closed(s, place.ref, closed=True, by="@coord")
        assert closed is not None and closed.closed_at is not None
        assert set_closed(s, place.ref, closed=True, by="@coord").closed_at == closed.closed_at  # already closed
        assert place.ref not in {p.ref for p in load_places(s)}
        assert set_closed(s, place.ref, closed=False, by="@coord").closed_at is None  # type: ignore[union-attr]
        actions = [c.action for c in s.scalars(select(DirectoryChange).where(DirectoryChange.place_ref == place.ref)
                                                .order_by(DirectoryChange.id))]
    assert actions == ["added", "closed", "reopened"]


def test_cli_import_partial_and_close(db_url: str, shared_data: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAIS_DATABASE_URL", db_url)
    monkeypatch.delenv("RELAIS_CONFIG", raising=False)
    header, rows = _rows(shared_data / FS)
    assert main(["directory", "import", str(shared_data / FS)]) == 0
    smaller = _write(tmp_path / "fs.csv", header, rows[:-2])
    capsys.readouterr()
    assert main(["directory", "import", "--partial", "--source", "france-services", str(smaller)]) == 0
    assert "0 fermé (import partiel" in capsys.readouterr().out
    assert main(["directory", "import", "--source", "france-services", str(smaller)]) == 0
    assert "2 fermés" in capsys.readouterr().out
    assert main(["directory", "reopen", "1"]) == 0
    assert "est ouvert : rien à faire" in capsys.readouterr().out
    assert main(["directory", "close", "1"]) == 0
    out = capsys.readouterr().out
    assert "est fermé" in out and "relais directory reopen 1" in out
    assert main(["directory", "import", "--source", "france-services", str(smaller)]) == 0
    assert "0 fermé" in capsys.readouterr().out  # closed by hand: not counted again


async def test_coordinators_close_and_reopen_in_the_chat(db: Database, shared_data: Path) -> None:
    from datetime import UTC, datetime

    from bot.config import Settings
    from tests.fakes import Clock, fake_app
    from tests.harness import Harness

    import_files(db, [shared_data / FS])
    app = fake_app(Settings(database_url="unused", coordinators=("coord",)), db,
                   clock=Clock(datetime(2026, 11, 23, 9, tzinfo=UTC)))

    coord, camille = Harness(app, "id-coord", "coord"), Harness(app, "id-camille", "camille")
    assert "réservé aux coordinateurs" in (await camille.command("/annuaire fermer 1")).text
    closed = (await coord.command("/annuaire fermer 1")).text
    assert "est fermé" in closed and "/annuaire rouvrir 1" in closed
    with db.session() as s:
        assert 1 not in {p.ref for p in load_places(s)}
    details = await camille.click("annuaire", "fiche", {"ref": 1})
    assert any(f.title == "Fermé" for f in details.cards[0].fields)
    assert "est rouvert" in (await coord.command("/annuaire rouvrir n°1")).text
    assert "rien à faire" in (await coord.command("/annuaire rouvrir 1")).text
    assert "Aucun lieu n° 99999" in (await coord.command("/annuaire fermer 99999")).text
