"""`relais sessions export` (CSV in the Coop's layout) and `relais sessions purge` (retention)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from bot.accompagnements.periods import PeriodError, parse_date
from bot.config import load_settings
from bot.core.text import count_of


def register(sub: argparse._SubParsersAction) -> None:
    sessions = sub.add_parser("accompagnements", aliases=["sessions"],
                              help="accompagnements saisis (CRA) : export, purge")
    ssub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION")
    exp = ssub.add_parser("export", help="exporte les accompagnements du réseau au format CSV de La Coop")
    exp.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="premier jour (AAAA-MM-JJ)")
    exp.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="dernier jour inclus (AAAA-MM-JJ)")
    exp.add_argument("--format", choices=["csv", "xlsx"], default=None,
                     help="format du fichier : csv, ou xlsx (tableur ; par défaut si --output finit par .xlsx)")
    exp.add_argument("--output", "-o", metavar="FICHIER", help="fichier à écrire (par défaut : la sortie standard)")
    exp.set_defaults(func=cmd_export)
    purge = ssub.add_parser("purge", help="supprime les accompagnements datés d’avant une date (conservation)")
    purge.add_argument("--before", metavar="DATE",
                       help="date (AAAA-MM-JJ) ; par défaut aujourd’hui moins network.retention_days")
    purge.set_defaults(func=cmd_purge)
    sessions.set_defaults(func=lambda args: (sessions.print_help(), 2)[1])


def _date(text: str, what: str, today: date) -> date:
    from bot.core.errors import UserError

    try:
        return parse_date(text, today)
    except PeriodError as exc:
        raise UserError(f"{what} : {exc}") from None


def cmd_export(args: argparse.Namespace) -> int:
    from bot.accompagnements import profile, service
    from bot.accompagnements.export import write_csv
    from bot.accompagnements.inline import TIMEZONE_DEPARTEMENTS
    from bot.accompagnements.places import PlaceLookup
    from bot.accompagnements.workbook import ExportInfo, xlsx_bytes
    from bot.core.errors import UserError
    from bot.db import utcnow
    from bot.db.migrate import open_database

    settings = load_settings()
    today = utcnow().astimezone(settings.tz).date()
    start, end = _date(args.date_from, "--from", today), _date(args.date_to, "--to", today)
    if end < start:
        raise UserError("--to est avant --from : rien à exporter.")
    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx" and not args.output:
        raise UserError("--format xlsx écrit un fichier : ajoutez --output export.xlsx.")
    db = open_database(settings)
    try:
        with db.session() as s:
            rows = service.in_period(s, start, end)
            places = PlaceLookup(s, TIMEZONE_DEPARTEMENTS.get(settings.timezone, ())).find
            profiles = profile.all_profiles(s)
            if fmt == "xlsx":
                info = ExportInfo("relais (administration)", "-", f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}", utcnow())
                content, n = xlsx_bytes(rows, settings.tz, info, total=service.count_accompaniments(s, start, end),
                                        self_export=False, places=places, profiles=profiles)
                Path(args.output).write_bytes(content)
                print(f"{count_of(n, 'ligne écrite')} dans {args.output} (du {start:%d/%m/%Y} au {end:%d/%m/%Y}).",
                      file=sys.stderr)
            elif args.output:
                path = Path(args.output)
                with path.open("w", encoding="utf-8-sig", newline="") as fh:
                    n = write_csv(fh, rows, settings.tz, self_export=False, places=places, profiles=profiles)
                print(f"{count_of(n, 'ligne écrite')} dans {path} (du {start:%d/%m/%Y} au {end:%d/%m/%Y}).",
                      file=sys.stderr)
            else:
                n = write_csv(sys.stdout, rows, settings.tz, self_export=False, places=places, profiles=profiles)
    finally:
        db.dispose()
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.accompagnements import service
    from bot.core.errors import UserError
    from bot.db import utcnow
    from bot.db.migrate import open_database

    settings = load_settings()
    today = utcnow().astimezone(settings.tz).date()
    before = _date(args.before, "--before", today) if args.before else today - timedelta(days=settings.retention_days)
    if before > today:
        raise UserError(f"--before {before:%d/%m/%Y} est dans le futur : cela effacerait tout. Vérifiez la date.")
    db = open_database(settings)
    try:
        with db.session() as s:
            counts = service.purge_before(s, before)
    finally:
        db.dispose()
    total = sum(counts.values())
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "aucun"
    print(f"Purge des accompagnements datés d’avant le {before:%d/%m/%Y} : {count_of(total, 'supprimé')} ({detail}).")
    return 0
