"""`/aide`: every command with one line of French help (what a newcomer types first)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Command
from bot.core.replies import Reply

command = Command("aide", "Liste les commandes de Relais", hint="[commande]")


@command.default(help="affiche l’aide de toutes les commandes, ou d’une seule")
async def show_help(ctx: Context) -> Reply:
    registry = ctx.app.registry
    wanted = ctx.args.strip().lstrip("/")
    if wanted:
        cmd = registry.get(wanted)
        if cmd is None:
            return Reply.private(f"Je ne connais pas `/{wanted}`. Tapez `/aide` pour la liste des commandes.")
        return Reply.private(cmd.help_markdown())
    lines = ["**Relais** : l’entraide des conseillers numériques. Commandes :"]
    # Mattermost suggests no sub-commands for custom slash commands: they are named here.
    lines += [f"- `/{c.trigger}` : {c.description}" + (f" — aussi : {c.subcommands_line()}" if c.subcommands else "")
              for c in registry.commands.values()]
    lines.append("\nTapez `/aide annuaire` (par exemple) pour le détail d’une commande.")
    return Reply.private("\n".join(lines))
