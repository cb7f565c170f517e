"""`relais serve`, `relais setup` and `relais check`."""

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
    check = sub.add_parser(
        "check", help="vérifie de bout en bout, sur le vrai Mattermost, que Relais fonctionne (à lancer après "
        "relais setup, avec relais serve démarré)",
        description="Agit comme un conseiller (jeton d’un compte ordinaire) dans un canal privé temporaire : "
        "chaque commande, un formulaire, un bouton, une réponse dans un fil et une réaction, un fichier, la "
        "reprise de la WebSocket. Supprime ce qu’il a créé ; rien ne reste dans les statistiques du réseau.")
    check.add_argument("--user-token", required=True, metavar="JETON",
                       help="jeton d’accès personnel d’un compte ordinaire (pas le bot) membre de l’équipe")
    check.add_argument("--attente", type=float, default=15.0, metavar="SECONDES",
                       help="temps laissé à chaque réponse (15 s par défaut)")
    check.set_defaults(func=cmd_check)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.db.migrate import open_database
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
    from bot.app import build_registry
    from bot.core.errors import UserError
    from bot.db.migrate import open_database
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


def cmd_check(args: argparse.Namespace) -> int:
    from bot.app import build_registry
    from bot.db.migrate import open_database
    from bot.mattermost.check import print_check, run_check

    settings = load_settings(require_mattermost=True)
    db = open_database(settings)
    print(f"Vérification de Relais sur {settings.mattermost_url} (équipe {settings.team})…", flush=True)
    try:
        report = asyncio.run(run_check(settings, db, build_registry(), args.user_token, wait=args.attente))
    finally:
        db.dispose()
    print_check(report)
    return 0 if report.ok else 1
