"""Deliver a `Reply` through the REST API when it cannot ride in the HTTP answer to Mattermost.

Used for dialog submissions (their answer only carries errors), late button results, files, and
dialogs a handler asks to open.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.core.context import Context, PlatformError
from bot.core.delivery import post_route
from bot.core.replies import Reply
from bot.mattermost.client import MattermostClient

log = logging.getLogger(__name__)

DIALOG_FAILED = "Je n’ai pas pu ouvrir le formulaire (délai dépassé ?). Relancez la commande."


async def open_dialog(client: MattermostClient, reply: Reply, ctx: Context) -> Reply:
    """Open the reply's dialog, if any; returns the reply without it, telling the user when it could not open."""
    if reply.dialog is None:
        return reply
    failed = DIALOG_FAILED
    if ctx.trigger_id:
        try:
            await client.open_dialog(ctx.trigger_id, reply.dialog, command=ctx.command, viewer=ctx.user_id,
                                     channel_id=ctx.channel_id)
            failed = ""
        except PlatformError as exc:
            log.warning("could not open dialog %s: %s", reply.dialog.callback, exc)
    return replace(reply, dialog=None, text="\n\n".join(t for t in (reply.text, failed) if t))


async def deliver(client: MattermostClient, reply: Reply, ctx: Context, *, update_post_id: str = "") -> None:
    """Post `reply` for `ctx`: replace `update_post_id`, post in channel, or tell the user privately."""
    reply = await open_dialog(client, reply, ctx)
    text = reply.text
    route = post_route(reply, can_update=bool(update_post_id))
    if route == "nothing":
        return
    root_id = reply.root_id if reply.root_id is not None else ctx.root_id
    if route == "update":
        await client.update_post(update_post_id, text, cards=reply.cards, command=ctx.command, viewer=ctx.user_id,
                                 channel_id=ctx.channel_id)
    elif route == "channel":
        await client.create_post(reply.channel_id or ctx.channel_id, text, root_id=root_id, cards=reply.cards,
                                 props=reply.props or None, files=reply.files or None, command=ctx.command)
    elif route == "direct":
        await private_post(client, ctx.user_id, text, reply, command=ctx.command)
    else:
        try:
            await client.create_ephemeral(ctx.user_id, ctx.channel_id, text, root_id=root_id, cards=reply.cards,
                                          command=ctx.command)
        except PlatformError as exc:
            if exc.status != 403:
                raise
            # Expected when the bot may not post ephemeral messages: a fallback, not a failure.
            log.info("ephemeral post refused (grant create_post_ephemeral to the bot); sent as a direct message")
            await private_post(client, ctx.user_id, text, reply, command=ctx.command)


async def private_post(
    client: MattermostClient, user_id: str, text: str, reply: Reply, *, command: str = ""
) -> None:
    channel_id = await client.direct_channel(user_id)
    await client.create_post(channel_id, text, cards=reply.cards, files=reply.files or None, command=command,
                             viewer=user_id)
