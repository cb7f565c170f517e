"""Pre-filled fields of the accompaniment form never override what was just chosen, in both front ends:
the Mattermost dialog (submission as Mattermost sends it) and the console (the same dialog, field by field)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accompagnements.models import Accompaniment
from bot.app import build_registry
from bot.config import Settings
from bot.console.platform import console_platform
from bot.console.session import ConsoleSession
from bot.core.context import App
from bot.db import Database
from tests.console_support import scripted_session
from tests.fakes import Clock, fake_app
from tests.harness import Harness

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@pytest.fixture
def app(db: Database) -> App:
    settings = Settings(database_url=db.url, timezone="Indian/Reunion")
    return fake_app(settings, db, clock=Clock(NOW))


@pytest.fixture
def h(app: App) -> Harness:
    return Harness(app, "u1", "alice")


def _rows(db: Database) -> list[tuple[int, str, str | None, list[str]]]:
    with db.session() as s:
        return [(r.duration_min, r.lieu_type, r.lieu_commune, r.thematiques)
                for r in s.scalars(select(Accompaniment).order_by(Accompaniment.id))]


async def test_dialog_duration_chosen_wins_over_the_remembered_one(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 20min individuel email sante domicile commune:Le Port")
    opened = await h.command("/accompagnement")
    el = {e.name: e for e in opened.dialog.elements}  # type: ignore[union-attr]
    # the remembered 20 min is an option of the list, the free field is empty
    assert el["duree"].default == "20" and "20" in [o.value for o in el["duree"].options]
    assert el["duree_autre"].default is None
    assert el["thematiques_plus"].default is None  # extra themes of the last entry do not follow a new main one
    saved = await h.fill("accompagnement", opened, {"duree": "45"})
    assert not saved.errors
    assert _rows(db)[-1][0] == 45


async def test_dialog_two_different_durations_are_refused(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 20min individuel email domicile commune:Le Port")
    opened = await h.command("/accompagnement")
    refused = await h.fill("accompagnement", opened, {"duree": "45", "duree_autre": "20min"})
    assert {"duree", "duree_autre"} <= set(refused.errors) and len(_rows(db)) == 1
    same = await h.fill("accompagnement", opened, {"duree": "45", "duree_autre": "45 min"})
    assert not same.errors and _rows(db)[-1][0] == 45
    typed = await h.fill("accompagnement", opened, {"duree": "autre", "duree_autre": "2h30"})
    assert not typed.errors and _rows(db)[-1][0] == 150
    empty = await h.fill("accompagnement", opened, {"duree": "autre", "duree_autre": ""})
    assert "duree_autre" in empty.errors and len(_rows(db)) == 3


async def test_dialog_remembered_commune_does_not_follow_a_place_without_one(db: Database, h: Harness) -> None:
    await h.command("/accompagnement 30min individuel email domicile commune:Le Port")
    opened = await h.command("/accompagnement")
    saved = await h.fill("accompagnement", opened, {"lieu_type": "a_distance"})
    assert not saved.errors
    assert _rows(db)[-1][1:3] == ("a_distance", None)
    kept = await h.fill("accompagnement", opened, {})  # same place: the commune is the counsellor's, shown and kept
    assert not kept.errors and _rows(db)[-1][1:3] == ("domicile", "Le Port")


@pytest.fixture
def console(tmp_path: Path, db: Database) -> tuple[ConsoleSession, list[str], io.StringIO]:
    settings = Settings(database_url=db.url, timezone="Indian/Reunion")
    platform = console_platform(settings, "camille")
    app = App(settings, db, platform, build_registry(), clock=Clock(NOW))
    return scripted_session(app, platform, tmp_path / "f", "town-square")


async def test_console_enter_on_the_free_duration_keeps_the_duration_chosen(
        console: tuple[ConsoleSession, list[str], io.StringIO], db: Database) -> None:
    session, answers, out = console
    await session.handle_line("/accompagnement 20min individuel email domicile commune:Le Port")
    # date, Durée "45 min", Enter on every other field (the old form pre-filled "Autre durée [20min]")
    answers += ["", "45 min"] + [""] * 30
    await session.handle_line("/accompagnement")
    assert "Autre durée (facultatif) (ex. : 2h30, 40min…) : " in out.getvalue()  # shown empty, not [20min]
    assert _rows(db)[-1][0] == 45


async def test_console_conflicting_durations_are_asked_again(
        console: tuple[ConsoleSession, list[str], io.StringIO], db: Database) -> None:
    session, answers, out = console
    await session.handle_line("/accompagnement 20min individuel email domicile commune:Le Port")
    # 45 min in the list and 20min typed: refused, both asked again; then "Autre durée" chosen, 1h10 typed
    answers += ["", "45 min", "20min"] + [""] * 14 + ["Autre durée", "1h10"]
    await session.handle_line("/accompagnement")
    assert "deux durées différentes" in out.getvalue()
    assert [r[0] for r in _rows(db)] == [20, 70]


async def test_console_dash_empties_a_prefilled_field(
        console: tuple[ConsoleSession, list[str], io.StringIO], db: Database) -> None:
    session, answers, out = console
    await session.handle_line("/accompagnement 20min individuel email domicile commune:Le Port")
    answers += ["", "", "", "Autre lieu", "-"] + [""] * 12 + ["Saint-Paul"]
    await session.handle_line("/accompagnement")
    assert "Commune du lieu" in out.getvalue()
    assert _rows(db)[-1][1:3] == ("autre", "Saint-Paul")  # emptied, refused as required, then typed
