"""`relais` command line. Feature modules add their own sub-commands (see FEATURE_CLIS).

Configuration errors end the program with one French line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.cli_french import install as french_argparse
from bot.config import ConfigError, Settings
from bot.db import Database

# Each module defines `register(subparsers)`; its commands set `func(args) -> int`.
FEATURE_CLIS = (
    "bot.cli_core",
    "bot.accompagnements.cli",
    "bot.console.cli",
    "bot.mattermost.cli",
    "bot.entraide.cli",
    "bot.directory.cli",
)


class UserError(Exception):
    """An expected failure the user can fix; printed as is (French), exit code 1."""


def open_database(settings: Settings, *, check_schema: bool = True) -> Database:
    from bot.db.migrate import pending

    db = Database(settings.database_url)
    if check_schema:
        missing = pending(db)
        if missing:
            raise UserError(
                "La base de données n’est pas à jour (" + ", ".join(missing) + " manquant). "
                "Lancez d’abord : relais db upgrade"
            )
    return db


def build_parser() -> argparse.ArgumentParser:
    french_argparse()
    parser = argparse.ArgumentParser(prog="relais", description="Relais, le bot des conseillers numériques.")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in FEATURE_CLIS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
