"""Plays Mattermost toward the bot: the outgoing slash-command, button and dialog requests.

Each call builds exactly the request the real server sends (contract §1.1, §2.2, §3), waits with the
integration timeout, then interprets the bot's reply the way the server does and applies it
(posts, ephemerals, post updates). Results keep the raw exchange so tests can assert on both sides.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from .config import Config
from .core import CommandArgs, Core, Outcome
from .errors import AppError
from .models import iter_actions
from .slack import stringify_fields
from .state import DialogRecord, State

USER_AGENT = "Mattermost-Bot/1.1"
_AT_MENTION = re.compile(r"\B@([A-Za-z0-9][A-Za-z0-9.\-_:]*)")
_CHANNEL_MENTION = re.compile(r"\B~([a-z0-9.\-_]+)")


@dataclass
class RawReply:
    """What the integration answered (status None when the request could not be made)."""

    status: int | None
    body: bytes = b""
    content_type: str = ""
    error: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class CommandResult:
    """Outcome of `run_command`: the form sent, the bot's reply, and what users now see."""

    request: list[tuple[str, str]]
    headers: dict[str, str]
    reply: RawReply
    response: dict[str, Any] | None = None
    error: AppError | None = None
    posts: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    trigger_id: str = ""
    response_url: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int | None:
        return self.reply.status

    @property
    def form(self) -> dict[str, str]:
        """The form as a dict (last value wins for repeated mention keys)."""
        return dict(self.request)


@dataclass
class ActionResult:
    """Outcome of `click_button`: the JSON sent, the bot's reply and its effects."""

    request: dict[str, Any]
    reply: RawReply
    response: dict[str, Any] | None = None
    error: AppError | None = None
    updated_post: dict[str, Any] | None = None
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    trigger_id: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int | None:
        return self.reply.status


@dataclass
class DialogResult:
    """Outcome of `submit_dialog`: `closed` is False when the bot returned errors (the dialog stays open)."""

    request: dict[str, Any]
    reply: RawReply
    response: dict[str, Any] = field(default_factory=dict)
    error: AppError | None = None
    closed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int | None:
        return self.reply.status

    @property
    def errors(self) -> dict[str, str]:
        errors = self.response.get("errors")
        return errors if isinstance(errors, dict) else {}


