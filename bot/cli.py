"""`relais` command line. Each feature adds its own sub-commands (`cli` in `bot.features`).

Configuration errors end the program with one French line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli_french import install as french_argparse
from bot.config import ConfigError
from bot.core.errors import UserError
from bot.features import cli_registrars


def build_parser() -> argparse.ArgumentParser:
    french_argparse()
    parser = argparse.ArgumentParser(prog="relais", description="Relais, le bot des conseillers numériques.")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for register in cli_registrars():
        register(sub)
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next((dict(a.choices) for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        # `relais digest` alone: the help of `digest` (its actions), not of the whole program
        chosen = _subparsers(parser).get(getattr(args, "command", None) or "", parser)
        chosen.print_help()
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
