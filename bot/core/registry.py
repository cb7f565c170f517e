"""Command registry: each handler module declares one `Command` with its sub-commands, buttons and dialogs.

Modelled on Slack Bolt (one decorator per entry point) and python-telegram-bot (a registry the
transports dispatch through). The Mattermost HTTP server and the console both call `Registry`.

The off-loop rule (`bot.core.offloop`), for every handler: the registry runs it on a worker thread with its own
event loop, so its database work never stalls the counsellors served by the main loop; CPU-heavy work still goes
to `await ctx.app.run_cpu(fn, ...)` (charts), and no handler awaits while a database session or a lock is open
(commit, then call the platform; undo if the platform refuses). `tests/test_offloop.py` enforces both.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

from bot.core.context import App, Context
from bot.core.errors import UserFacingError
from bot.core.replies import Reply
from bot.core.text import fold

if TYPE_CHECKING:
    from bot.digest import SectionProvider

log = logging.getLogger(__name__)

CommandHandler = Callable[[Context], Awaitable[Reply]]
ActionHandler = Callable[[Context, dict[str, Any]], Awaitable[Reply]]
DialogHandler = Callable[[Context, dict[str, Any], dict[str, Any]], Awaitable[Reply]]
EventListener = Callable[[App, Any], Awaitable[None]]  # (app, a `bot.core.events` event of the kind listened to)

INTERNAL_ERROR = (
    "Désolé, Relais a rencontré un problème et n’a rien enregistré. Réessayez dans un instant ; "
    "si cela persiste, prévenez votre coordinateur."
)
SHORT_HINT = 24  # a sub-command's argument longer than this is left to `/cmd aide` (the hint stays one line)


@dataclass
class SubCommand:
    name: str
    help: str
    hint: str
    handler: CommandHandler
    aliases: tuple[str, ...] = ()
    coordinators_only: bool = False


@dataclass
class Command:
    """One slash command (`/annuaire`), its sub-commands, and the buttons/dialogs it owns."""

    trigger: str
    description: str
    hint: str = ""
    subcommands: dict[str, SubCommand] = field(default_factory=dict)
    default_handler: CommandHandler | None = None
    default_help: str = ""
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    dialogs: dict[str, DialogHandler] = field(default_factory=dict)
    listeners: dict[str, list[EventListener]] = field(default_factory=dict)

    # -- declaration -------------------------------------------------------------------------
    def default(self, help: str = "") -> Callable[[CommandHandler], CommandHandler]:
        def deco(fn: CommandHandler) -> CommandHandler:
            self.default_handler, self.default_help = fn, help
            return fn

        return deco

    def sub(
        self, name: str, help: str, hint: str = "", *, aliases: tuple[str, ...] = (),
        coordinators_only: bool = False,
    ) -> Callable[[CommandHandler], CommandHandler]:
        def deco(fn: CommandHandler) -> CommandHandler:
            self.subcommands[name] = SubCommand(name, help, hint, fn, aliases, coordinators_only)
            return fn

        return deco

    def action(self, name: str) -> Callable[[ActionHandler], ActionHandler]:
        def deco(fn: ActionHandler) -> ActionHandler:
            self.actions[name] = fn
            return fn

        return deco

    def dialog(self, callback: str) -> Callable[[DialogHandler], DialogHandler]:
        def deco(fn: DialogHandler) -> DialogHandler:
            self.dialogs[callback] = fn
            return fn

        return deco

    def on(self, event: str) -> Callable[[EventListener], EventListener]:
        """Listen to a platform event (`posted`, `reaction_added`…): the listener gets a typed `bot.core.events`
        event, decoded once by the transport (the console makes the same ones)."""

        def deco(fn: EventListener) -> EventListener:
            self.listeners.setdefault(event, []).append(fn)
            return fn

        return deco

    # -- dispatch ----------------------------------------------------------------------------
    def find_sub(self, word: str) -> SubCommand | None:
        """Exact name or alias, else one typo away on words of 5+ letters ("modifer" → "modifier")."""
        w = fold(word)
        for sub in self.subcommands.values():
            if w == sub.name or w in sub.aliases:
                return sub
        if len(w) >= 5:
            close = [s for s in self.subcommands.values()
                     if any(Levenshtein.distance(w, n) <= 1 for n in (s.name, *s.aliases))]
            if len(close) == 1:
                return close[0]
        return None

    async def dispatch(self, ctx: Context) -> Reply:
        text = ctx.text.strip()
        word, _, rest = text.partition(" ")
        sub = self.find_sub(word) if word else None
        if word in ("aide", "help", "?") and "aide" not in self.subcommands and (
                not rest.strip() or self.default_handler is None or self.find_sub(rest.split()[0]) is not None):
            # "/annuaire aide" is help; "/annuaire aide papiers montlucon" is a search that begins with "aide".
            return Reply.private(self.help_markdown())
        if sub is not None:
            if sub.coordinators_only and not await ctx.is_coordinator():
                return Reply.private(
                    f"`/{self.trigger} {sub.name}` est réservé aux coordinateurs du réseau. "
                    "Demandez à votre coordinateur si vous pensez devoir y avoir accès."
                )
            return await sub.handler(ctx.with_args(rest.strip()))
        if self.default_handler is None:
            return Reply.private(self.help_markdown())
        return await self.default_handler(ctx.with_args(text))

    # -- help --------------------------------------------------------------------------------
    def help_markdown(self) -> str:
        lines = [f"**/{self.trigger}** — {self.description}"]
        if self.default_handler is not None and self.default_help:
            lines.append(f"- `/{self.trigger} {self.hint}` : {self.default_help}".replace("  ", " "))
        for sub in self.subcommands.values():
            hint = f" {sub.hint}" if sub.hint else ""
            lines.append(f"- `/{self.trigger} {sub.name}{hint}` : {sub.help}")
        return "\n".join(lines)

    @property
    def autocomplete_hint(self) -> str:
        """The line Mattermost shows after the trigger. Custom slash commands get no sub-command autocomplete,
        so every sub-command is named here (with its argument when short), after the default form."""
        declared = [p.strip() for p in self.hint.strip().strip("[]").split(" | ") if p.strip()]
        names = {n for s in self.subcommands.values() for n in (s.name, *s.aliases)}
        parts = [p for p in declared if p.split(" ")[0] not in names and p != "aide"]
        parts += [f"{s.name} {s.hint}" if s.hint and len(s.hint) <= SHORT_HINT else s.name
                  for s in self.subcommands.values()]
        if "aide" in declared:
            parts.append("aide")
        return "[" + " | ".join(parts) + "]" if parts else ""

    def subcommands_line(self) -> str:
        """`` `/annuaire ajouter`, `/annuaire modifier` `` — for `/aide`, since Mattermost cannot suggest them."""
        return ", ".join(f"`/{self.trigger} {name}`" for name in self.subcommands)


class UnknownTarget(Exception):
    pass


class Registry:
    """What the features bring at run time: commands (with their buttons, dialogs and listeners) and the network
    digest's sections, filled from `bot.features` by `bot.app.build_registry`."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.digest_sections: list[SectionProvider] = []

    def add(self, command: Command) -> Command:
        if command.trigger in self.commands:
            raise ValueError(f"duplicate trigger {command.trigger}")
        self.commands[command.trigger] = command
        return command

    def get(self, trigger: str) -> Command | None:
        return self.commands.get(trigger.lstrip("/").lower())

    def listeners(self, event: str) -> list[EventListener]:
        """The listeners of `event`, each run off the main loop like every handler (see `bot.core.offloop`)."""
        return [functools.partial(_listen_off_loop, fn)
                for cmd in self.commands.values() for fn in cmd.listeners.get(event, [])]

    async def run_command(self, ctx: Context) -> Reply:
        cmd = self.get(ctx.command)
        if cmd is None:
            return Reply.private(f"Commande inconnue : `/{ctx.command}`. Tapez `/aide` pour la liste.")
        return await _guard(ctx, lambda c: cmd.dispatch(c), f"/{cmd.trigger}")

    async def run_action(self, ctx: Context, command: str, action: str, data: dict[str, Any]) -> Reply:
        cmd = self.get(command)
        if cmd is None or action not in cmd.actions:
            raise UnknownTarget(f"{command}:{action}")
        handler = cmd.actions[action]
        return await _guard(ctx, lambda c: handler(c, data), f"{command}:{action}")

    async def run_dialog(
        self, ctx: Context, command: str, callback: str, submission: dict[str, Any], state: dict[str, Any]
    ) -> Reply:
        cmd = self.get(command)
        if cmd is None or callback not in cmd.dialogs:
            raise UnknownTarget(f"{command}:{callback}")
        handler = cmd.dialogs[callback]
        return await _guard(ctx, lambda c: handler(c, submission, state), f"{command}:{callback}", dialog=True)


async def _guard(ctx: Context, call: Callable[[Context], Awaitable[Reply]], where: str, *,
                 dialog: bool = False) -> Reply:
    """Runs the handler off the main loop. The one place where a `UserFacingError` becomes what the counsellor
    reads (beside its field in a dialog); a bug must not take the bot down nor show a traceback."""
    try:
        return await ctx.app.run_handler(lambda app: call(ctx.with_app(app)))
    except UserFacingError as exc:
        if dialog:
            return Reply(errors=exc.errors, error=exc.general)
        return Reply.private(exc.message)
    except Exception:
        log.exception("handler %s failed", where)
        return Reply.private(INTERNAL_ERROR)


async def _listen_off_loop(fn: EventListener, app: App, event: Any) -> None:
    await app.run_handler(lambda bridged: fn(bridged, event))
