"""`relais check` against the fake server with the real bot running, then (opt-in) against a real Mattermost.

The opt-in test runs only when RELAIS_TEST_MATTERMOST_URL, RELAIS_TEST_MATTERMOST_BOT_TOKEN and
RELAIS_TEST_MATTERMOST_USER_TOKEN are set (RELAIS_TEST_MATTERMOST_TEAM, default "relais-test"; the bot must be
team admin there and member of its ~entraide, ~ateliers and ~annonces; Mattermost must allow untrusted internal
connections to 127.0.0.1, where the test serves Relais). It re-registers the commands of that team: use a
team kept for tests.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.accompagnements.models import Accompaniment
from bot.app import build_registry
from bot.config import load_settings
from bot.core.context import CHECK_CHANNEL_PREFIX
from bot.db import Database
from bot.entraide.models import Question
from bot.mattermost.check import CheckReport, fill_dialog, print_check, run_check
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import SECRET, free_port, make_settings, prepare_world, running_bot, setup_commands

STEPS = ("Compte bot", "Canaux du réseau", "Compte de test", "Canal de vérification", "/aide", "/annuaire",
         "/accompagnement", "/atelier", "/annonce", "/entraide", "Formulaire /accompagnement", "Fichier",
         "Message public", "Bouton", "Réponse dans le fil", "WebSocket du bot")


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        prepare_world(w)
        for name in ("ateliers", "annonces"):
            channel = w.server.add_channel(w.team["id"], name)
            w.server.add_channel_member(channel["id"], w.bot["id"])
        yield w


def _lines(report: CheckReport) -> list[str]:
    out: list[str] = []
    print_check(report, out.append)
    return out


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


async def test_check_passes_and_leaves_nothing_behind(world: World, db: Database, db_url: str,
                                                      tmp_path: Path) -> None:
    settings = make_settings(world, db_url, tmp_path, free_port())
    registry = build_registry()
    await setup_commands(settings, db, registry)
    async with running_bot(settings, db, registry):
        report = await run_check(settings, db, registry, world.token(world.alice), wait=5)
    lines = _lines(report)
    assert report.ok, "\n".join(lines)
    for step in STEPS:
        assert any(line.startswith("✅ " + step) for line in lines), (step, lines)
    assert lines[-1] == "Tout fonctionne : Relais est prêt pour les conseillers."
    # Nothing left: the channel archived, no question nor accompaniment in the network's data.
    [channel] = [c for c in world.server.state.channels.values() if c["name"].startswith(CHECK_CHANNEL_PREFIX)]
    assert channel["delete_at"] > 0
    assert [p["type"] for p in world.server.state.posts.values() if p["channel_id"] == channel["id"]][0] == \
        "system_add_to_channel"  # the bot's arrival, as the real server posts it
    assert _count(db, Question) == 0 and _count(db, Accompaniment) == 0
    # The question was asked in the check channel, never in the network's ~entraide.
    entraide = world.server.state.channel_by_name(world.team["id"], "entraide")
    assert entraide is not None
    assert not [p for p in world.server.state.posts.values() if p["channel_id"] == entraide["id"]]


async def test_relais_not_running_fails_with_the_fix(world: World, db: Database, db_url: str,
                                                     tmp_path: Path) -> None:
    settings = make_settings(world, db_url, tmp_path, free_port())
    registry = build_registry()
    await setup_commands(settings, db, registry)  # registered, but `relais serve` is not started
    report = await run_check(settings, db, registry, world.token(world.alice), wait=1)
    lines = _lines(report)
    assert not report.ok
    failed = next(line for line in lines if line.startswith("❌ /aide"))
    assert "Mattermost n’a pas pu l’exécuter" in failed or "Mattermost n'a pas pu l'exécuter" in failed
    assert any("relais serve tourne" in line for line in lines)
    assert lines[-1].startswith(("1 point", "6 points", "7 points")) or "à corriger" in lines[-1]
    [channel] = [c for c in world.server.state.channels.values() if c["name"].startswith(CHECK_CHANNEL_PREFIX)]
    assert channel["delete_at"] > 0  # cleaned up even after a failure


async def test_a_bot_token_as_counsellor_is_refused(world: World, db: Database, db_url: str,
                                                    tmp_path: Path) -> None:
    settings = make_settings(world, db_url, tmp_path, free_port())
    report = await run_check(settings, db, build_registry(), world.token(world.bot), wait=1)
    assert not report.ok
    assert any("c’est un compte bot" in line or "c'est un compte bot" in line for line in _lines(report))


async def test_missing_channel_membership_is_named_with_the_line_to_type(world: World, db: Database, db_url: str,
                                                                        tmp_path: Path) -> None:
    settings = make_settings(world, db_url, tmp_path, free_port())
    annonces = world.server.state.channel_by_name(world.team["id"], "annonces")
    assert annonces is not None
    del world.server.state.channel_members[(annonces["id"], world.bot["id"])]
    report = await run_check(settings, db, build_registry(), world.token(world.bot), wait=1)
    line = next(line for line in _lines(report) if "Canaux du réseau" in line)
    assert line.startswith("❌") and "~annonces" in line and "~entraide" not in line


def test_fill_dialog_keeps_defaults_and_answers_what_is_required() -> None:
    dialog = {"elements": [
        {"name": "date", "type": "text", "default": "01/12/2026"},
        {"name": "duree", "type": "select", "optional": True, "options": [{"text": "30 min", "value": "30"}]},
        {"name": "participants", "type": "text", "subtype": "number"},
        {"name": "notes", "type": "textarea", "optional": True},
        {"name": "deja", "type": "bool", "default": "false", "optional": True},
    ]}
    assert fill_dialog(dialog) == {"date": "01/12/2026", "duree": "30", "participants": "1", "deja": False}


REAL = {k: os.environ.get(f"RELAIS_TEST_MATTERMOST_{k}", "") for k in ("URL", "BOT_TOKEN", "USER_TOKEN", "TEAM")}


@pytest.mark.skipif(not (REAL["URL"] and REAL["BOT_TOKEN"] and REAL["USER_TOKEN"]),
                    reason="real Mattermost skipped: set RELAIS_TEST_MATTERMOST_URL, RELAIS_TEST_MATTERMOST_BOT_TOKEN "
                           "and RELAIS_TEST_MATTERMOST_USER_TOKEN to run relais check against it")
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_relais_check_on_a_real_mattermost(db: Database, db_url: str, tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "relais.toml"
    config.write_text('[channels]\nentraide = "entraide"\nateliers = "ateliers"\nannonces = "annonces"\n'
                      "network = []\n", encoding="utf-8")
    settings = load_settings(require_mattermost=True, dotenv=False, env={
        "MATTERMOST_URL": REAL["URL"], "MATTERMOST_TOKEN": REAL["BOT_TOKEN"],
        "MATTERMOST_TEAM": REAL["TEAM"] or "relais-test", "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RELAIS_LISTEN": f"127.0.0.1:{port}", "RELAIS_SECRET": SECRET, "RELAIS_DATABASE_URL": db_url,
        "RELAIS_CONFIG": str(config)})
    registry = build_registry()
    await setup_commands(settings, db, registry)
    async with running_bot(settings, db, registry):
        report = await run_check(settings, db, registry, REAL["USER_TOKEN"])
    assert report.ok, "\n".join(_lines(report))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_only_the_checks_own_accompaniment_is_erased(db: Database, db_url: str) -> None:
    """A counsellor using their own token may save a real entry while the check runs: it is kept."""
    from datetime import UTC, date, datetime

    from bot.accompagnements import service
    from bot.accompagnements.validation import validate
    from bot.mattermost.check import CHECK_NOTE, _forget_accompaniments, _last_accompaniment

    def add(user: str, notes: str | None) -> None:
        values = {"type": "individuel", "duree": 45, "lieu_type": "lieu_activite", "thematiques": ["email"],
                  "notes": notes}
        with db.session() as s:
            service.create(s, user, user, validate(values, today=date(2026, 12, 2)), datetime(2026, 12, 2, tzinfo=UTC))

    add("claire", "avant la vérification")
    with db.session() as s:
        before = _last_accompaniment(s, "claire")
    add("claire", CHECK_NOTE)
    add("claire", "saisie réelle pendant la vérification")
    add("karim", CHECK_NOTE)
    with db.session() as s:
        _forget_accompaniments(s, "claire", before)
    with db.session() as s:
        left = sorted((r.user_id, r.notes) for r in s.scalars(select(Accompaniment)))
    assert left == [("claire", "avant la vérification"), ("claire", "saisie réelle pendant la vérification"),
                    ("karim", CHECK_NOTE)]
