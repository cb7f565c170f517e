"""Core sub-commands: `relais db upgrade`, `relais console`, `relais serve`, `relais setup`."""

from __future__ import annotations

import argparse

from bot.config import load_settings
from bot.core.text import count_of


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="base de données")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    up = dbsub.add_parser("upgrade", help="applique les migrations en attente")
    up.set_defaults(func=cmd_db_upgrade)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.db.migrate import open_database, upgrade

    settings = load_settings()
    db = open_database(settings, check_schema=False)
    applied = upgrade(db)
    if applied:
        print(f"Base à jour : {count_of(len(applied), 'migration appliquée')} ({', '.join(applied)}).")
    else:
        print("Base déjà à jour : rien à faire.")
    return 0
