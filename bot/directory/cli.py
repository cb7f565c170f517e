"""`relais directory import|search|bundled`: load directory files and query the directory from a terminal.

`search --json` and `search --batch FILE --json` are a stable contract (other tooling calls them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.core.text import count_of
from bot.db import utcnow


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("directory", help="annuaire des lieux (import, recherche)")
    dsub = parser.add_subparsers(dest="directory_command", metavar="ACTION")

    imp = dsub.add_parser("import", help="importe des fichiers de lieux (CSV v1, JSON v0, liste France Services)")
    imp.add_argument("files", nargs="+", metavar="FICHIER", help="fichiers de lieux à importer")
    imp.add_argument("--source", metavar="SOURCE", help="nom de la source (par défaut : déduit du fichier)")
    imp.add_argument("--by", default="import", metavar="NOM", help="qui importe (gardé dans l’historique)")
    imp.add_argument("--all-warnings", action="store_true", help="affiche tous les avertissements")
    imp.add_argument("--partial", action="store_true",
                     help="fichier partiel : ne ferme aucun lieu absent (par défaut, un lieu de la source absent "
                          "du fichier est marqué fermé)")
    imp.set_defaults(func=cmd_import)

    exp = dsub.add_parser("export", help="exporte les lieux au schéma national v1.0.2 (CSV ou JSON)")
    exp.add_argument("--source", metavar="SOURCE", help="seulement cette source (par exemple france-services)")
    exp.add_argument("--format", choices=("csv", "json"), default="csv", help="format du fichier (csv par défaut)")
    exp.add_argument("--output", "-o", metavar="FICHIER", help="fichier à écrire (par défaut : la sortie standard)")
    exp.set_defaults(func=cmd_export)

    for name, helptext in (("close", "marque un lieu fermé (gardé, caché des recherches)"),
                           ("reopen", "rouvre un lieu fermé")):
        cmd = dsub.add_parser(name, help=helptext)
        cmd.add_argument("ref", metavar="N°", help="numéro du lieu (en bas de sa fiche)")
        cmd.add_argument("--by", default="console", metavar="NOM", help="qui (gardé dans l’historique)")
        cmd.set_defaults(func=cmd_close, closed=name == "close")

    refresh = dsub.add_parser("refresh", help="met à jour les sources [[directory.sources]] de la configuration")
    refresh.add_argument("names", nargs="*", metavar="SOURCE", help="seulement ces sources (par défaut : toutes)")
    refresh.set_defaults(func=cmd_refresh)

    search = dsub.add_parser("search", help="cherche dans l’annuaire")
    search.add_argument("text", nargs="?", metavar="TEXTE", help="ce que vous cherchez, par exemple « caf grenoble »")
    search.add_argument("--limit", type=int, default=5, metavar="NOMBRE", help="nombre de lieux (5 par défaut)")
    search.add_argument("--json", action="store_true", help="sortie JSON")
    search.add_argument("--batch", metavar="FICHIER", help="une requête par ligne ; une ligne JSON par requête")
    search.add_argument("--explain", action="store_true",
                        help="montre la lecture retenue du texte et celles écartées "
                             "(sur la sortie d’erreur avec --json)")
    search.set_defaults(func=cmd_search)

    bundled = dsub.add_parser("bundled", help="importe l’extrait d’annuaire livré avec Relais")
    bundled.set_defaults(func=cmd_bundled)


def _db():
    from bot.config import load_settings
    from bot.db.migrate import open_database

    return open_database(load_settings())


def cmd_import(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError
    from bot.directory.importers import NotADirectoryFile, import_files

    db = _db()
    try:
        reports = import_files(db, [Path(f) for f in args.files], source=args.source, by=args.by,
                               partial=args.partial)
    except NotADirectoryFile as exc:
        raise UserError(f"Import annulé, rien n’a été modifié. {exc}") from None
    for report in reports:
        print(report.summary())
        for issue in report.rejected:
            print(f"  rejeté : {issue}")
        shown = report.warnings if args.all_warnings else report.warnings[:20]
        for issue in shown:
            print(f"  avertissement : {issue}")
        if len(report.warnings) > len(shown):
            more = count_of(len(report.warnings) - len(shown), "autre avertissement", "autres avertissements")
            print(f"  … et {more} (--all-warnings)")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError
    from bot.directory.present import result_json, result_line
    from bot.directory.search import DirectoryService

    if args.limit < 1:
        raise UserError("--limit doit être un nombre entier positif.")
    if not args.batch and not args.text:
        raise UserError('Indiquez un texte à chercher, par exemple : relais directory search "caf grenoble"')
    index = DirectoryService(_db()).index()
    if len(index) == 0:
        print("L’annuaire est vide : importez d’abord des lieux (relais directory import FICHIER…).", file=sys.stderr)
    now = utcnow()

    def explain(text: str, answer) -> None:  # type: ignore[no-untyped-def]
        out = sys.stderr if args.json else sys.stdout
        print(f"# {text}", file=out)
        print(f"  retenue ({answer.score:.2f}) : {answer.understood.explain()}", file=out)
        for understood, score in answer.rejected:
            how = f"{score:.2f}" if score is not None else "non essayée"
            print(f"  écartée ({how}) : {understood.explain()}", file=out)

    def run(text: str) -> list[dict]:
        answer = index.search(text, now=now, limit=args.limit)
        if args.explain:
            explain(text, answer)
        with_distance = answer.understood.location is not None
        return [result_json(r, with_distance=with_distance) for r in answer.page(args.limit)]

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
    if args.explain:
        explain(args.text, answer)
    if answer.note:
        print(answer.note)
    print(f"Compris : {answer.understood.describe() or '(rien de particulier)'}")
    if answer.relaxed:
        dropped = "critères retirés" if len(answer.relaxed) > 1 else "critère retiré"
        print(f"Aucun lieu avec : {', '.join(answer.relaxed)} — {dropped}.")
    for result in answer.page(args.limit):
        print(result_line(result, now, answer.asked_day))
    if not answer.results:
        print("Aucun lieu trouvé. Essayez avec une commune, un code postal ou un besoin (ex. : caf grenoble).")
    return 0


def cmd_bundled(args: argparse.Namespace) -> int:
    from bot.directory.bundled import load_bundled_directory

    for report in load_bundled_directory(_db(), force=True):
        print(report.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError
    from bot.directory.export import export_places

    db = _db()
    with db.session() as s:
        try:
            text, count = export_places(s, source=args.source, fmt=args.format)
        except LookupError as exc:
            raise UserError(str(exc)) from None
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{count_of(count, 'lieu exporté', 'lieux exportés')} vers {args.output} (schéma v1.0.2, {args.format}).",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from bot.directory.edit import set_open

    _changed, text = set_open(_db(), args.ref, closed=args.closed, by=args.by)
    print(text.replace("`/annuaire rouvrir ", "`relais directory reopen "))
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.core.errors import UserError
    from bot.directory.refresh import refresh_now

    settings = load_settings()
    sources = [src for src in settings.directory_sources if not args.names or src.name in args.names]
    if not sources:
        raise UserError("Aucune source à mettre à jour : déclarez-les dans relais.toml ([[directory.sources]]).")
    failed = 0
    for outcome in refresh_now(settings, _db(), sources):
        print(outcome.text or f"{outcome.source} : une mise à jour est déjà en cours dans un autre processus.")
        failed += outcome.failed
    return 1 if failed else 0
