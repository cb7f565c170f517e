"""`relais digest preview --channel NAME`: print the next digest in a terminal, without posting anything."""

from __future__ import annotations

import argparse

from bot.config import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    digest = sub.add_parser("digest", aliases=["recap"], help="récapitulatifs programmés du réseau",
                            description="Récapitulatifs programmés du réseau (questions, réponses, idées).")
    dsub = digest.add_subparsers(dest="digest_command", metavar="ACTION")
    preview = dsub.add_parser("preview", help="affiche le prochain récapitulatif d’un canal sans le publier",
                             description="Affiche le prochain récapitulatif d’un canal, sans le publier.")
    preview.add_argument("--channel", metavar="NOM", help="canal du récapitulatif (par défaut : le premier programmé)")
    preview.set_defaults(func=cmd_preview)


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.core.errors import UserError
    from bot.db import utcnow
    from bot.db.migrate import open_database
    from bot.entraide.runs import build_preview
    from bot.features import digest_sections

    settings = load_settings()
    channel = (args.channel or "").lstrip("~") or None
    if channel and not any(d.channel == channel for d in settings.digests):
        known = ", ".join(d.channel for d in settings.digests) or "aucun"
        raise UserError(f"Aucun récapitulatif n’est programmé pour le canal « {channel} » (canaux programmés : "
                        f"{known}). Ajoutez une table [[digests]] dans relais.toml, ou choisissez un de ces canaux.")
    db = open_database(settings)
    base = f"{settings.mattermost_url}/{settings.team}/pl/" if settings.mattermost_url else "post:"
    try:
        digest, sched = build_preview(settings, db, lambda post_id: base + post_id, utcnow(), channel,
                                      providers=digest_sections())
    finally:
        db.dispose()
    where = f"~{sched.channel}" if sched else "aucun canal programmé"
    if digest.is_empty:
        print(f"Rien à signaler pour {where} : le prochain récapitulatif ne serait pas publié.")
    else:
        print(f"Aperçu du prochain récapitulatif ({where}), non publié :\n")
        print(digest.render())
    return 0
