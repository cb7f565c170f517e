"""`relais setup`: idempotent command registration, stored tokens, channel checks, permission messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.app import build_registry
from bot.core.registry import Registry
from bot.db import Database
from bot.mattermost.client import MattermostClient
from bot.mattermost.models import CommandToken
from bot.mattermost.setup import SetupError, print_report, run_setup
from bot.mattermost.tokens import token_digest
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import SECRET, make_settings


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


async def _setup(world: World, db: Database, db_url: str, tmp_path: Path, registry: Registry | None = None,
                 **env: str):
    settings = make_settings(world, db_url, tmp_path, 8080, **env)
    client = MattermostClient(settings, max_retries=0)
    try:
        return await run_setup(settings, db, client, registry or build_registry())
    finally:
        await client.close()


def _channels(world: World) -> None:
    for name in ("entraide", "ateliers", "annonces"):
        ch = world.server.add_channel(world.team["id"], name)
        world.server.add_channel_member(ch["id"], world.bot["id"])


async def test_setup_registers_every_command_then_leaves_them_alone(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    _channels(world)
    world.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
    registry = build_registry()
    triggers = sorted(registry.commands)

    first = await _setup(world, db, db_url, tmp_path)
    assert sorted(first.created) == triggers and first.updated == [] and first.unchanged == []
    assert first.ok and sorted(first.channels_ok) == ["annonces", "ateliers", "entraide"]
    aide = world.server.command_by_trigger(world.team["id"], "aide")
    assert aide["url"] == "http://127.0.0.1:8080/mattermost/commands"
    assert aide["method"] == "P" and aide["auto_complete"] is True
    assert aide["auto_complete_desc"] == registry.get("aide").description
    assert aide["auto_complete_hint"] == "[commande]"
    # Custom slash commands get no sub-command autocomplete: the hint names every one.
    annuaire = world.server.command_by_trigger(world.team["id"], "annuaire")
    for sub in ("modifier", "signaler", "signalements"):
        assert sub in annuaire["auto_complete_hint"]
    accompagnement = world.server.command_by_trigger(world.team["id"], "accompagnement")
    for sub in ("liste", "stats", "export", "mes-donnees"):
        assert sub in accompagnement["auto_complete_hint"]
    with db.session() as s:
        stored = dict(s.execute(select(CommandToken.trigger, CommandToken.token)).all())
    # Only a keyed hash of each token is kept (HMAC under RELAIS_SECRET, as `relais serve` checks it).
    assert stored == {c["trigger"]: token_digest(c["token"], SECRET) for c in world.server.commands}

    puts_before = len(world.server.requests_to("/api/v4/commands", "PUT"))
    second = await _setup(world, db, db_url, tmp_path)
    assert second.created == [] and second.updated == [] and sorted(second.unchanged) == triggers
    assert len(world.server.requests_to("/api/v4/commands", "PUT")) == puts_before
    assert len(world.server.commands) == len(triggers)

    # The public URL moved: every command is updated in place, tokens kept.
    third = await _setup(world, db, db_url, tmp_path, RELAIS_PUBLIC_URL="https://relais.example.fr")
    assert sorted(third.updated) == triggers
    assert world.server.command_by_trigger(world.team["id"], "aide")["url"] == (
        "https://relais.example.fr/mattermost/commands")
    assert world.server.command_by_trigger(world.team["id"], "aide")["token"] == aide["token"]
    lines: list[str] = []
    print_report(third, lines.append)
    assert lines[0].startswith("Commandes mises à jour : /aide")
    assert lines[-1] == "Tout est prêt : lancez relais serve."


async def test_setup_without_permission_says_which_and_how(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    with pytest.raises(SetupError) as err:
        await _setup(world, db, db_url, tmp_path)
    message = str(err.value)
    assert "manage_slash_commands" in message and "Administrateur d’équipe" in message
    assert world.server.commands == []


async def test_setup_reports_missing_channels_and_membership(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    world.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
    world.server.add_channel(world.team["id"], "entraide")
    report = await _setup(world, db, db_url, tmp_path)
    assert not report.ok
    lines: list[str] = []
    print_report(report, lines.append)
    text = "\n".join(lines)
    assert "/invite @relais" in text and "~entraide" in text
    assert "Le canal ~ateliers n’existe pas" in text
    assert lines[-1] == "À corriger, puis relancez : relais setup"


async def test_setup_leaves_a_foreign_command_alone(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    _channels(world)
    world.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
    admin = world.driver(world.admin)
    await admin.login()
    await admin.client.post("/api/v4/commands", options={
        "team_id": world.team["id"], "trigger": "aide", "url": "https://autre.example.fr/hook", "method": "P"})
    await admin.close()
    report = await _setup(world, db, db_url, tmp_path)
    assert report.skipped == ["aide"]
    assert world.server.command_by_trigger(world.team["id"], "aide")["url"] == "https://autre.example.fr/hook"


async def test_setup_with_a_bad_token_or_unknown_team(
    world: World, db: Database, db_url: str, tmp_path: Path
) -> None:
    with pytest.raises(SetupError, match="MATTERMOST_TOKEN"):
        await _setup(world, db, db_url, tmp_path, MATTERMOST_TOKEN="wrongtoken")
    with pytest.raises(SetupError, match="introuvable"):
        await _setup(world, db, db_url, tmp_path, MATTERMOST_TEAM="inconnue")


def test_command_texts_fit_in_bytes() -> None:
    """Display name and description are limited in bytes (65 "é" are refused as a description)."""
    from bot.core.registry import Command
    from bot.mattermost import limits
    from bot.mattermost.setup import desired_command

    long = Command("essai", "Décrire très précisément à quoi sert la commande : " + "é" * 80)
    body = desired_command(long, "t" * 26, "http://relais")
    assert limits.size(body["description"]) <= 128 and body["description"].endswith("…")
    for cmd in build_registry().commands.values():
        body = desired_command(cmd, "t" * 26, "http://relais")
        assert body["description"] == cmd.description  # every real description fits whole
        assert limits.size(body["display_name"]) <= 64
