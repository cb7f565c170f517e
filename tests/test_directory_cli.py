"""The stable command-line contract: `relais directory import` and `relais directory search [--json|--batch]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.directory.bundled import BUNDLED_DIR, BUNDLED_FILES

CONTRACT_KEYS = {"id", "source", "nom", "adresse", "code_postal", "commune", "latitude", "longitude", "services",
                 "telephone", "horaires", "score"}


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env or config/relais.toml
    monkeypatch.setenv("RELAIS_DATABASE_URL", db_url)
    monkeypatch.delenv("RELAIS_CONFIG", raising=False)
    assert main(["directory", "import", *(str(BUNDLED_DIR / f) for f in BUNDLED_FILES)]) == 0
    return tmp_path


def test_import_reports_counts_then_unchanged(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["directory", "import", str(BUNDLED_DIR / BUNDLED_FILES[0])]) == 0
    out = capsys.readouterr().out
    assert "0 ajouté, 0 mis à jour, 167 inchangés, 0 fermé, 0 rejeté" in out


def test_import_of_a_foreign_file_says_so_and_fails(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (env / "notes.txt").write_text("bonjour\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["directory", "import", str(env / "notes.txt")]) == 1
    err = capsys.readouterr().err
    assert "notes.txt ne ressemble pas à un annuaire de lieux" in err and "rien n’a été modifié" in err


def test_search_json_contract(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["directory", "search", "caf grenble", "--json", "--limit", "3"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == 3
    for r in results:
        assert CONTRACT_KEYS | {"distance_km"} <= set(r)
        assert isinstance(r["services"], list) and all(isinstance(s, str) for s in r["services"])
        assert isinstance(r["distance_km"], float) and r["distance_km"] < 20
        assert r["commune"] and r["code_postal"].startswith("38")
    assert results[0]["score"] >= results[-1]["score"]
    # Without a recognised place there is no distance key.
    assert main(["directory", "search", "france services la poste", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results and all(set(r) >= CONTRACT_KEYS and "distance_km" not in r for r in results)


def test_batch_writes_one_json_array_per_line_in_order(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = ["valserhone", "", "bibliotheque pablo neruda", "zorglub", "impots pointe a pitre"]
    batch = env / "requetes.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["directory", "search", "--batch", str(batch), "--json", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(queries)
    arrays = [json.loads(line) for line in lines]
    assert arrays[0][0]["nom"] == "France services de Valserhône"
    assert arrays[1] == [] and arrays[3] == []
    assert arrays[2][0]["nom"] == "Bibliothèque Pablo-Neruda"
    assert arrays[4][0]["code_postal"].startswith("971")


def test_plain_search_says_what_was_understood(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["directory", "search", "seniors 38000"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Compris : 38000 (Grenoble) · seniors")
