"""`relais directory import|search|bundled`: load directory files and query the directory from a terminal.

`search --json` and `search --batch FILE --json` are a stable contract (other tooling calls them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.db import utcnow


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("directory", help="annuaire des lieux (import, recherche)")
    dsub = parser.add_subparsers(dest="directory_command", metavar="ACTION")

    imp = dsub.add_parser("import", help="importe des fichiers de lieux (CSV v1, JSON v0, liste France Services)")
    imp.add_argument("files", nargs="+", metavar="FICHIER")
    imp.add_argument("--source", help="nom de la source (par défaut : déduit du fichier)")
    imp.add_argument("--by", default="import", help="qui importe (gardé dans l'historique)")
    imp.add_argument("--all-warnings", action="store_true", help="affiche tous les avertissements")
    imp.set_defaults(func=cmd_import)

    search = dsub.add_parser("search", help="cherche dans l'annuaire")
    search.add_argument("text", nargs="?", metavar="TEXTE")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--json", action="store_true", help="sortie JSON")
    search.add_argument("--batch", metavar="FICHIER", help="une requête par ligne ; une ligne JSON par requête")
    search.set_defaults(func=cmd_search)

    bundled = dsub.add_parser("bundled", help="importe l'extrait d'annuaire livré avec Relais")
    bundled.set_defaults(func=cmd_bundled)


def _db():
    from bot.cli import open_database
    from bot.config import load_settings

    return open_database(load_settings())


def cmd_import(args: argparse.Namespace) -> int:
    from bot.cli import UserError
    from bot.directory.importers import NotADirectoryFile, import_files

    db = _db()
    try:
        reports = import_files(db, [Path(f) for f in args.files], source=args.source, by=args.by)
    except NotADirectoryFile as exc:
        raise UserError(f"Import annulé, rien n'a été modifié. {exc}") from None
    for report in reports:
        print(report.summary())
        for issue in report.rejected:
            print(f"  rejeté : {issue}")
        shown = report.warnings if args.all_warnings else report.warnings[:20]
        for issue in shown:
            print(f"  avertissement : {issue}")
        if len(report.warnings) > len(shown):
            print(f"  … et {len(report.warnings) - len(shown)} autre(s) avertissement(s) (--all-warnings)")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from bot.cli import UserError
    from bot.directory.present import result_json, result_line
    from bot.directory.search import DirectoryService

    if args.limit < 1:
        raise UserError("--limit doit être un nombre entier positif.")
    if not args.batch and not args.text:
        raise UserError('Indiquez un texte à chercher, par exemple : relais directory search "caf grenoble"')
    index = DirectoryService(_db()).index()
    if len(index) == 0:
        print("L'annuaire est vide : importez d'abord des lieux (relais directory import FICHIER…).", file=sys.stderr)
    now = utcnow()

    def run(text: str) -> list[dict]:
        answer = index.search(text, now=now, limit=args.limit)
        with_distance = answer.understood.location is not None
        return [result_json(r, with_distance=with_distance) for r in answer.results]

    if args.batch:
        try:
            lines = Path(args.batch).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UserError(f"Impossible de lire {args.batch} : {exc.strerror}") from None
        for line in lines:
            results = run(line) if line.strip() else []
            if args.json:
                print(json.dumps(results, ensure_ascii=False))
            else:
                print(f"# {line}")
                for r in results:
                    print(f"  {r['nom']} — {r['commune']}")
        return 0
    if args.json:
        print(json.dumps(run(args.text), ensure_ascii=False))
        return 0
    answer = index.search(args.text, now=now, limit=args.limit)
    print(f"Compris : {answer.understood.describe() or '(rien de particulier)'}")
    if answer.relaxed:
        print(f"Aucun lieu avec : {', '.join(answer.relaxed)} — critère(s) retiré(s).")
    for r in answer.results:
        print(result_line(r, now))
    if not answer.results:
        print("Aucun lieu trouvé. Essayez avec une commune, un code postal ou un besoin (ex. : caf grenoble).")
    return 0


def cmd_bundled(args: argparse.Namespace) -> int:
    from bot.directory.bundled import load_bundled_directory

    for report in load_bundled_directory(_db(), force=True):
        print(report.summary())
    return 0
