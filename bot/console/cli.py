"""`relais console`: the terminal front end (interactive on a terminal, one command per line when piped)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.console.bootstrap import prepare_database
from bot.console.platform import DEFAULT_CHANNEL, MemoryPlatform, console_platform
from bot.console.render import Renderer
from bot.console.session import ConsoleSession
from bot.core.context import App
from bot.db import Database

DEFAULT_FILES_DIR = "relais-fichiers"
# Without a relais.toml there is no network channel, and /annonce could not be tried; these are the
# names used in config/relais.example.toml.
EXAMPLE_NETWORK_CHANNELS = ("region-sud", "region-aura")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("console", help="essayer Relais dans le terminal, sans Mattermost")
    p.add_argument("--user", default=os.environ.get("USER") or "conseiller", metavar="NOM",
                   help="votre nom d’utilisateur (par défaut : $USER, sinon « conseiller »)")
    p.add_argument("--channel", default=DEFAULT_CHANNEL, metavar="CANAL",
                   help=f"canal de départ (par défaut : {DEFAULT_CHANNEL})")
    p.add_argument("--files", default=DEFAULT_FILES_DIR, metavar="DOSSIER",
                   help=f"dossier où enregistrer les fichiers envoyés par Relais (par défaut : ./{DEFAULT_FILES_DIR})")
    p.set_defaults(func=cmd_console)


def console_settings(settings: Settings) -> Settings:
    if settings.config_path is None and not settings.network_channels:
        return replace(settings, network_channels=EXAMPLE_NETWORK_CHANNELS)
    return settings


def build_console_app(settings: Settings, db: Database, platform: MemoryPlatform) -> App:
    """The same `App` as `relais serve`, with the in-memory platform instead of Mattermost."""
    return build_app(settings, db, platform)


def _line_reader(console: Console, interactive: bool) -> Callable[[str], str]:
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (arrow keys and history in input())

        def read(prompt: str) -> str:
            # The prompt goes through input() itself (escape codes marked for readline), otherwise readline
            # does not know the cursor column and an empty answer leaves the next output on the same line.
            return input(f"\001\x1b[1;36m\002{prompt}\001\x1b[0m\002" if console.is_terminal else prompt)

        return read

    def read_piped(_prompt: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    return read_piped


def cmd_console(args: argparse.Namespace) -> int:
    settings = console_settings(load_settings())
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    console = Console() if interactive else Console(file=sys.stdout, color_system=None, force_terminal=False)
    renderer = Renderer(console, plain=not interactive)

    def say(text: str) -> None:
        if interactive:
            renderer.notice(text)
        else:
            print(text, file=sys.stderr)

    db = Database(settings.database_url)
    try:
        prepare_database(db, say)
        user = args.user.strip().lstrip("@").lower() or "conseiller"
        platform = console_platform(settings, user, db)
        app = build_console_app(settings, db, platform)
        session = ConsoleSession(app, platform, renderer, _line_reader(console, interactive),
                                 channel=args.channel, files_dir=Path(args.files))
        if interactive:
            renderer.message(
                f"**Relais**, en local. Vous êtes **@{user}** (coordinateur) dans ~{session.channel.name}.\n"
                "Tapez `/aide` pour la liste des commandes, `/console` pour les commandes du terminal, "
                "`/quitter` pour sortir.", [])
            if settings.config_path is None:
                renderer.notice("Sans config/relais.toml, les canaux du réseau sont ceux de l’exemple : "
                                + ", ".join(f"~{c}" for c in settings.network_channels) + ".")
        # Not asyncio.run(): its SIGINT handler only cancels the task, so Ctrl+C would not interrupt input().
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(session.run())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
    finally:
        db.dispose()
