"""Data at rest and in exports: the SQLite file is private, spreadsheet formulas typed by users stay text."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

from sqlalchemy import text

from bot.accompagnements.export import cell
from bot.db import Database


def test_a_new_sqlite_file_and_its_journal_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "relais.db"
    db = Database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (a INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    files = [p for p in tmp_path.iterdir() if p.name.startswith("relais.db")]
    assert {p.name for p in files} >= {"relais.db"}
    assert {p.name: stat.S_IMODE(os.stat(p).st_mode) for p in files} == {p.name: 0o600 for p in files}
    db.dispose()


def test_formula_cells_are_neutralised_as_owasp_advises() -> None:
    typed = ["=HYPERLINK(\"http://x\",\"clic\")", "=1+2", "+33 6 12", "-2", "@SUM(A1)", "\tx", "\rx"]
    assert [cell(t) for t in typed] == ["'" + t for t in typed]
    assert [cell(t) for t in ("Saint-Pierre", "CAF", "", None, "a=b", " =1")] == [
        "Saint-Pierre", "CAF", "", "", "a=b", " =1"]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([cell("=1+2")])
    assert out.getvalue().startswith("'=1+2")
