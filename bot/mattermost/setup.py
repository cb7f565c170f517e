"""`relais setup`: register every slash command on the team (idempotent) and check the configured channels.

Run it after each upgrade: it creates what is missing, updates what changed, leaves the rest
alone, stores the command tokens `relais serve` checks, and explains in French what an
administrator must grant or create when something is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Settings
from bot.core.context import PlatformError
from bot.core.cron import describe
from bot.core.registry import Command, Registry
from bot.core.text import truncate, zone_label
from bot.db import Database
from bot.mattermost import limits
from bot.mattermost.client import MattermostClient
from bot.mattermost.render import COMMANDS_PATH
from bot.mattermost.tokens import save_token

COMPARED = ("url", "method", "auto_complete", "auto_complete_desc", "auto_complete_hint", "display_name", "description")

GRANT_COMMANDS = (
    "Le compte bot n’a pas la permission « manage_slash_commands » (gérer les commandes slash) sur l’équipe {team}.\n"
    "Un administrateur peut la lui donner de deux façons :\n"
    "  - faire du bot un administrateur de l’équipe : menu de l’équipe > Voir les membres > rôle du bot > "
    "« Administrateur d’équipe » ;\n"
    "  - ou Console système > Gestion des utilisateurs > Permissions > schéma système > Membres > "
    "Intégrations > cocher « Gérer les commandes slash ».\n"
    "Puis relancez : relais setup"
)
COMMANDS_DISABLED = (
    "Les commandes slash personnalisées sont désactivées sur ce Mattermost. Un administrateur système peut les "
    "activer : Console système > Intégrations > Intégrations personnalisées > « Activer les commandes slash "
    "personnalisées ». Puis relancez : relais setup"
)


class SetupError(Exception):
    """Setup cannot go on; the message (French) says what to do."""


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    channels_ok: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.skipped


def desired_command(cmd: Command, team_id: str, public_url: str) -> dict[str, Any]:
    """The Mattermost command for a registry entry, within the server's limits (display name and description
    in bytes: Mattermost refuses 65 "é" as a description)."""
    return {
        "team_id": team_id,
        "trigger": cmd.trigger,
        "url": public_url.rstrip("/") + COMMANDS_PATH,
        "method": "P",
        "auto_complete": True,
        "auto_complete_desc": truncate(cmd.description, limits.COMMAND_AUTOCOMPLETE),
        "auto_complete_hint": truncate(cmd.autocomplete_hint, limits.COMMAND_AUTOCOMPLETE),  # every sub-command
        "display_name": limits.fit(f"Relais /{cmd.trigger}", limits.COMMAND_DISPLAY_NAME),  # bytes, as the server
        "description": limits.fit(cmd.description, limits.COMMAND_DESCRIPTION),
    }


def _is_ours(existing: dict[str, Any], bot_user_id: str) -> bool:
    return existing.get("creator_id") == bot_user_id or str(existing.get("url", "")).endswith(COMMANDS_PATH)


def _permission_error(exc: PlatformError, team: str) -> SetupError:
    if exc.status == 403:
        return SetupError(GRANT_COMMANDS.format(team=team))
    if exc.status == 501:
        return SetupError(COMMANDS_DISABLED)
    return SetupError(f"Mattermost a refusé l’opération sur les commandes ({exc}). Réessayez ; si cela persiste, "
                      "vérifiez le journal de Mattermost.")


async def register_commands(
    client: MattermostClient, db: Database, registry: Registry, settings: Settings, team_id: str,
    report: SetupReport,
) -> None:
    try:
        existing = {c["trigger"]: c for c in await client.list_commands(team_id) if c.get("delete_at", 0) == 0}
    except PlatformError as exc:
        raise _permission_error(exc, settings.team) from exc
    for cmd in registry.commands.values():
        want = desired_command(cmd, team_id, settings.public_url)
        have = existing.get(cmd.trigger)
        try:
            if have is None:
                saved = await client.create_command(want)
                report.created.append(cmd.trigger)
            elif not _is_ours(have, client.bot_user_id):
                report.skipped.append(cmd.trigger)
                continue
            elif any(have.get(k) != want[k] for k in COMPARED):
                saved = await client.update_command(have["id"], {**have, **want})
                report.updated.append(cmd.trigger)
            else:
                saved = have
                report.unchanged.append(cmd.trigger)
        except PlatformError as exc:
            raise _permission_error(exc, settings.team) from exc
        if not saved.get("token"):
            raise SetupError(f"Mattermost n’a pas renvoyé le jeton de /{cmd.trigger}. Vérifiez que le bot a la "
                             "permission « manage_slash_commands », puis relancez : relais setup")
        save_token(db, cmd.trigger, team_id, saved["id"], saved["token"], key=settings.secret)


async def check_channels(client: MattermostClient, settings: Settings, report: SetupReport) -> None:
    for name in settings.channels:
        ref = await client.channel_by_name(name)
        if ref is None:
            report.problems.append(
                f"Le canal ~{name} n’existe pas dans l’équipe {settings.team} (ou le bot ne peut pas le voir) : "
                f"créez-le, ou corrigez son nom dans config/relais.toml.")
        elif not await client.is_channel_member(ref.id, client.bot_user_id):
            report.problems.append(
                f"Le bot n’est pas membre du canal ~{name} : dans ce canal, tapez /invite @{client.bot_username}")
        else:
            report.channels_ok.append(name)


async def run_setup(settings: Settings, db: Database, client: MattermostClient, registry: Registry) -> SetupReport:
    try:
        await client.login()
    except PlatformError as exc:
        if exc.status == 401:
            raise SetupError("Mattermost refuse le jeton MATTERMOST_TOKEN : recréez un jeton d’accès pour le compte "
                             "bot (Console système > Intégrations > Comptes bot) et mettez-le dans .env.") from exc
        raise SetupError(f"Impossible de joindre Mattermost à {settings.mattermost_url} ({exc}). "
                         "Vérifiez MATTERMOST_URL et que le serveur est démarré.") from exc
    try:
        team = await client.team(settings.team)
    except PlatformError as exc:
        raise SetupError(f"Impossible de lire l’équipe {settings.team} ({exc}).") from exc
    if team is None:
        raise SetupError(f"L’équipe « {settings.team} » est introuvable, ou le bot n’en est pas membre : vérifiez "
                         "MATTERMOST_TEAM (le nom court, celui de l’URL) et ajoutez le bot à l’équipe "
                         "(menu de l’équipe > Ajouter des membres).")
    report = SetupReport()
    await register_commands(client, db, registry, settings, team["id"], report)
    await check_channels(client, settings, report)
    report.digests = digest_lines(settings)
    return report


def digest_lines(settings: Settings) -> list[str]:
    """What will be posted on its own, said so that an administrator can check it (and knows the default)."""
    if not settings.digests:
        return ["Récapitulatifs : aucun (default_digest = false dans relais.toml)."]
    zone = zone_label(settings.timezone)
    lines = [f"Récapitulatif « {d.title} » dans ~{d.channel} : {describe(d.cron)} ({zone})."
             for d in settings.digests]
    if settings.digests_are_default:
        lines.append("C’est le récapitulatif par défaut ; pour le changer ou le supprimer, ajoutez un bloc "
                     "[[digests]] ou default_digest = false dans [network] de config/relais.toml.")
    return lines


def print_report(report: SetupReport, out: Callable[[str], None] = print) -> None:
    def line(label: str, triggers: list[str]) -> None:
        if triggers:
            out(f"{label} : " + ", ".join(f"/{t}" for t in triggers))

    line("Commandes créées", report.created)
    line("Commandes mises à jour", report.updated)
    line("Commandes inchangées", report.unchanged)
    for trigger in report.skipped:
        out(f"Commande /{trigger} laissée de côté : une autre intégration l’utilise déjà sur l’équipe. "
            "Supprimez-la (Intégrations > Commandes slash) ou renommez-la, puis relancez : relais setup")
    if report.channels_ok:
        out("Canaux vérifiés : " + ", ".join(f"~{n}" for n in report.channels_ok))
    for line_text in report.digests:
        out(line_text)
    for problem in report.problems:
        out(problem)
    out("Tout est prêt : lancez relais serve." if report.ok else "À corriger, puis relancez : relais setup")
