"""`relais serve` and `relais setup`."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.config import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="lance le bot (serveur HTTP, WebSocket Mattermost, tâches planifiées)")
    serve.set_defaults(func=cmd_serve)
    setup = sub.add_parser("setup", help="enregistre les commandes slash sur l’équipe et vérifie les canaux")
    setup.set_defaults(func=cmd_setup)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.cli import open_database
    from bot.mattermost.serve import Server, serve_forever

    settings = load_settings(require_mattermost=True)
    db = open_database(settings)
    if not args.verbose:
        logging.getLogger("bot").setLevel(logging.INFO)
    try:
        asyncio.run(serve_forever(Server(settings, db)))
    finally:
        db.dispose()
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    from bot.cli import UserError, open_database
    from bot.handlers import build_registry
    from bot.mattermost.client import MattermostClient
    from bot.mattermost.setup import SetupError, print_report, run_setup

    settings = load_settings(require_mattermost=True)
    db = open_database(settings)

    async def go() -> int:
        client = MattermostClient(settings, max_retries=1)
        try:
            report = await run_setup(settings, db, client, build_registry())
        finally:
            await client.close()
        print_report(report)
        return 0 if report.ok else 1

    try:
        return asyncio.run(go())
    except SetupError as exc:
        raise UserError(str(exc)) from None
    finally:
        db.dispose()
