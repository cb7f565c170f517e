"""`relais directory export`: the real files come out valid against the national schema v1.0.2 (checked by
frictionless, the table-schema validator the standard is published for), and re-import onto the same places."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from frictionless import Resource, Schema

from bot.cli import main
from bot.db import Database
from bot.directory import import_files
from bot.directory.export import export_places
from bot.directory.schema import TYPOLOGIES, V1_FIELDS, VOCABULARIES

FS = "france-services_liste-fs-20240801.csv"
HINAURA = "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json"
PACA = "lieux-mediation-numerique_paca-hub-du-sud_20230517.json"
SCHEMA = "schema-lieux-mediation-numerique/schema.json"
EXAMPLE = "schema-lieux-mediation-numerique/exemple-valide.csv"


def _errors(shared_data: Path, path: Path) -> list[str]:
    schema = Schema.from_descriptor(json.loads((shared_data / SCHEMA).read_text(encoding="utf-8")))
    report = Resource(path.name, basepath=str(path.parent), schema=schema).validate()
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors][:10]


def test_schema_codes_in_the_schema_file(shared_data: Path) -> None:
    """Our typologie list is the one the schema points to; its labels are the validation pattern's."""
    fields = {f["name"]: f for f in json.loads((shared_data / SCHEMA).read_text(encoding="utf-8"))["fields"]}
    assert tuple(fields) == V1_FIELDS
    for name, values in VOCABULARIES.items():
        pattern = fields[name]["constraints"].get("pattern")
        if pattern and name != "typologie":
            assert all(re.fullmatch(pattern, v) for v in values), name
    assert not re.fullmatch(fields["formations_labels"]["constraints"]["pattern"], "Étapes numériques (La Poste)")
    assert "TIERS_LIEUX" in TYPOLOGIES and "ASSO" in TYPOLOGIES and "MAIRIE" not in TYPOLOGIES
    assert len(TYPOLOGIES) == len(set(TYPOLOGIES)) == 92


def test_export_of_the_real_files_validates_against_the_schema(db: Database, shared_data: Path,
                                                               tmp_path: Path) -> None:
    import_files(db, [shared_data / FS, shared_data / HINAURA, shared_data / PACA, shared_data / EXAMPLE])
    with db.session() as s:
        text, count = export_places(s)
        json_text, json_count = export_places(s, source="france-services", fmt="json")
    assert count == 2845 + 687 + 646 + 1  # every place of the four files is open
    out = tmp_path / "export.csv"
    out.write_text(text, encoding="utf-8")
    assert _errors(shared_data, out) == []
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len({r["id"] for r in rows}) == len(rows)  # unique ids, as the schema requires
    assert all(set(r["typologie"].split("|")) <= set(TYPOLOGIES) for r in rows if r["typologie"])
    records = json.loads(json_text)
    assert json_count == len(records) == 2845
    jpath = tmp_path / "export.json"
    jpath.write_text(json_text, encoding="utf-8")
    assert _errors(shared_data, jpath) == []


def test_both_label_spellings_import_and_the_patterns_is_exported(db: Database, shared_data: Path,
                                                                  tmp_path: Path) -> None:
    reader = csv.DictReader(io.StringIO((shared_data / EXAMPLE).read_text(encoding="utf-8")))
    base = next(reader)
    header = list(reader.fieldnames or [])
    rows = [{**base, "id": "a", "formations_labels": "Étapes numériques (La Poste)", "typologie": "MAIRIE|ASSO"},
            {**base, "id": "b", "formations_labels": "Étapes numériques(La Poste)|ORDI 3.0", "typologie": "XYZ"}]
    path = tmp_path / "labels.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    [report] = import_files(db, [path])
    assert any(w.field == "typologie" and "XYZ" in w.reason for w in report.warnings)
    with db.session() as s:
        text, _ = export_places(s, source="labels")
    out = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert out["a"]["formations_labels"] == "Étapes numériques(La Poste)"
    assert out["a"]["typologie"] == "MUNI|ASSO"
    assert out["b"]["formations_labels"] == "Étapes numériques(La Poste)|ORDI 3.0" and out["b"]["typologie"] == ""
    (tmp_path / "out.csv").write_text(text, encoding="utf-8")
    assert _errors(shared_data, tmp_path / "out.csv") == []


def test_cli_export_round_trip(db_url: str, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAIS_DATABASE_URL", db_url)
    monkeypatch.delenv("RELAIS_CONFIG", raising=False)
    assert main(["directory", "import", str(shared_data / HINAURA)]) == 0
    capsys.readouterr()
    assert main(["directory", "export", "--source", "hinaura", "-o", str(tmp_path / "h.csv")]) == 0
    assert "687 lieux exportés" in capsys.readouterr().err
    # The export re-imports onto the same places, nothing changed, nothing closed.
    assert main(["directory", "import", "--source", "hinaura", str(tmp_path / "h.csv")]) == 0
    assert "0 ajouté, 0 mis à jour, 687 inchangés, 0 fermé, 0 rejeté" in capsys.readouterr().out
    assert main(["directory", "export", "--source", "nulle-part"]) == 1
    assert "Aucune source « nulle-part »" in capsys.readouterr().err
