"""Helpers for end-to-end transport tests: a test-only command, settings pointing at the fake server, a bot.

The bot runs for real: `bot.mattermost.serve.Server` on a loopback port, the real driver, the real
HTTP endpoints and WebSocket listener, against `tests.mmserver.MMServer`.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import build_registry
from bot.config import Settings, load_settings
from bot.core.context import App, Context
from bot.core.events import PostEvent, ReactionEvent
from bot.core.registry import Command, Registry
from bot.core.replies import Button, Card, Dialog, DialogElement, FileUpload, Reply
from bot.db import Database
from bot.mattermost.client import MattermostClient
from bot.mattermost.serve import Server
from bot.mattermost.setup import run_setup
from tests.mmserver.fixtures import World

SECRET = "test-secret-" + "x" * 32
TOML = """
[network]
team = "reseau"
[channels]
entraide = "entraide"
ateliers = "ateliers"
annonces = "annonces"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(world: World, db_url: str, tmp_path: Path, port: int, **env: str) -> Settings:
    config = tmp_path / "relais.toml"
    config.write_text(TOML, encoding="utf-8")
    base = {
        "MATTERMOST_URL": world.server.url,
        "MATTERMOST_TOKEN": world.token(world.bot),
        "MATTERMOST_TEAM": "reseau",
        "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RELAIS_LISTEN": f"127.0.0.1:{port}",
        "RELAIS_SECRET": SECRET,
        "RELAIS_DATABASE_URL": db_url,
        "RELAIS_CONFIG": str(config),
    }
    base.update(env)
    return load_settings(require_mattermost=True, env=base, dotenv=False)


def prepare_world(world: World) -> dict[str, Any]:
    """The watched channel ~entraide (bot, alice, bob) and the bot as team admin (it registers commands)."""
    entraide = world.server.add_channel(world.team["id"], "entraide", "Entraide")
    for user in (world.bot, world.alice, world.bob):
        world.server.add_channel_member(entraide["id"], user["id"])
    world.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
    return entraide


@dataclass
class Calls:
    """What the test command's handlers saw (each entry is one handler run)."""

    commands: list[str] = field(default_factory=list)
    clicks: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    dialogs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    posted: list[str] = field(default_factory=list)
    reactions: list[tuple[str, str]] = field(default_factory=list)
    slow_done: list[str] = field(default_factory=list)


def demo_registry(calls: Calls, *, slow_seconds: float = 0.5) -> Registry:
    """Every real command plus `/demo`, which exercises buttons, dialogs, files, listeners and slow work."""
    demo = Command("demo", "Commande de test", hint="[form|slow|file|secret]")

    @demo.default(help="montre un bouton")
    async def start(ctx: Context) -> Reply:
        calls.commands.append(ctx.args)
        if ctx.args == "form":
            return Reply(dialog=Dialog("create", "Nouvelle fiche", [DialogElement("title", "Titre", min_length=3)],
                                       state={"n": 7}))
        if ctx.args == "slow":
            await asyncio.sleep(slow_seconds)
            calls.slow_done.append(ctx.user_name)
            return Reply.private("Réponse lente prête")
        if ctx.args == "file":
            return Reply.private("Votre export", files=[FileUpload("export.csv", b"a;b\n1;2\n", "text/csv")])
        if ctx.args == "thread":
            return Reply.public(f"Réponse dans le fil {ctx.root_id}")
        if ctx.args == "mine":  # a private button: only the user it was shown to may press it
            return Reply.private("Vos fiches", cards=[Card(title="Fiche", buttons=[
                Button("Tout supprimer", "validate", {"n": 3}, style="danger")])])
        return Reply.public("Choisissez", cards=[Card(title="Fiche", text="À valider", buttons=[
            Button("Valider", "validate", {"n": 1}, anyone=True),
            Button("Détails", "details", {"n": 2}, anyone=True)])])

    @demo.action("validate")
    async def validate(ctx: Context, data: dict[str, Any]) -> Reply:
        calls.clicks.append((ctx.user_name, data))
        return Reply(text=f"Validé par @{ctx.user_name}", update=True,
                     cards=[Card(title="Fiche", text="Validée")])

    @demo.action("details")
    async def details(ctx: Context, data: dict[str, Any]) -> Reply:
        calls.clicks.append((ctx.user_name, data))
        return Reply.private("Détails de la fiche", cards=[Card(title="Horaires", text="lundi 9h")])

    @demo.dialog("create")
    async def create(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
        title = str(submission.get("title") or "").strip()
        if len(title) < 3:
            return Reply(errors={"title": "Au moins 3 lettres, par exemple « Atelier CAF »."})
        calls.dialogs.append((submission, state))
        return Reply.public(f"Fiche « {title} » créée par @{ctx.user_name}")

    @demo.on("posted")
    async def on_posted(app: App, event: PostEvent) -> None:
        calls.posted.append(event.id)

    @demo.on("reaction_added")
    async def on_reaction(app: App, event: ReactionEvent) -> None:
        calls.reactions.append((event.post_id, event.emoji))

    registry = build_registry()
    registry.add(demo)
    return registry


async def setup_commands(settings: Settings, db: Database, registry: Registry) -> None:
    client = MattermostClient(settings, max_retries=0)
    try:
        await run_setup(settings, db, client, registry)
    finally:
        await client.close()


@asynccontextmanager
async def running_bot(
    settings: Settings, db: Database, registry: Registry, **kwargs: Any
) -> AsyncIterator[Server]:
    kwargs.setdefault("backoff_base", 0.05)
    kwargs.setdefault("jobs", ())
    server = Server(settings, db, registry=registry, **kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
