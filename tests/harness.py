"""One test harness for every feature: a command, a click, a dialog submission, a post, a reaction.

`Harness(app, "u-bob", "bob")` acts as that user; every method also takes `user_id`, `user_name`, `channel`,
`post_id` (the post a button is under) and `root_id` (the thread) for one call.

Everything goes through the registry, as the Mattermost transport and the console do (so handlers run off the
loop exactly as in production); `Harness.app.platform` is the in-memory platform of `tests.fakes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.context import App, Context
from bot.core.events import Event
from bot.core.replies import Button, Reply
from bot.mattermost.websocket import typed_event


@dataclass
class Harness:
    app: App
    user_id: str = "u-alice"
    user_name: str = "alice"
    channel: str = "general"
    team: str = "team1"

    def ctx(self, command: str, text: str = "", *, user_id: str | None = None, user_name: str | None = None,
            channel: str | None = None, post_id: str = "", root_id: str = "") -> Context:
        channel = channel or self.channel
        return Context(app=self.app, user_id=user_id or self.user_id, user_name=user_name or self.user_name,
                       channel_id=f"ch-{channel}", channel_name=channel, team_id=self.team, team_name=self.team,
                       text=text, command=command, trigger_id="trig", post_id=post_id, root_id=root_id)

    async def command(self, line: str, **kw: Any) -> Reply:
        """`/annuaire caf grenoble` as a counsellor types it."""
        trigger, _, text = line.lstrip("/").partition(" ")
        return await self.app.registry.run_command(self.ctx(trigger, text, **kw))

    async def click(self, command: str, action: str, data: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return await self.app.registry.run_action(self.ctx(command, **kw), command, action, data or {})

    async def press(self, command: str, button: Button, **kw: Any) -> Reply:
        """A button a reply showed (its action and data), sent to its own command if it names one."""
        return await self.click(button.command or command, button.action, button.data, **kw)

    async def submit(self, command: str, callback: str, submission: dict[str, Any],
                     state: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return await self.app.registry.run_dialog(self.ctx(command, **kw), command, callback, submission,
                                                  state or {})

    async def fill(self, command: str, reply: Reply, changes: dict[str, Any], **kw: Any) -> Reply:
        """Submit the dialog `reply` opened, its fields left as proposed except `changes` (as Mattermost sends a
        form: a checkbox is a bool)."""
        dialog = reply.dialog
        assert dialog is not None, f"no dialog in this reply: {reply.text}"
        submission: dict[str, Any] = {el.name: (el.default == "true") if el.type == "bool" else el.default
                                      for el in dialog.elements}
        submission.update(changes)
        return await self.submit(command, dialog.callback, submission, dialog.state, **kw)

    async def emit(self, event: dict[str, Any] | Event) -> None:
        """An event to the listeners: Mattermost's JSON is decoded by the transport's own decoder first."""
        typed = typed_event(event) if isinstance(event, dict) else event
        assert typed is not None, f"not an event listeners take: {event}"
        for listener in self.app.registry.listeners(typed.kind):
            await listener(self.app, typed)

    async def post(self, post_id: str, message: str, *, channel: str | None = None, user_id: str | None = None,
                   user_name: str | None = None, root_id: str = "", create_at: int | None = None,
                   props: dict[str, Any] | None = None) -> None:
        """Someone's message (a thread reply with `root_id`), made now on the app's clock unless `create_at`."""
        if create_at is None:
            create_at = int(self.app.now().timestamp() * 1000)
        await self.emit(posted_event(post_id, message, channel=channel or self.channel,
                                     user_id=user_id or self.user_id, user_name=user_name or self.user_name,
                                     root_id=root_id, create_at=create_at, props=props))

    async def react(self, post_id: str, emoji: str, *, channel: str | None = None, user_id: str | None = None,
                    added: bool = True) -> None:
        await self.emit(reaction_event(post_id, user_id or self.user_id, emoji, channel=channel or self.channel,
                                       added=added))

    async def delete(self, post_id: str) -> None:
        """A post deleted in Mattermost."""
        await self.emit({"event": "post_deleted", "data": {"post": {"id": post_id}}})


def posted_event(post_id: str, message: str, *, channel: str, user_id: str, user_name: str = "",
                 root_id: str = "", create_at: int = 1_790_000_000_000,
                 props: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `posted` WebSocket event as Mattermost sends it (the one builder of the tests, with `reaction_event`)."""
    post = {"id": post_id, "channel_id": f"ch-{channel}", "user_id": user_id, "root_id": root_id,
            "message": message, "type": "", "props": props or {}, "create_at": create_at}
    data: dict[str, Any] = {"post": post, "channel_name": channel}
    if user_name:
        data["sender_name"] = "@" + user_name.lstrip("@")
    return {"event": "posted", "data": data, "broadcast": {"channel_id": f"ch-{channel}"}}


def reaction_event(post_id: str, user_id: str, emoji: str, *, channel: str, added: bool = True) -> dict[str, Any]:
    """A `reaction_added` / `reaction_removed` WebSocket event as Mattermost sends it."""
    name = "reaction_added" if added else "reaction_removed"
    return {"event": name, "data": {"reaction": {"user_id": user_id, "post_id": post_id, "emoji_name": emoji,
                                                 "create_at": 0, "channel_id": f"ch-{channel}"}},
            "broadcast": {"channel_id": f"ch-{channel}"}}
