"""Stats on known data, the Coop CSV layout, `relais sessions export|purge`, and deleting one's own data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.accompagnements import service
from bot.accompagnements.chart import render_png
from bot.accompagnements.export import csv_bytes, header
from bot.accompagnements.models import Accompaniment
from bot.accompagnements.stats import compute, format_text
from bot.accompagnements.validation import validate
from bot.cli import main
from bot.db import Database

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
TZ = ZoneInfo("Indian/Reunion")


def add(db: Database, user: str = "u1", name: str = "alice", **kw: Any) -> None:
    values: dict[str, Any] = {"type": "individuel", "duree": 45, "lieu_type": "lieu_activite",
                              "thematiques": ["email"]}
    values.update(kw)
    with db.session() as s:
        service.create(s, user, name, validate(values, today=TODAY), NOW)


def seed(db: Database) -> None:
    add(db, date="2026-11-02", duree=20, thematiques=["email", "sante"], autonomie="autonome", genre="feminin",
        tranche_age="soixante_dix_plus", materiel=["telephone"])
    add(db, date="2026-11-10", duree=60, lieu_type="domicile", lieu_commune="Le Port", autonomie="autonome",
        deja_accompagne=True, structure_redirection="aide_sociale")
    add(db, type="collectif", date="2026-11-12", duree=120, thematiques=["securite_numerique"], participants_total=6,
        participants_deja=2, participants_counts={"genre": {"feminin": 4, "masculin": 1},
                                                  "tranche_age": {"soixante_dix_plus": 3}}, niveau="debutant")
    add(db, user="u2", name="bob", date="2026-11-15", duree=30, lieu_type="a_distance")
    add(db, date="2026-10-30", duree=90)  # previous month: outside


def test_stats_on_known_data(db: Database) -> None:
    seed(db)
    with db.session() as s:
        mine = compute(s, date(2026, 11, 1), date(2026, 11, 30), user_id="u1")
        team = compute(s, date(2026, 11, 1), date(2026, 11, 30))
    assert (mine.activities, mine.accompaniments, mine.minutes) == (3, 8, 200)
    assert mine.by_type == {"individuel": 2, "collectif": 1}
    assert mine.accompaniments_by_type == {"individuel": 2, "collectif": 6}
    assert mine.thematiques == {"email": 2, "sante": 1, "securite_numerique": 1}
    assert mine.lieux == {"lieu_activite": 2, "domicile": 1}
    assert mine.durations == {"moins_30": 1, "60_120": 1, "plus_120": 1}
    assert mine.autonomie == {"autonome": 2}
    assert mine.materiel == {"telephone": 1}
    assert mine.new_people == 1 + 0 + 4 and mine.oriented == 1
    assert mine.publics["genre"] == {"feminin": 5, "masculin": 1, "non_communique": 2}
    assert mine.publics["tranche_age"] == {"soixante_dix_plus": 4, "non_communique": 4}
    assert sum(mine.publics["statut"].values()) == mine.accompaniments
    assert (team.activities, team.accompaniments) == (4, 9)
    assert team.by_counsellor == {"alice": 3, "bob": 1}
    assert team.durations["30_60"] == 1
    text = format_text(team, "Réseau", team=True)
    assert "Accompagnements : **9**" in text and "@alice (3), @bob (1)" in text
    assert "@alice" not in format_text(mine, "Moi")
    assert render_png(mine, "Moi")[:4] == b"\x89PNG"


def test_csv_header_is_the_coop_layout_and_rows_per_accompaniment(db: Database) -> None:
    seed(db)
    with db.session() as s:
        content, n = csv_bytes(service.in_period(s, date(2026, 11, 1), date(2026, 11, 30), "u1"), TZ,
                               self_export=True)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == header(self_export=True)
    assert list(rows[0])[:6] == ["Date", "Enregistré le", "Dernière modification le", "Type", "Participants",
                                 "Bénéficiaire"]
    assert n == len(rows) == 1 + 1 + 6
    first = rows[0]
    assert first["Date"] == "02/11/2026" and first["Enregistré le"] == "22/11/2026 à 12:00"
    assert first["Type"] == "Accompagnement individuel" and first["Participants"] == "1"
    assert first["Thématique(s) d’accompagnement"] == "E-mail\nSanté"
    assert first["Niveau d’autonomie (ou de l’atelier)"] == "3/3"
    assert first["Genre du bénéficiaire"] == "Féminin" and first["Tranche d’âge du bénéficiaire"] == "70 ans et plus"
    assert rows[1]["Canaux d’accompagnement"] == "À domicile" and rows[1]["Commune"] == "Le Port"
    assert rows[1]["Bénéficiaire réorienté"] == "Oui"
    workshop = rows[2:]
    assert [r["Participants"] for r in workshop] == [f"{i}/6" for i in range(1, 7)]
    assert [r["Genre du bénéficiaire"] for r in workshop].count("Féminin") == 4
    assert [r["Genre du bénéficiaire"] for r in workshop].count("Non communiqué") == 1
    assert workshop[0]["Niveau d’autonomie (ou de l’atelier)"] == "1/3"
    assert len({r["ID CRA"] for r in workshop}) == 1
    coordinator = header(self_export=False)
    assert coordinator[3:7] == ["Prénom du médiateur", "Nom du médiateur", "Rôle", "ID - Conum"]
    assert "Notes supplémentaires" not in coordinator and "Bénéficiaire" not in coordinator


@pytest.fixture
def cli_env(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELAIS_DATABASE_URL", db.url)
    monkeypatch.delenv("RELAIS_CONFIG", raising=False)
    return tmp_path


def test_cli_export(db: Database, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)
    out = cli_env / "export.csv"
    assert main(["sessions", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv",
                 "--output", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == header(self_export=False)
    assert len(rows) == 1 + 9 and {r[4] for r in rows[1:]} == {"alice", "bob"}
    assert "9 lignes écrites" in capsys.readouterr().err
    assert main(["sessions", "export", "--from", "2026-11-30", "--to", "2026-11-01"]) == 1
    assert "avant" in capsys.readouterr().err


def test_cli_purge(db: Database, cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)
    assert main(["sessions", "purge", "--before", "2026-11-11"]) == 0
    assert "avant le 11/11/2026 : 3 supprimés (3 individuel)" in capsys.readouterr().out
    with db.session() as s:
        dates = sorted(s.scalars(select(Accompaniment.date)))
    assert dates == [date(2026, 11, 12), date(2026, 11, 15)]
    assert main(["sessions", "purge", "--before", "2099-01-01"]) == 1
    assert "futur" in capsys.readouterr().err
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Accompaniment)) == 2


def test_purge_counts_by_type(db: Database) -> None:
    seed(db)
    with db.session() as s:
        assert service.purge_before(s, date(2026, 11, 13)) == {"individuel": 3, "collectif": 1}


def test_delete_all_own_leaves_others(db: Database) -> None:
    seed(db)
    with db.session() as s:
        assert service.delete_all_own(s, "u1") == 4
    with db.session() as s:
        assert service.count_own(s, "u1") == 0 and service.count_own(s, "u2") == 1
