"""How a reply reaches the counsellor, decided once, without doing anything (a pure function of the reply and of
where it comes from). The Mattermost transport follows the plan for slash commands (at once or late, through
`response_url`), button clicks and dialog submissions; the console follows the same plan on a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.replies import Reply

Origin = Literal["command", "click", "dialog"]
# What goes in the answer to the request itself.
Answer = Literal["nothing", "body", "file_sent", "dialog_errors"]
# What is posted through the platform's API, after (or instead of) the answer.
Post = Literal["nothing", "channel", "direct", "ephemeral", "update"]


@dataclass(frozen=True)
class Plan:
    open_dialog: bool  # open the reply's dialog first
    answer: Answer
    post: Post

    @property
    def posts(self) -> bool:
        return self.post != "nothing"


def post_route(reply: Reply, *, can_update: bool = False) -> Post:
    """Where a reply posted through the API goes: the clicked post replaced, the channel, the person's direct
    messages (files cannot be ephemeral), or an ephemeral post for them alone."""
    if not (reply.text or reply.cards or reply.files):
        return "nothing"
    if reply.update and can_update:
        return "update"
    if reply.in_channel:
        return "channel"
    return "direct" if reply.files else "ephemeral"


def plan(reply: Reply, origin: Origin) -> Plan:
    """The delivery of `reply` to a slash command (answered at once or late), a button click or a dialog."""
    dialog = reply.dialog is not None
    if origin == "dialog":
        if reply.errors or reply.error:  # the dialog stays open with its errors
            return Plan(False, "dialog_errors", "nothing")
        return Plan(dialog, "nothing", post_route(reply))
    if origin == "click":
        if not reply.update and (reply.in_channel or reply.files or reply.cards):
            # A new post rather than an answer to the click: a click's answer carries no cards nor files.
            return Plan(dialog, "nothing", post_route(reply))
        return Plan(dialog, "body", "nothing")
    if reply.files:  # a slash command's answer cannot carry a file
        return Plan(dialog, "nothing", "channel") if reply.in_channel else Plan(dialog, "file_sent", "direct")
    return Plan(dialog, "body", "nothing")