def parse_command_response(content_type: str, body: bytes) -> dict[str, Any] | None:
    """model.CommandResponseFromHTTPBody: JSON only for application/json, otherwise the body is the text."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json":
        return {"text": body.decode("utf-8", "replace")}
    value = json.loads(body)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("CommandResponse must be a JSON object")
    return _stringify_response(value)


def _stringify_response(value: dict[str, Any]) -> dict[str, Any]:
    value = dict(value)
    if "attachments" in value:
        value["attachments"] = stringify_fields(value["attachments"])
    if isinstance(value.get("extra_responses"), list):
        value["extra_responses"] = [
            _stringify_response(r) if isinstance(r, dict) else r for r in value["extra_responses"]
        ]
    return value


class Player:
    """Sends integration requests to the bot and applies its replies through `Core`."""

    def __init__(self, core: Core, state: State, config: Config) -> None:
        self.core = core
        self.state = state
        self.config = config
        self.session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self.session = aiohttp.ClientSession(auto_decompress=True)

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def send(
        self, method: str, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> RawReply:
        """One outgoing request with the integration timeout and the 1 MiB reply cap."""
        if self.session is None:
            raise RuntimeError("server not started")
        timeout = aiohttp.ClientTimeout(total=self.config.integration_timeout)
        try:
            async with self.session.request(method, url, data=data, headers=headers, timeout=timeout) as resp:
                body = await resp.content.read(self.config.max_integration_response)
                return RawReply(resp.status, body, resp.headers.get("Content-Type", ""))
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return RawReply(None, error=f"{type(exc).__name__}: {exc}")

    async def post_json(self, url: str, payload: Any, headers: dict[str, str] | None = None) -> RawReply:
        """POST JSON like DoActionRequest (also used to forge action/dialog calls in tests)."""
        all_headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT}
        all_headers.update(headers or {})
        return await self.send("POST", url, data=json.dumps(payload).encode(), headers=all_headers)

    # ----- slash commands ------------------------------------------------------------------------

    def _mentions(self, text: str, team_id: str) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        seen: set[str] = set()
        for raw in _AT_MENTION.findall(text):
            name = raw.lower()
            user = self.state.user_by_name(name)
            while user is None and name and name[-1] in ".-_":
                name = name[:-1]
                user = self.state.user_by_name(name)
            if user and name not in seen and self.state.is_team_member(team_id, user["id"]):
                seen.add(name)
                pairs += [("user_mentions", name), ("user_mentions_ids", user["id"])]
        for name in dict.fromkeys(_CHANNEL_MENTION.findall(text)):
            channel = self.state.channel_by_name(team_id, name)
            if channel and channel["type"] == "O":
                pairs += [("channel_mentions", name), ("channel_mentions_ids", channel["id"])]
        return pairs

    async def run_command(
        self,
        user_id: str,
        channel_id: str,
        command: str,
        *,
        root_id: str = "",
        team_id: str | None = None,
        token: str | None = None,
    ) -> CommandResult:
        """app.ExecuteCommand for a custom command; `token` forges the command token (to test 401)."""
        channel = self.state.channel(channel_id)
        user = self.state.user(user_id)
        team_id = (
            team_id or channel["team_id"] or next((tid for (tid, uid) in self.state.team_members if uid == user_id), "")
        )
        empty = CommandResult([], {}, RawReply(None))
        split = re.search(r"\s", command)
        trigger, text = (command[: split.start()], command[split.start() + 1 :]) if split else (command, "")
        trigger = trigger.lower()
        if not self.state.can_post(user_id, channel):
            empty.error = AppError("api.context.permissions.app_error", 403)
            return empty
        if not trigger.startswith("/"):
            empty.error = AppError("api.command.execute_command.format.app_error", 400, "Command trigger not found.")
            return empty
        if not self.config.enable_commands:
            empty.error = AppError(
                "api.command.disabled.app_error", 501, "Commands have been disabled by the system admin."
            )
            return empty
        trigger = trigger[1:]
        cmd = next(
            (
                c
                for c in self.state.commands.values()
                if c["team_id"] == team_id and c["trigger"] == trigger and not c["delete_at"]
            ),
            None,
        )
        if cmd is None:
            empty.error = AppError(
                "api.command.execute_command.not_found.app_error",
                404,
                f"Command with a trigger of '{trigger}' not found. To send a message beginning with \"/\", "
                "try adding an empty space at the beginning of the message.",
            )
            return empty
        team = self.state.team(cmd["team_id"])
        args = CommandArgs(user_id, channel_id, team_id, root_id)
        trigger_id = self.core.issue_trigger(user_id, channel_id, team_id)
        hook = self.core.create_hook(cmd["id"], args)
        response_url = f"{self.config.site_url}/hooks/commands/{hook.id}"
        sent_token = cmd["token"] if token is None else token
        fields: list[tuple[str, str]] = [
            ("token", sent_token),
            ("team_id", cmd["team_id"]),
            ("team_domain", team["name"]),
            ("channel_id", channel_id),
            ("channel_name", channel["name"]),
            ("user_id", user_id),
            ("user_name", user["username"]),
            ("command", "/" + trigger),
            ("text", text),
            ("trigger_id", trigger_id),
            ("response_url", response_url),
        ]
        if self.config.send_root_id:
            fields.append(("root_id", root_id))
        fields += self._mentions(text, team["id"])
        fields.sort(key=lambda kv: kv[0])  # url.Values.Encode() sorts by key
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if sent_token:
            headers["Authorization"] = "Token " + sent_token
        encoded = urlencode(fields)
        if cmd["method"] == "G":
            url = cmd["url"] + ("&" if "?" in cmd["url"] else "?") + encoded
            reply = await self.send("GET", url, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            reply = await self.send("POST", cmd["url"], data=encoded.encode(), headers=headers)
        result = CommandResult(fields, headers, reply, trigger_id=trigger_id, response_url=response_url)
        failed = AppError(
            "api.command.execute_command.failed.app_error", 500, f"Command with a trigger of '{trigger}' failed."
        )
        if reply.status is None:
            result.error = failed
            result.error.detailed_error = reply.error
            return result
        if reply.status != 200:
            result.error = AppError(
                "api.command.execute_command.failed_resp.app_error",
                500,
                f"Command with a trigger of '{trigger}' returned response {reply.status}.",
                detailed=reply.text,
            )
            return result
        try:
            response = parse_command_response(reply.content_type, reply.body)
        except ValueError as exc:
            failed.detailed_error = str(exc)
            result.error = failed
            return result
        if response is None:
            result.error = AppError(
                "api.command.execute_command.failed_empty.app_error",
                500,
                f"Command with a trigger of '{trigger}' returned an empty response.",
            )
            return result
        result.response = response
        outcome = await self.core.handle_command_response(cmd, args, response)
        self._absorb(result, outcome)
        return result

    @staticmethod
    def _absorb(result: CommandResult, outcome: Outcome) -> None:
        result.posts += outcome.posts
        result.ephemerals += outcome.ephemerals
        result.error = result.error or outcome.error

    # ----- interactive message buttons and menus -------------------------------------------------

    async def click_button(
        self,
        user_id: str,
        post_id: str,
        action: str,
        *,
        selected_option: str = "",
        context: dict[str, Any] | None = None,
        url: str | None = None,
    ) -> ActionResult:
        """DoPostActionWithCookie: `action` is the action id or name; `context`/`url` forge the integration."""
        post, is_ephemeral = self.core.find_post_or_ephemeral(post_id, user_id)
        found = next((a for a in iter_actions(post["props"]) if a.get("id") == action), None)
        found = found or next((a for a in iter_actions(post["props"]) if a.get("name") == action), None)
        integration = (found or {}).get("integration")
        if not isinstance(integration, dict):
            raise AppError("api.post.do_action.action_id.app_error", 404, "Invalid action id.")
        channel = self.state.channel(post["channel_id"])
        if not self.state.can_read_channel(user_id, channel):
            raise AppError("api.context.permissions.app_error", 403)
        user = self.state.user(user_id)
        team = self.state.teams.get(channel["team_id"])
        ctx = copy.deepcopy(integration.get("context") if context is None else context)
        data_source = ""
        if found.get("type") == "select" and selected_option:
            ctx = ctx if isinstance(ctx, dict) else {}
            ctx["selected_option"] = selected_option
            data_source = str(found.get("data_source") or "")
        trigger_id = self.core.issue_trigger(user_id, channel["id"], channel["team_id"])
        request: dict[str, Any] = {
            "user_id": user_id,
            "user_name": user["username"],
            "channel_id": channel["id"],
            "channel_name": channel["name"],
            "team_id": channel["team_id"],
            "team_domain": team["name"] if team else "",
            "post_id": post["id"],
            "trigger_id": trigger_id,
            "type": str(found.get("type") or ""),
            "data_source": data_source,
        }
        if ctx:
            request["context"] = ctx
        reply = await self.post_json(str(integration.get("url") if url is None else url), request)
        result = ActionResult(request, reply, trigger_id=trigger_id)
        failed = AppError(
            "api.post.do_action.action_integration.app_error", 400, "Action integration error.", detailed=reply.error
        )
        if reply.status != 200:
            if reply.status is not None:
                failed.detailed_error = f"status={reply.status}"
            result.error = failed
            return result
        response: dict[str, Any] = {}
        if reply.body:
            try:
                parsed = reply.json()
            except ValueError:
                result.error = failed
                return result
            response = parsed if isinstance(parsed, dict) else {}
        result.response = response
        try:
            outcome = await self.core.apply_action_reply(post, user_id, response, ephemeral=is_ephemeral)
        except AppError as err:
            result.error = err
            return result
        result.updated_post = outcome.posts[0] if outcome.posts else None
        result.ephemerals = outcome.ephemerals
        return result

    # ----- interactive dialogs -------------------------------------------------------------------

    async def submit_dialog(
        self,
        user_id: str,
        dialog: DialogRecord,
        submission: dict[str, Any],
        *,
        cancelled: bool = False,
        state: str | None = None,
        callback_id: str | None = None,
        url: str | None = None,
    ) -> DialogResult:
        """SubmitInteractiveDialog; `state`/`callback_id`/`url` forge the request (to test rejection)."""
        request: dict[str, Any] = {
            "type": "dialog_submission",
            "callback_id": dialog.callback_id if callback_id is None else callback_id,
            "state": dialog.state if state is None else state,
            "user_id": user_id,
            "channel_id": dialog.channel_id,
            "team_id": dialog.team_id,
            "submission": {} if cancelled else submission,
            "cancelled": cancelled,
        }
        if cancelled and not dialog.dialog.get("notify_on_cancel"):
            dialog.open = False
            return DialogResult(request, RawReply(None), closed=True)
        reply = await self.post_json(dialog.url if url is None else url, request)
        result = DialogResult(request, reply)
        if reply.status != 200:
            result.error = AppError(
                "api.post.do_action.action_integration.app_error",
                400,
                "Action integration error.",
                detailed=reply.error or f"status={reply.status}",
            )
            return result
        try:
            parsed = reply.json() if reply.body else {}
        except ValueError:
            parsed = {}  # the server ignores undecodable replies: an empty reply closes the dialog
        result.response = parsed if isinstance(parsed, dict) else {}
        dialog.replies.append(result.response)
        if cancelled or not (result.errors or result.response.get("error")):
            if result.response.get("type") == "form" and isinstance(result.response.get("form"), dict):
                dialog.dialog = copy.deepcopy(result.response["form"])
            else:
                dialog.open = False
                result.closed = True
        return result

    def dialog_for(self, user_id: str) -> DialogRecord:
        """The most recent dialog still open for a user."""
        for record in reversed(self.state.dialogs):
            if record.user_id == user_id and record.open:
                return record
        raise LookupError(f"no open dialog for user {user_id}")
