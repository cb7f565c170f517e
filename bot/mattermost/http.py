"""The bot's HTTP endpoints, called by Mattermost: slash commands, dialog submissions, button clicks, health.

Build it with `create_web_app(app, client, tokens)`; it starts nothing else (no WebSocket, no scheduler) so
a benchmark can serve it alone. Slash commands are authenticated by their token (constant time,
cached in memory); buttons and dialogs by the HMAC signature Relais put in their context/state.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from bot.core import compact_json
from bot.core.context import App, Context, PlatformError
from bot.core.delivery import plan
from bot.core.registry import UnknownTarget
from bot.core.replies import Reply
from bot.core.signing import SignatureError, verify
from bot.mattermost import render
from bot.mattermost.client import MattermostClient
from bot.mattermost.deliver import deliver, open_dialog
from bot.mattermost.inflight import InFlight
from bot.mattermost.tokens import TokenStore

log = logging.getLogger(__name__)

DEFER_AFTER = 2.5  # answer "Je cherche…" after this, finish through response_url (Mattermost waits 30 s)
ACTION_TIMEOUT = 20.0  # button clicks have no response_url: finish through the REST API after this
HEALTH_TIMEOUT = 3.0
HEALTH_CACHE = 5.0  # /healthz is unauthenticated: upstream state is checked at most once per this many seconds
MAX_TEXT = render.POST_MAX_RUNES  # longer command text cannot come from a Mattermost post: refused before parsing
MATTERMOST_ID = re.compile(r"[a-z0-9]{26}")  # every Mattermost id (users, channels, teams); never "me"

SEARCHING = "Je cherche… la réponse arrive dans un instant."
STILL_WORKING = "C’est un peu long : le résultat s’affichera dès que possible."
STALE_BUTTON = "Ce bouton n’est plus disponible. Relancez la commande pour obtenir des boutons à jour."
STALE_DIALOG = "Ce formulaire n’est plus disponible. Relancez la commande."
FILE_SENT = "Je vous ai envoyé le fichier en message privé."
FILE_FAILED = "Je n’ai pas pu envoyer le fichier. Réessayez dans un instant."
TOO_LONG = ("Votre texte fait {n} caractères : c’est plus que ce qu’un message Mattermost peut contenir "
            "({limit}). Raccourcissez-le, ou découpez-le en plusieurs commandes.")
UNKNOWN_USER = "utilisateur inconnu"
MATTERMOST_DOWN = "Mattermost ne répond pas : réessayez dans un instant."

TRANSPORT_KEY: web.AppKey[MattermostHTTP] = web.AppKey("relais_transport")


def _json(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(body=render.fit_encoded(body), status=status, content_type="application/json")


def _refused(status: int, message: str) -> web.Response:
    return _json({"error": message}, status)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # French: thin space between thousands


def _valid_ids(*values: str) -> bool:
    return all(MATTERMOST_ID.fullmatch(v) for v in values)


class _Unknown(Exception):
    """The user of a request does not exist (or could not be looked up): nothing is done for them."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class MattermostHTTP:
    """State shared by the endpoints of one process."""

    def __init__(
        self, app: App, client: MattermostClient, tokens: TokenStore, *, inflight: InFlight | None = None,
        defer_after: float = DEFER_AFTER, action_timeout: float = ACTION_TIMEOUT,
        websocket_connected: Callable[[], bool] | None = None,
    ) -> None:
        self.app = app
        self.client = client  # the platform `app` was built with: its signer, dialogs and REST replies
        self.tokens = tokens
        self.inflight = inflight or InFlight()
        self.defer_after = defer_after
        self.action_timeout = action_timeout
        self.websocket_connected = websocket_connected
        self.session: aiohttp.ClientSession | None = None
        self.secret = app.settings.secret
        self._health: tuple[float, bool, bool] | None = None  # (monotonic time, database ok, mattermost ok)

    @property
    def signer(self) -> render.Signer:
        return self.client.signer

    # -- slash commands ----------------------------------------------------------------------
    async def commands(self, request: web.Request) -> web.Response:
        try:
            form = await request.post()
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("refused slash command: unreadable form body (%s)", type(exc).__name__)
            return _refused(400, "formulaire illisible")
        command = str(form.get("command", "")).lstrip("/").lower()
        token = str(form.get("token", ""))
        if not token:
            auth = request.headers.get("Authorization", "")
            token = auth[6:].strip() if auth.startswith("Token ") else ""
        if not command or not await self.tokens.check(command, token):
            return _refused(401, "jeton de commande invalide")
        user_id, channel_id = str(form.get("user_id", "")), str(form.get("channel_id", ""))
        if not _valid_ids(user_id, channel_id):
            log.warning("refused /%s: user or channel id is not a Mattermost id", command)
            return _refused(400, "identifiant d’utilisateur ou de canal invalide")
        text = str(form.get("text", ""))
        if len(text) > MAX_TEXT:
            log.info("refused /%s: %d characters of text", command, len(text))
            return _json({"response_type": "ephemeral", "text": TOO_LONG.format(n=_thousands(len(text)),
                                                                                  limit=_thousands(MAX_TEXT))})
        # The token proves Mattermost sent this form, so its user name is Mattermost's (unlike a button click's).
        user_name = str(form.get("user_name", ""))
        if not user_name:
            try:
                user_name = await self._user_name(user_id)
            except _Unknown as exc:
                return _refused(exc.status, str(exc))
        ctx = Context(
            app=self.app, user_id=user_id, user_name=user_name,
            channel_id=channel_id, channel_name=str(form.get("channel_name", "")),
            team_id=str(form.get("team_id", "")), team_name=str(form.get("team_domain", "")),
            text=text, root_id=str(form.get("root_id", "")),
            trigger_id=str(form.get("trigger_id", "")), command=command,
        )
        task = self.inflight.spawn(self.app.registry.run_command(ctx), name=f"/{command}")
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        if done:
            return _json(await self._command_body(task.result(), ctx))
        self.inflight.spawn(self._finish_late(task, ctx, str(form.get("response_url", ""))), name=f"/{command} late")
        return _json({"response_type": "ephemeral", "text": SEARCHING})

    async def _command_body(self, reply: Reply, ctx: Context) -> dict[str, Any]:
        """The answer to a slash command, at once or late (`response_url`), as `bot.core.delivery.plan` says."""
        route = plan(reply, "command")
        if route.open_dialog:
            reply = await open_dialog(self.client, reply, ctx)
        if route.posts:
            try:
                await deliver(self.client, reply, ctx)
                return {"response_type": "ephemeral", "text": FILE_SENT} if route.answer == "file_sent" else {}
            except PlatformError as exc:
                log.warning("file delivery for /%s failed: %s", ctx.command, exc)
                return {"response_type": "ephemeral", "text": FILE_FAILED}
        return render.command_body(reply, signer=self.signer, command=ctx.command, viewer=ctx.user_id,
                                   channel_id=ctx.channel_id)  # capped when encoded

    async def _finish_late(self, task: asyncio.Task[Reply], ctx: Context, response_url: str) -> None:
        body = await self._command_body(await task, ctx)
        if not body or not response_url:
            return
        if self.session is None:
            self.session = aiohttp.ClientSession()
        try:
            async with self.session.post(response_url, data=render.fit_encoded(body),
                                         headers={"Content-Type": "application/json"}) as resp:
                if resp.status != 200:
                    log.warning("response_url for /%s answered %s: %s", ctx.command, resp.status,
                                (await resp.text())[:200])
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:  # ValueError: not a URL at all
            log.warning("late answer to /%s lost: response_url unreachable (%s: %s)", ctx.command,
                        type(exc).__name__, exc)

    # -- button clicks -----------------------------------------------------------------------
    async def actions(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        if body is None:
            return _refused(400, "corps JSON attendu")
        context = _object(body.get("context"))
        user_id, channel_id = str(body.get("user_id", "")), str(body.get("channel_id", ""))
        if not _valid_ids(user_id, channel_id):
            log.warning("refused button click: user or channel id is not a Mattermost id")
            return _refused(400, "identifiant d’utilisateur ou de canal invalide")
        try:
            payload = verify(context.get(render.CONTEXT_KEY), self.secret, user_id=user_id, channel_id=channel_id)
        except SignatureError as exc:
            log.warning("refused button click: %s", exc)
            return _refused(403, "signature invalide")
        command, action = str(payload.get("command", "")), str(payload.get("action", ""))
        data = dict(payload.get("data") or {})
        if "selected_option" in context:
            data["selected_option"] = context["selected_option"]
        try:
            ctx = await self._context(body, command)
        except _Unknown as exc:
            return _refused(exc.status, str(exc))
        task = self.inflight.spawn(self._run_action(ctx, command, action, data), name=f"{command}:{action}")
        done, _ = await asyncio.wait({task}, timeout=self.action_timeout)
        if not done:
            self.inflight.spawn(self._finish_action_late(task, ctx), name=f"{command}:{action} late")
            return _json({"ephemeral_text": STILL_WORKING})
        reply = task.result()
        route = plan(reply, "click")
        if route.open_dialog:
            reply = await open_dialog(self.client, reply, ctx)
        if route.posts:
            # A new post rather than an answer to the click: `ephemeral_text` cannot carry cards and buttons
            # ("Voir plus", "Fiche"), so private cards go out as an ephemeral post through the REST API.
            self.inflight.spawn(deliver(self.client, reply, ctx), name=f"{command}:{action} post")
            return _json({})
        kept = await self._props_to_keep(ctx.post_id) if reply.update else {}
        body = render.action_response(reply, signer=self.signer, command=command, viewer=ctx.user_id,
                                      channel_id=ctx.channel_id, kept=kept)
        if isinstance(body.get("update"), dict):
            self.client.remember_props(ctx.post_id, body["update"].get("props"))
        return _json(body)

    async def _props_to_keep(self, post_id: str) -> dict[str, Any]:
        """The clicked post's props, which an `update` would otherwise wipe (Relais's `relais_…`, `from_bot`)."""
        try:
            return await self.client.props_to_keep(post_id) if post_id else {}
        except PlatformError as exc:  # the click still gets its answer; the post only loses its props
            log.warning("could not read the props of clicked post %s: %s", post_id, exc)
            return {}

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
        user_id, channel_id = str(body.get("user_id", "")), str(body.get("channel_id", ""))
        if not _valid_ids(user_id, channel_id):
            log.warning("refused dialog submission: user or channel id is not a Mattermost id")
            return _refused(400, "identifiant d’utilisateur ou de canal invalide")
        try:
            payload = verify(body.get("state"), self.secret, user_id=user_id, channel_id=channel_id)
        except SignatureError as exc:
            log.warning("refused dialog submission: %s", exc)
            return _refused(403, "signature invalide")
        command, callback = str(payload.get("command", "")), str(payload.get("callback", ""))
        if body.get("callback_id") not in (None, f"{command}:{callback}"):
            return _refused(403, "formulaire inattendu")
        if body.get("cancelled"):
            return _json({})
        submission = _object(body.get("submission"))
        # A multi-select (Mattermost 11.0+) submits a list: handlers read the comma-separated text typed elsewhere.
        submission = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in submission.items()}
        if any(isinstance(v, str) and len(v) > MAX_TEXT for v in submission.values()):
            log.info("refused dialog submission %s:%s: a field over %d characters", command, callback, MAX_TEXT)
            return _refused(400, "champ trop long")
        state = _object(payload.get("state"))
        try:
            ctx = await self._context(body, command)
        except _Unknown as exc:
            return _refused(exc.status, str(exc))
        try:
            reply = await self.app.registry.run_dialog(ctx, command, callback, submission, state)
        except UnknownTarget:
            return _json({"error": STALE_DIALOG})
        route = plan(reply, "dialog")
        if route.answer == "dialog_errors":
            return _json(render.dialog_response(reply))
        if route.posts or route.open_dialog:
            self.inflight.spawn(deliver(self.client, reply, ctx), name=f"{command}:{callback} reply")
        return _json({})

    async def _user_name(self, user_id: str) -> str:
        """The user's name as Mattermost knows it (never an unsigned request's `user_name`, which anyone can write)."""
        try:
            user = await self.client.user(user_id)
        except PlatformError as exc:
            log.warning("could not look up user %s: %s", user_id, exc)
            raise _Unknown(503, MATTERMOST_DOWN) from None
        if user is None:
            log.warning("refused request from unknown user %s", user_id)
            raise _Unknown(403, UNKNOWN_USER)
        return user.username

    async def _context(self, body: dict[str, Any], command: str) -> Context:
        """A button click's or dialog's context: ids checked by the caller and the signature, name from the API."""
        user_id = str(body.get("user_id", ""))
        user_name = await self._user_name(user_id)
        return Context(
            app=self.app, user_id=user_id, user_name=user_name, channel_id=str(body.get("channel_id", "")),
            channel_name=str(body.get("channel_name", "")), team_id=str(body.get("team_id", "")),
            team_name=str(body.get("team_domain", "")), trigger_id=str(body.get("trigger_id", "")),
            post_id=str(body.get("post_id", "")), command=command,
        )

    # -- health ------------------------------------------------------------------------------
    async def healthz(self, request: web.Request) -> web.Response:
        db_ok, mm_ok = await self._upstream()
        body: dict[str, Any] = {"database": "ok" if db_ok else "down", "mattermost": "ok" if mm_ok else "down"}
        if self.websocket_connected is not None:
            body["websocket"] = "connected" if self.websocket_connected() else "reconnecting"
        down = [name for name, ok in (("database", db_ok), ("mattermost", mm_ok)) if not ok]
        body["status"] = "ok" if not down else "down: " + ", ".join(down)
        return _json(body, 200 if not down else 503)

    async def _upstream(self) -> tuple[bool, bool]:
        """Database and Mattermost state, checked at most once per `HEALTH_CACHE` seconds (a flood of probes
        costs no API call)."""
        if self._health is not None and time.monotonic() - self._health[0] < HEALTH_CACHE:
            return self._health[1], self._health[2]
        db_ok = await asyncio.to_thread(self.app.db.ping)
        mm_ok = True
        try:
            await asyncio.wait_for(self.client.ping(), HEALTH_TIMEOUT)
        except (PlatformError, TimeoutError):
            mm_ok = False
        self._health = (time.monotonic(), db_ok, mm_ok)
        return db_ok, mm_ok

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object, or None (one log line) for anything else: invalid UTF-8 or JSON, nesting too
    deep for the parser, lone surrogates (which no database or signature could encode)."""
    try:
        body = json.loads(await request.read())
        compact_json.dumps(body)  # refuses lone surrogates anywhere in the body
    except (ValueError, RecursionError, TypeError) as exc:
        log.warning("refused %s: malformed JSON body (%s)", request.path, type(exc).__name__)
        return None
    if not isinstance(body, dict):
        log.warning("refused %s: JSON body is not an object (%s)", request.path, type(body).__name__)
        return None
    return body


async def _no_server_banner(request: web.Request, response: web.StreamResponse) -> None:
    """No `Server: Python/… aiohttp/…`: the port need not tell which versions to attack."""
    response.headers.pop("Server", None)


def create_web_app(app: App, client: MattermostClient, tokens: TokenStore, **kwargs: Any) -> web.Application:
    """The aiohttp application (routes only; no WebSocket listener, no scheduler). `client` is the Mattermost
    client `app` was built with: it signs buttons, opens dialogs and posts replies."""
    transport = MattermostHTTP(app, client, tokens, **kwargs)
    web_app = web.Application()
    web_app[TRANSPORT_KEY] = transport
    web_app.on_response_prepare.append(_no_server_banner)
    web_app.router.add_post(render.COMMANDS_PATH, transport.commands)
    web_app.router.add_post(render.DIALOGS_PATH, transport.dialogs)
    web_app.router.add_post(render.ACTIONS_PATH, transport.actions)
    web_app.router.add_get("/healthz", transport.healthz)

    async def _close(_: web.Application) -> None:
        await transport.inflight.drain()
        await transport.close()

    web_app.on_cleanup.append(_close)
    return web_app


def _object(value: Any) -> dict[str, Any]:
    """A JSON object from the request, or an empty one when Mattermost sent something else there."""
    return value if isinstance(value, dict) else {}
