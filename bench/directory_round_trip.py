"""Directory round trip on the real files: import → change → re-import → refresh → export (issue 15).

    .venv/bin/python bench/directory_round_trip.py [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]

1. Full import of the three real files of ../shared/data (France Services CSV, the two v0 hub JSON files).
2. Changes: a "newer" France Services list made by a fixed rule from the real one (every place whose id is a
   multiple of 97 is gone, every multiple of 53 has a new phone number, five new places), a partial file (the
   Isère places only), and a coordinator's edit typed in French through the same function as the dialog.
3. Re-import of the newer list (full), then a scheduled refresh over a local HTTP server (127.0.0.1) serving
   the original list again: the gone places come back (reopened).
4. Export of every open place (CSV and JSON), validated against schema.json with frictionless; the France
   Services export re-imported onto itself (nothing may change).
Expected figures are computed from the files by the rule above, independently of Relais, and compared.
Results: a table on stdout and bench/out/directory_round_trip.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer
from frictionless import Resource, Schema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import DirectorySource, Settings  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.directory import import_files  # noqa: E402
from bot.directory.edit import save_form  # noqa: E402
from bot.directory.export import export_places  # noqa: E402
from bot.directory.refresh import refresh_source  # noqa: E402
from bot.directory.store import load_places  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FS = DATA / "france-services_liste-fs-20240801.csv"
HUBS = [DATA / "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
        DATA / "lieux-mediation-numerique_paca-hub-du-sud_20230517.json"]
SCHEMA = DATA / "schema-lieux-mediation-numerique" / "schema.json"
OUT = ROOT / "bench" / "out"


def fs_rows() -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(FS.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def schema_errors(path: Path) -> int:
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    report = Resource(path.name, basepath=str(path.parent), schema=schema).validate(limit_errors=10_000)
    return sum(len(task.errors) for task in report.tasks)


async def serve(path: Path) -> TestServer:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=path.read_bytes(), content_type="text/csv")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", help="URL SQLAlchemy (par défaut : SQLite dans un dossier temporaire)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="relais-round-trip-"))
    db = Database(args.database or f"sqlite:///{work / 'relais.db'}")
    upgrade(db)
    with db.session() as s:
        if load_places(s, closed=True):
            sys.exit("La base n’est pas vide : donnez une base neuve (--database).")
    figures: dict[str, dict[str, int]] = {}
    expected: dict[str, dict[str, int]] = {}

    def record(step: str, report: object) -> None:
        figures[step] = {k: getattr(report, k) for k in ("added", "updated", "unchanged", "closed", "reopened")}
        figures[step]["rejected"] = report.rejected_rows  # type: ignore[attr-defined]

    # 1. import
    header, rows = fs_rows()
    for report in import_files(db, [FS, *HUBS], by="bench"):
        record(f"1. import {report.file}", report)
    expected["1. import " + FS.name] = {"added": len(rows), "closed": 0}

    # 2. changes, by a fixed rule on the real file
    gone = {r["id_fs"] for r in rows if int(r["id_fs"]) % 97 == 0}
    phoned = {r["id_fs"] for r in rows if int(r["id_fs"]) % 53 == 0 and r["id_fs"] not in gone}
    newer = [({**r, "telephone": "04 76 00 00 53"} if r["id_fs"] in phoned else r)
             for r in rows if r["id_fs"] not in gone]
    newer += [{**rows[i], "id_fs": f"bench-{i}", "lib_fs": f"France services nouvelle n° {i}"} for i in range(5)]
    newer_path = write_csv(work / "liste-fs-20250101.csv", header, newer)
    isere = write_csv(work / "liste-fs-isere-20250101.csv", header, [r for r in rows if r["insee_dep"] == "38"])
    [partial] = import_files(db, [isere], source="france-services", partial=True, by="bench")
    record("2a. import partiel (Isère)", partial)
    expected["2a. import partiel (Isère)"] = {"closed": 0, "added": 0}
    edit = save_form(db, {"nom": "Espace numérique de Vif", "adresse": "3 rue du Lieutenant Valentin",
                          "code_postal": "38450", "commune": "Vif", "horaires": "lun-ven 9h-12h 14h-17h, fermé le "
                          "mercredi", "services": "acces internet, démarches", "publics": "seniors"},
                     ref=None, by="@bench", today=date(2026, 11, 23))
    assert edit.place is not None

    # 3. re-import, then a scheduled refresh over HTTP with the original list
    [again] = import_files(db, [newer_path], by="bench")
    record("3a. ré-import liste plus récente", again)
    expected["3a. ré-import liste plus récente"] = {
        "added": 5, "updated": len(phoned), "closed": len(gone), "unchanged": len(rows) - len(gone) - len(phoned)}

    async def refresh() -> object:
        server = await serve(FS)
        try:
            source = DirectorySource("france-services", str(server.make_url("/" + FS.name)), "0 5 * * 1",
                                     "france-services")
            settings = replace(Settings(database_url="unused"), directory_retries=1)
            fire = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
            return await asyncio.to_thread(refresh_source, settings, db, source, fire, "bench")
        finally:
            await server.close()

    outcome = asyncio.run(refresh())
    record("3b. mise à jour programmée (HTTP, liste d’origine)", outcome.report)  # type: ignore[attr-defined]
    expected["3b. mise à jour programmée (HTTP, liste d’origine)"] = {
        "reopened": len(gone), "closed": 5, "updated": len(phoned), "added": 0}

    # 4. export and its validation
    with db.session() as s:
        csv_text, exported = export_places(s)
        json_text, _ = export_places(s, fmt="json")
        fs_text, fs_count = export_places(s, source="france-services")
        open_count = len(load_places(s))
    (work / "export.csv").write_text(csv_text, encoding="utf-8")
    (work / "export.json").write_text(json_text, encoding="utf-8")
    (work / "export-fs.csv").write_text(fs_text, encoding="utf-8")
    [self_import] = import_files(db, [work / "export-fs.csv"], source="france-services", by="bench")
    record("4b. ré-import de l’export France Services", self_import)
    expected["4b. ré-import de l’export France Services"] = {"added": 0, "updated": 0, "closed": 0,
                                                              "unchanged": fs_count}
    export = {"lieux exportés (CSV)": exported, "lieux ouverts": open_count,
              "erreurs de schéma (CSV)": schema_errors(work / "export.csv"),
              "erreurs de schéma (JSON)": schema_errors(work / "export.json")}

    width = max(len(k) for k in figures) + 2
    print(f"{'étape':<{width}} ajoutés  mis à j.  inchangés  fermés  rouverts  rejetés")
    for step, f in figures.items():
        print(f"{step:<{width}} {f['added']:>7}  {f['updated']:>8}  {f['unchanged']:>9}  {f['closed']:>6}  "
              f"{f['reopened']:>8}  {f['rejected']:>7}")
    print()
    for k, v in export.items():
        print(f"{k} : {v}")
    mismatches = [f"{step}.{k} = {figures[step][k]}, attendu {v}" for step, want in expected.items()
                  for k, v in want.items() if figures[step][k] != v]
    if export["erreurs de schéma (CSV)"] or export["erreurs de schéma (JSON)"] or exported != open_count:
        mismatches.append("export invalide ou incomplet")
    print("\nécarts à la règle :", "aucun" if not mismatches else "; ".join(mismatches))
    OUT.mkdir(exist_ok=True)
    (OUT / "directory_round_trip.json").write_text(json.dumps(
        {"steps": figures, "export": export, "expected": expected, "mismatches": mismatches,
         "edit": {"ref": edit.place.ref, "horaires": edit.place.horaires, "position": edit.place.extra.get("position"),
                  "latitude": edit.place.latitude, "longitude": edit.place.longitude}},
        ensure_ascii=False, indent=1), encoding="utf-8")
    db.dispose()
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
