"""The console conversation: read a line, run it through the same registry as Mattermost, show the reply.

A line is a slash command (`/annuaire caf manosque`), the number of a button shown under the last
message, or a plain message posted in the current channel (features listening to the channel see
it, as they would see a Mattermost post). A few console-only commands move between channels and
threads and add reactions, so thread-based features can be tried too.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.console.dialogs import DialogCancelled, DialogFiller
from bot.console.platform import MemoryPlatform, MemoryPost
from bot.console.render import Choice, Renderer
from bot.core.context import App, Context, UserRef
from bot.core.delivery import post_route
from bot.core.events import POSTED, REACTION_ADDED, Event, PostEvent, ReactionEvent
from bot.core.registry import UnknownTarget
from bot.core.replies import Dialog, FileUpload, Reply

log = logging.getLogger(__name__)

ReadLine = Callable[[str], str]
MAX_DIALOG_ROUNDS = 20

CONSOLE_HELP = """Commandes propres au terminal :
- `/canal NOM` : aller dans un autre canal (ceux de la configuration existent)
- `/fil N` : écrire dans le fil du message n° N (`/fil` seul pour en sortir)
- `/repondre N texte` : répondre dans le fil du message n° N
- `/reagir N emoji` : réagir au message n° N (par exemple `/reagir 3 white_check_mark`)
- `/quitter` : fermer le terminal
Un texte sans « / » est publié dans le canal courant, comme un message Mattermost."""


@dataclass
class Shown:
    """A private (ephemeral) reply already printed, so a button under it can replace it."""

    id: str
    command: str


class ConsoleSession:
    def __init__(
        self, app: App, platform: MemoryPlatform, renderer: Renderer, read_line: ReadLine, *,
        channel: str, files_dir: Path,
    ) -> None:
        if platform.me is None:
            raise ValueError("the console's platform has no user (build it with console_platform)")
        self.app = app
        self.platform = platform
        self.me: UserRef = platform.me
        self.renderer = renderer
        self.read_line = read_line
        self.channel = platform.add_channel(channel)
        self.root_id = ""
        self.files_dir = files_dir
        # Buttons the user can click by number. A new command starts a fresh list at 1; what its buttons
        # lead to is numbered after, so "Voir plus" stays clickable after "Partager" posted a card.
        self.choices: list[Choice] = []
        self.fresh_choices = True
        self.shown: dict[str, Shown] = {}
        self.filler = DialogFiller(renderer, read_line)
        platform.listener = self._on_post

    # -- loop -----------------------------------------------------------------------------------
    def prompt(self) -> str:
        where = f"~{self.channel.name}"
        if self.root_id:
            post = self.platform.by_id.get(self.root_id)
            where += f" › fil n° {post.number if post else '?'}"
        return f"{self.me.username} @ {where} > "

    async def run(self) -> int:
        while True:
            try:
                line = self.read_line(self.prompt())
            except EOFError:
                break
            except KeyboardInterrupt:
                self.renderer.blank()
                break
            line = line.strip()
            if not line:
                continue
            self.renderer.echo(line)
            if line.lower() in ("/quitter", "/exit", "/quit"):
                break
            await self.handle_line(line)
            await self.deliver_outbox()
            self.renderer.blank()
        return 0

    async def handle_line(self, line: str) -> None:
        self.fresh_choices = not line.isdigit()
        if line.isdigit():
            await self.click(int(line))
        elif line.startswith("/"):
            trigger, _, text = line[1:].partition(" ")
            trigger = trigger.lower()
            if self.app.registry.get(trigger) is None and await self.console_command(trigger, text.strip()):
                return
            await self.run_command(trigger, text.strip())
        else:
            await self.post_message(line, self.root_id)

    # -- contexts -------------------------------------------------------------------------------
    def context(self, command: str, text: str = "", *, post_id: str = "", root_id: str | None = None) -> Context:
        return Context(
            app=self.app, user_id=self.me.id, user_name=self.me.username,
            channel_id=self.channel.id, channel_name=self.channel.name, team_id=self.channel.team_id,
            team_name=self.platform.team_name, text=text, root_id=self.root_id if root_id is None else root_id,
            trigger_id=secrets.token_hex(13), post_id=post_id, command=command,
        )

    # -- what the user does ---------------------------------------------------------------------
    async def run_command(self, trigger: str, text: str) -> None:
        ctx = self.context(trigger, text)
        reply = await self.app.registry.run_command(ctx)
        await self.show_reply(reply, trigger, ctx)

    async def click(self, number: int) -> None:
        choice = next((c for c in self.choices if c.number == number), None)
        if choice is None:
            if self.choices:
                shown = ", ".join(str(c.number) for c in self.choices)
                self.renderer.error(f"Pas de bouton n° {number}. Boutons disponibles : {shown}.")
            else:
                self.renderer.error("Aucun bouton à cliquer pour l’instant. Tapez une commande, par exemple /aide.")
            return
        post = self.platform.by_id.get(choice.post_id)
        ctx = self.context(choice.command, post_id=choice.post_id,
                           root_id=(post.root_id or post.id) if post else self.root_id)
        self.renderer.notice(f"Vous cliquez sur « {choice.button.label} ».")
        try:
            reply = await self.app.registry.run_action(ctx, choice.command, choice.button.action, choice.button.data)
        except UnknownTarget:
            self.renderer.error("Ce bouton ne fait plus rien (action inconnue).")
            return
        await self.show_reply(reply, choice.command, ctx, clicked=choice.post_id)

    async def post_message(self, message: str, root_id: str) -> None:
        """A counsellor's own message, delivered to listeners like a WebSocket `posted`.

        A thread reply goes to the channel of its thread, wherever the user currently is.
        """
        root = self.platform.by_id.get(root_id) if root_id else None
        channel = (self.platform.channel_by_id(root.channel_id) if root else None) or self.channel
        post = self.platform.record(channel.id, self.me.id, message, root_id=root_id)
        await self.platform.keep(post)
        where = f"~{channel.name}" + (f" (dans le fil du message n° {root.number})" if root else "")
        self.renderer.notice(f"Message n° {post.number} publié dans {where}.")
        await self.dispatch(PostEvent(
            POSTED, post.id, channel_id=post.channel_id, user_id=post.user_id, message=post.message,
            root_id=post.root_id, channel_name=channel.name, sender_name=self.me.username,
            created=datetime.fromtimestamp(post.create_at / 1000, UTC) if post.create_at else None))

    async def react(self, post: MemoryPost, emoji: str) -> None:
        self.renderer.notice(f"Réaction :{emoji}: ajoutée au message n° {post.number}.")
        await self.dispatch(ReactionEvent(REACTION_ADDED, post.id, self.me.id, emoji,
                                          channel_id=post.channel_id,
                                          created=datetime.fromtimestamp(self._millis() / 1000, UTC)))

    async def dispatch(self, event: Event) -> None:
        """The same typed events the Mattermost transport decodes, to the same listeners."""
        for listener in self.app.registry.listeners(event.kind):
            try:
                await listener(self.app, event)
            except Exception:
                log.exception("listener for %s failed", event.kind)
                self.renderer.error("Relais a rencontré un problème en traitant ce message.")

    async def console_command(self, word: str, text: str) -> bool:
        """Console-only commands; False when the word is none of them (then it is an unknown command)."""
        if word == "console":
            self.renderer.message(CONSOLE_HELP, [])
        elif word == "canal":
            if not text:
                names = ", ".join(f"~{n}" for n in self.platform.channels)
                self.renderer.notice(f"Vous êtes dans ~{self.channel.name}. Canaux : {names}.", style="")
            else:
                self.channel = self.platform.add_channel(text.split()[0])
                self.root_id = ""
                self.renderer.notice(f"Vous êtes maintenant dans ~{self.channel.name}.", style="")
        elif word in ("fil", "repondre", "répondre", "reagir", "réagir"):
            number, _, rest = text.partition(" ")
            if word == "fil" and not number:
                self.root_id = ""
                self.renderer.notice("Vous avez quitté le fil.", style="")
                return True
            post = self.platform.by_number.get(int(number)) if number.isdigit() else None
            if post is None:
                self.renderer.error(f"Message n° {number or '?'} introuvable : tapez le numéro affiché "
                                    "au-dessus du message (« message n° … »).")
                return True
            root = post.root_id or post.id
            if word == "fil":
                channel = self.platform.channel_by_id(post.channel_id)
                self.channel = channel or self.channel
                self.root_id = root
                self.renderer.notice(f"Vous écrivez dans le fil du message n° {post.number}.", style="")
            elif word.startswith("r") and word.endswith("ondre"):
                if not rest.strip():
                    self.renderer.error("Écrivez la réponse après le numéro : /repondre 3 Merci !")
                else:
                    await self.post_message(rest.strip(), root)
            else:
                await self.react(post, rest.strip().strip(":") or "white_check_mark")
        else:
            return False
        return True

    # -- showing replies ------------------------------------------------------------------------
    async def show_reply(self, reply: Reply, command: str, ctx: Context, *, clicked: str = "", depth: int = 0) -> None:
        if reply.errors or reply.error:
            if reply.error:
                self.renderer.error(reply.error)
            self.renderer.field_errors(reply.errors, {})
        # The same route as the Mattermost transport (`bot.core.delivery`): update, channel, or for them alone.
        route = post_route(reply, can_update=bool(clicked))
        root_id = reply.root_id if reply.root_id is not None else ctx.root_id
        if route == "update" and clicked in self.platform.by_id:
            await self.platform.update_post(clicked, reply.text, cards=reply.cards, command=command)
        elif route == "update":
            self.show_private(reply, command, replaces=clicked)
        elif route == "channel":
            await self.platform.create_post(
                reply.channel_id or ctx.channel_id, reply.text, root_id=root_id,
                cards=reply.cards, props=reply.props, files=reply.files, command=command)
        elif route != "nothing":
            self.show_private(reply, command)
        if reply.dialog is not None and depth < MAX_DIALOG_ROUNDS:
            await self.run_dialog(reply.dialog, reply.dialog.command or command, ctx, depth)

    def show_private(self, reply: Reply, command: str, *, replaces: str = "") -> None:
        entry = Shown(replaces or secrets.token_hex(13), command)
        self.shown[entry.id] = entry
        header = "Message mis à jour (visible par vous seulement)" if replaces else ""
        choices = self.renderer.message(reply.text, reply.cards, header=header, post_id=entry.id, command=command,
                                        first_number=self._next_number(entry.id))
        self._keep_choices(choices, entry.id)
        self.save_files(reply.files)

    async def _on_post(self, post: MemoryPost, updated: bool) -> None:
        channel = self.platform.channel_by_id(post.channel_id)
        author = self.platform.users.get(post.user_id)
        where = f"~{channel.name if channel else '?'}" + (" (dans un fil)" if post.root_id else "")
        verb = "modifié" if updated else "publié"
        header = f"Message n° {post.number} {verb} par @{author.username if author else '?'} dans {where}"
        choices = self.renderer.message(post.message, post.cards, header=header, post_id=post.id,
                                        command=post.command, first_number=self._next_number(post.id))
        self._keep_choices(choices, post.id)
        if not updated:
            self.save_files(post.files)

    def save_files(self, files: list[FileUpload]) -> None:
        if not files:
            return
        self.files_dir.mkdir(parents=True, exist_ok=True)
        for upload in files:
            name = Path(upload.filename).name or "fichier"
            path = self.files_dir / name
            stem, suffix, n = path.stem, path.suffix, 2
            while path.exists():
                path = self.files_dir / f"{stem}-{n}{suffix}"
                n += 1
            path.write_bytes(upload.content)
            self.renderer.saved_file(upload, path.resolve())

    async def run_dialog(self, dialog: Dialog, command: str, ctx: Context, depth: int) -> None:
        values: dict[str, Any] | None = None
        only: set[str] | None = None
        errors: dict[str, str] = {}
        try:
            for _ in range(MAX_DIALOG_ROUNDS):
                values = self.filler.fill(dialog, values, only, errors)
                reply = await self.app.registry.run_dialog(ctx, command, dialog.callback, values, dialog.state)
                if not (reply.errors or reply.error):
                    if reply.is_empty:
                        self.renderer.notice("Formulaire envoyé.", style="green")
                    await self.show_reply(reply, command, ctx, depth=depth + 1)
                    return
                if reply.error:
                    self.renderer.error(reply.error)
                known = {el.name for el in dialog.elements}
                new_errors = {k: v for k, v in reply.errors.items() if k in known}
                # Mattermost lets the user edit any field; the console re-asks the flagged ones, and the
                # whole form after a general error or when the same errors come back (the cause may lie
                # in a field that was not flagged).
                repeated = new_errors == errors and only is not None
                errors = new_errors
                only = None if (repeated or not errors) else set(errors)
                if only is None:
                    self.renderer.notice("Revoyons tout le formulaire (Entrée garde la valeur actuelle).")
        except (DialogCancelled, EOFError, KeyboardInterrupt) as exc:
            if not isinstance(exc, DialogCancelled):
                self.renderer.blank()  # Ctrl+C / Ctrl+D leave the cursor on the prompt line
            self.renderer.notice("Formulaire annulé : rien n’a été envoyé.", style="yellow")
        except UnknownTarget:
            self.renderer.error("Ce formulaire ne mène nulle part (réponse inconnue).")

    # -- helpers --------------------------------------------------------------------------------
    def _next_number(self, post_id: str) -> int:
        if self.fresh_choices:
            return 1
        return max((c.number for c in self.choices if c.post_id != post_id), default=0) + 1

    def _keep_choices(self, choices: list[Choice], post_id: str) -> None:
        """A message shown again (edited) loses its old buttons; the first buttons of a new command reset the list."""
        self.choices = [c for c in self.choices if c.post_id != post_id]
        if not choices:
            return
        if self.fresh_choices:
            self.choices, self.fresh_choices = choices, False
        else:
            self.choices += choices

    async def deliver_outbox(self) -> None:
        """Post what features queued for delivery (announcements, digests): `relais serve` does it on a timer."""
        try:
            from bot.outbox.delivery import deliver_due
        except ImportError:
            return
        try:
            for _ in range(3):  # a delivery may queue a follow-up (the sender's delivery report)
                report = await deliver_due(self.app, "console")
                if not (report.sent or report.failed):
                    break
        except Exception:
            log.exception("console: outbox delivery failed")
            self.renderer.error("Relais n’a pas pu publier un message en attente ; il réessaiera.")

    def _millis(self) -> int:
        return int(self.app.now().timestamp() * 1000)

