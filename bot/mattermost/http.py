"""The bot's HTTP endpoints, called by Mattermost: slash commands, dialog submissions, button clicks, health.

Build it with `create_web_app(app, tokens)`; it starts nothing else (no WebSocket, no scheduler) so
a benchmark can serve it alone. Slash commands are authenticated by their token (constant time,
cached in memory); buttons and dialogs by the HMAC signature Relais put in their context/state.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, cast

import aiohttp
from aiohttp import web

from bot.core.context import App, Context, PlatformError
from bot.core.registry import UnknownTarget
from bot.core.replies import Reply
from bot.core.signing import SignatureError, verify
from bot.mattermost import render
from bot.mattermost.client import MattermostClient
from bot.mattermost.deliver import deliver, open_dialog, private_post
from bot.mattermost.inflight import InFlight
from bot.mattermost.tokens import TokenStore

log = logging.getLogger(__name__)

DEFER_AFTER = 2.5  # answer "Je cherche…" after this, finish through response_url (Mattermost waits 30 s)
ACTION_TIMEOUT = 20.0  # button clicks have no response_url: finish through the REST API after this
HEALTH_TIMEOUT = 3.0

SEARCHING = "Je cherche… la réponse arrive dans un instant."
STILL_WORKING = "C'est un peu long : le résultat s'affichera dès que possible."
STALE_BUTTON = "Ce bouton n'est plus disponible. Relancez la commande pour obtenir des boutons à jour."
STALE_DIALOG = "Ce formulaire n'est plus disponible. Relancez la commande."
FILE_SENT = "Je vous ai envoyé le fichier en message privé."
FILE_FAILED = "Je n'ai pas pu envoyer le fichier. Réessayez dans un instant."

TRANSPORT_KEY: web.AppKey[MattermostHTTP] = web.AppKey("relais_transport")


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(body=render.fit_encoded(body), status=status, content_type="application/json")


def _refused(status: int, message: str) -> web.Response:
    return _json({"error": message}, status)


class MattermostHTTP:
    """State shared by the endpoints of one process."""

    def __init__(
        self, app: App, tokens: TokenStore, *, inflight: InFlight | None = None, defer_after: float = DEFER_AFTER,
        action_timeout: float = ACTION_TIMEOUT, websocket_connected: Callable[[], bool] | None = None,
    ) -> None:
        self.app = app
        self.client = cast(MattermostClient, app.platform)
        self.tokens = tokens
        self.inflight = inflight or InFlight()
        self.defer_after = defer_after
        self.action_timeout = action_timeout
        self.websocket_connected = websocket_connected
        self.session: aiohttp.ClientSession | None = None
        self.secret = app.settings.secret

    @property
    def signer(self) -> render.Signer:
        return self.client.signer

    # -- slash commands ----------------------------------------------------------------------
    async def commands(self, request: web.Request) -> web.Response:
        form = await request.post()
        command = str(form.get("command", "")).lstrip("/").lower()
        token = str(form.get("token", ""))
        if not token:
            auth = request.headers.get("Authorization", "")
            token = auth[6:].strip() if auth.startswith("Token ") else ""
        if not command or not await self.tokens.check(command, token):
            return _refused(401, "jeton de commande invalide")
        ctx = Context(
            app=self.app, user_id=str(form.get("user_id", "")), user_name=str(form.get("user_name", "")),
            channel_id=str(form.get("channel_id", "")), channel_name=str(form.get("channel_name", "")),
            team_id=str(form.get("team_id", "")), team_name=str(form.get("team_domain", "")),
            text=str(form.get("text", "")), root_id=str(form.get("root_id", "")),
            trigger_id=str(form.get("trigger_id", "")), command=command,
        )
        task = self.inflight.spawn(self.app.registry.run_command(ctx), name=f"/{command}")
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if done:
            return _json(await self._command_body(task.result(), ctx))
        self.inflight.spawn(self._finish_late(task, ctx, str(form.get("response_url", ""))), name=f"/{command} late")
        return _json({"response_type": "ephemeral", "text": SEARCHING})

    async def _command_body(self, reply: Reply, ctx: Context) -> dict[str, Any]:
        reply = await open_dialog(self.client, reply, ctx)
        if reply.files:
            try:
                if reply.in_channel:
                    await deliver(self.client, reply, ctx)
                    return {}
                await private_post(self.client, ctx.user_id, reply.text, reply, command=ctx.command)
                return {"response_type": "ephemeral", "text": FILE_SENT}
            except PlatformError as exc:
                log.warning("file delivery for /%s failed: %s", ctx.command, exc)
                return {"response_type": "ephemeral", "text": FILE_FAILED}
        return render.command_body(reply, signer=self.signer, command=ctx.command)  # capped when encoded

    async def _finish_late(self, task: asyncio.Task[Reply], ctx: Context, response_url: str) -> None:
        body = await self._command_body(await task, ctx)
        if not body or not response_url:
            return
        if self.session is None:
            self.session = aiohttp.ClientSession()
        async with self.session.post(response_url, data=render.fit_encoded(body),
                                     headers={"Content-Type": "application/json"}) as resp:
            if resp.status != 200:
                log.warning("response_url for /%s answered %s: %s", ctx.command, resp.status, await resp.text())

    # -- button clicks -----------------------------------------------------------------------
    async def actions(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _refused(400, "corps JSON attendu")
        context = body.get("context") if isinstance(body.get("context"), dict) else {}
        try:
            payload = verify(context.get(render.CONTEXT_KEY), self.secret)
        except SignatureError as exc:
            log.warning("refused button click: %s", exc)
            return _refused(403, "signature invalide")
        command, action = str(payload.get("command", "")), str(payload.get("action", ""))
        data = dict(payload.get("data") or {})
        if "selected_option" in context:
            data["selected_option"] = context["selected_option"]
        ctx = await self._context(body, command)
        task = self.inflight.spawn(self._run_action(ctx, command, action, data), name=f"{command}:{action}")
        done, _ = await asyncio.wait({task}, timeout=self.action_timeout)
        if not done:
            self.inflight.spawn(self._finish_action_late(task, ctx), name=f"{command}:{action} late")
            return _json({"ephemeral_text": STILL_WORKING})
        reply = await open_dialog(self.client, task.result(), ctx)
        if not reply.update and (reply.in_channel or reply.files or reply.cards):
            # A new post rather than an answer to the click: `ephemeral_text` cannot carry cards and buttons
            # ("Voir plus", "Fiche"), so private cards go out as an ephemeral post through the REST API.
            self.inflight.spawn(deliver(self.client, reply, ctx), name=f"{command}:{action} post")
            return _json({})
        return _json(render.action_response(reply, signer=self.signer, command=command))

    async def _run_action(self, ctx: Context, command: str, action: str, data: dict[str, Any]) -> Reply:
        try:
            return await self.app.registry.run_action(ctx, command, action, data)
        except UnknownTarget:
            return Reply.private(STALE_BUTTON)

    async def _finish_action_late(self, task: asyncio.Task[Reply], ctx: Context) -> None:
        await deliver(self.client, await task, ctx, update_post_id=ctx.post_id)

    # -- dialog submissions ------------------------------------------------------------------
    async def dialogs(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _refused(400, "corps JSON attendu")
        try:
            payload = verify(body.get("state"), self.secret)
        except SignatureError as exc:
            log.warning("refused dialog submission: %s", exc)
            return _refused(403, "signature invalide")
        command, callback = str(payload.get("command", "")), str(payload.get("callback", ""))
        if body.get("callback_id") not in (None, f"{command}:{callback}"):
            return _refused(403, "formulaire inattendu")
        if body.get("cancelled"):
            return _json({})
        submission = body.get("submission") if isinstance(body.get("submission"), dict) else {}
        state = payload.get("state") if isinstance(payload.get("state"), dict) else {}
        ctx = await self._context(body, command)
        try:
            reply = await self.app.registry.run_dialog(ctx, command, callback, submission, state)
        except UnknownTarget:
            return _json({"error": STALE_DIALOG})
        answer = render.dialog_response(reply)
        if not answer and (reply.text or reply.cards or reply.files or reply.dialog):
            self.inflight.spawn(deliver(self.client, reply, ctx), name=f"{command}:{callback} reply")
        return _json(answer)

    async def _context(self, body: dict[str, Any], command: str) -> Context:
        user_id = str(body.get("user_id", ""))
        user_name = str(body.get("user_name", ""))
        if not user_name and user_id:
            try:
                user = await self.client.user(user_id)
                user_name = user.username if user else ""
            except PlatformError:
                user_name = ""
        return Context(
            app=self.app, user_id=user_id, user_name=user_name, channel_id=str(body.get("channel_id", "")),
            channel_name=str(body.get("channel_name", "")), team_id=str(body.get("team_id", "")),
            team_name=str(body.get("team_domain", "")), trigger_id=str(body.get("trigger_id", "")),
            post_id=str(body.get("post_id", "")), command=command,
        )

    # -- health ------------------------------------------------------------------------------
    async def healthz(self, request: web.Request) -> web.Response:
        db_ok = await asyncio.to_thread(self.app.db.ping)
        mm_ok = True
        ping = getattr(self.app.platform, "ping", None)
        if ping is not None:
            try:
                await asyncio.wait_for(ping(), HEALTH_TIMEOUT)
            except (PlatformError, TimeoutError):
                mm_ok = False
        body: dict[str, Any] = {"database": "ok" if db_ok else "down", "mattermost": "ok" if mm_ok else "down"}
        if self.websocket_connected is not None:
            body["websocket"] = "connected" if self.websocket_connected() else "reconnecting"
        down = [name for name, ok in (("database", db_ok), ("mattermost", mm_ok)) if not ok]
        body["status"] = "ok" if not down else "down: " + ", ".join(down)
        return _json(body, 200 if not down else 503)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.read())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def create_web_app(app: App, tokens: TokenStore, **kwargs: Any) -> web.Application:
    """The aiohttp application (routes only; no WebSocket listener, no scheduler)."""
    transport = MattermostHTTP(app, tokens, **kwargs)
    web_app = web.Application()
    web_app[TRANSPORT_KEY] = transport
    web_app.router.add_post(render.COMMANDS_PATH, transport.commands)
    web_app.router.add_post(render.DIALOGS_PATH, transport.dialogs)
    web_app.router.add_post(render.ACTIONS_PATH, transport.actions)
    web_app.router.add_get("/healthz", transport.healthz)

    async def _close(_: web.Application) -> None:
        await transport.inflight.drain()
        await transport.close()

    web_app.on_cleanup.append(_close)
    return web_app
