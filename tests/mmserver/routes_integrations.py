"""REST routes for slash commands, response_url hooks, buttons and dialogs (api4/command.go,
integration_action.go, web/webhook.go)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlparse

from aiohttp import web

from .config import Config
from .core import CommandArgs, Core
from .errors import AppError, bad_body, bad_param, error_response, json_response, status_ok
from .ids import is_valid_id, new_id
from .middleware import REQUEST_ID, require_user
from .models import new_command, sanitized_command
from .player import Player, parse_command_response
from .routes_core import read_json
from .state import DialogRecord, State, not_found

BUILTIN_TRIGGERS = (
    "away", "code", "collapse", "dnd", "echo", "expand", "groupmsg", "header", "help", "invite", "invite_people",
    "join", "kick", "leave", "logout", "me", "msg", "mute", "offline", "online", "open", "purpose", "remove",
    "rename", "search", "settings", "shortcuts", "shrug", "status",
)  # fmt: skip


def builtin_command(trigger: str) -> dict[str, Any]:
    """A built-in command as listed to clients (sanitized, no id)."""
    cmd = new_command("", "", "", {"trigger": trigger, "auto_complete": True, "display_name": trigger}, 0)
    cmd["auto_complete_desc"] = f"Built-in /{trigger} command"
    return sanitized_command(cmd)


COMMAND_RESPONSE_ZERO: dict[str, Any] = {
    "response_type": "", "text": "", "username": "", "channel_id": "", "icon_url": "", "type": "", "props": None,
    "goto_location": "", "trigger_id": "", "skip_slack_parsing": False, "attachments": None, "extra_responses": None,
}


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def validate_command(cmd: dict[str, Any]) -> None:
    """model.Command.IsValid, in the server's order, for the fields an API caller controls."""
    if not is_valid_id(cmd["team_id"]):
        raise AppError("model.command.is_valid.team_id.app_error", 400, "Invalid team ID.")
    trigger = cmd["trigger"]
    # Go's len counts bytes: "é" is 2, so limits are checked on the UTF-8 size, as the real server does.
    if not 1 <= _size(trigger) <= 128 or trigger.startswith("/") or " " in trigger:
        raise AppError("model.command.is_valid.trigger.app_error", 400, "Invalid trigger.")
    url = cmd["url"]
    if not url or _size(url) > 1024:
        raise AppError("model.command.is_valid.url.app_error", 400, "Invalid URL.")
    parsed = urlparse(url)
    if not url.startswith(("http://", "https://")) or not parsed.netloc:
        raise AppError(
            "model.command.is_valid.url_http.app_error",
            400,
            "Invalid URL. Must be a valid URL and start with http:// or https://.",
        )
    if cmd["method"] not in ("P", "G"):
        raise AppError("model.command.is_valid.method.app_error", 400, "Invalid Method.")
    if _size(cmd["display_name"]) > 64:
        raise AppError("model.command.is_valid.display_name.app_error", 400, "Invalid title.")
    if _size(cmd["description"]) > 128:
        raise AppError("model.command.is_valid.description.app_error", 400, "Invalid description.")


def client_trigger_id(trigger_id: str) -> str:
    """The clientTriggerId part the server hands back to clients."""
    try:
        return base64.b64decode(trigger_id).decode().split(":", 1)[0]
    except ValueError:
        return ""


class IntegrationRoutes:
    def __init__(self, state: State, core: Core, player: Player, config: Config) -> None:
        self.state = state
        self.core = core
        self.player = player
        self.config = config

    def register(self, router: web.UrlDispatcher) -> None:
        r = router
        r.add_post("/api/v4/commands/execute", self.execute_command)
        r.add_post("/api/v4/commands", self.create_command)
        r.add_get("/api/v4/commands", self.list_commands)
        r.add_put("/api/v4/commands/{command_id}/regen_token", self.regen_token)
        r.add_get("/api/v4/commands/{command_id}", self.get_command)
        r.add_put("/api/v4/commands/{command_id}", self.update_command)
        r.add_delete("/api/v4/commands/{command_id}", self.delete_command)
        r.add_get("/api/v4/teams/{team_id}/commands/autocomplete", self.autocomplete_commands)
        r.add_post("/api/v4/actions/dialogs/open", self.open_dialog)
        r.add_post("/api/v4/actions/dialogs/submit", self.submit_dialog)
        r.add_post("/api/v4/posts/{post_id}/actions/{action_id}", self.do_post_action)
        r.add_post("/hooks/commands/{hook_id}", self.command_webhook)

    # ----- commands CRUD -------------------------------------------------------------------------

    def _check_enabled(self) -> None:
        if not self.config.enable_commands:
            raise AppError("api.command.disabled.app_error", 501, "Commands have been disabled by the system admin.")

    def _check_unique(self, team_id: str, trigger: str, exclude_id: str = "") -> None:
        taken = trigger in BUILTIN_TRIGGERS or any(
            c["team_id"] == team_id and c["trigger"] == trigger and c["id"] != exclude_id and not c["delete_at"]
            for c in self.state.commands.values()
        )
        if taken:
            raise AppError(
                "api.command.duplicate_trigger.app_error",
                400,
                "This trigger word is already in use. Please choose another word.",
            )

    def _command(self, command_id: str) -> dict[str, Any]:
        cmd = self.state.commands.get(command_id)
        if cmd is None or cmd["delete_at"]:
            raise not_found("command")
        return cmd

    def _require_manage(self, me: str, cmd: dict[str, Any]) -> None:
        self.state.require(self.state.can_manage_commands(me, cmd["team_id"]))
        if cmd["creator_id"] != me:
            self.state.require(self.state.can_manage_others_commands(me, cmd["team_id"]))

    async def create_command(self, request: web.Request) -> web.Response:
        me = require_user(request)
        body = await read_json(request, "command")
        if not isinstance(body, dict):
            raise bad_body("command")
        cmd = new_command(new_id(), new_id(), me, body, self.core.clock.now_ms())
        self.state.require(self.state.can_manage_commands(me, cmd["team_id"]))
        self._check_enabled()
        self._check_unique(cmd["team_id"], cmd["trigger"])
        validate_command(cmd)
        self.state.commands[cmd["id"]] = cmd
        return json_response(cmd, status=201)

    async def list_commands(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team_id = request.query.get("team_id", "")
        if not team_id:
            raise bad_param("team_id")
        self._check_enabled()
        custom = [c for c in self.state.commands.values() if c["team_id"] == team_id and not c["delete_at"]]
        if request.query.get("custom_only", "false").lower() == "true":
            self.state.require(self.state.can_manage_commands(me, team_id))
            return json_response(custom)
        self.state.require(self.state.can_view_team(me, team_id))
        builtins = [builtin_command(t) for t in BUILTIN_TRIGGERS]
        if self.state.can_manage_commands(me, team_id):
            return json_response(builtins + [sanitized_command(c) for c in custom])
        return json_response(builtins + [sanitized_command(c) for c in custom if c["auto_complete"]])

    async def autocomplete_commands(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team_id = request.match_info["team_id"]
        self.state.require(self.state.can_view_team(me, team_id))
        custom = [
            sanitized_command(c)
            for c in self.state.commands.values()
            if c["team_id"] == team_id and c["auto_complete"] and not c["delete_at"]
        ]
        return json_response(custom + [builtin_command(t) for t in BUILTIN_TRIGGERS])

    async def get_command(self, request: web.Request) -> web.Response:
        me = require_user(request)
        cmd = self._command(request.match_info["command_id"])
        self._require_manage(me, cmd)
        return json_response(cmd)

    async def update_command(self, request: web.Request) -> web.Response:
        me = require_user(request)
        body = await read_json(request, "command")
        if not isinstance(body, dict):
            raise bad_body("command")
        command_id = request.match_info["command_id"]
        if body.get("id") != command_id:
            raise bad_param("command_id")
        old = self._command(command_id)
        if body.get("team_id") != old["team_id"]:
            raise AppError("api.command.team_mismatch.app_error", 400, "Unable to update commands across teams.")
        self._require_manage(me, old)
        self._check_enabled()
        updated = new_command(old["id"], old["token"], old["creator_id"], body, old["create_at"])
        updated["update_at"] = self.core.clock.now_ms()
        self._check_unique(updated["team_id"], updated["trigger"], exclude_id=old["id"])
        validate_command(updated)
        self.state.commands[old["id"]] = updated
        return json_response(updated)

    async def delete_command(self, request: web.Request) -> web.Response:
        me = require_user(request)
        cmd = self._command(request.match_info["command_id"])
        self._require_manage(me, cmd)
        cmd["delete_at"] = self.core.clock.now_ms()
        return status_ok()

    async def regen_token(self, request: web.Request) -> web.Response:
        me = require_user(request)
        cmd = self._command(request.match_info["command_id"])
        self._require_manage(me, cmd)
        cmd["token"] = new_id()
        cmd["update_at"] = self.core.clock.now_ms()
        return json_response({"token": cmd["token"]})

    async def execute_command(self, request: web.Request) -> web.Response:
        """executeCommand: what a client does when a user types a slash command."""
        me = require_user(request)
        body = await read_json(request, "command_args")
        if not isinstance(body, dict) or not str(body.get("command") or "").strip():
            raise bad_body("command")
        channel_id = str(body.get("channel_id") or "")
        if channel_id not in self.state.channels:
            raise AppError("api.context.permissions.app_error", 403)
        result = await self.player.run_command(
            me,
            channel_id,
            str(body["command"]),
            root_id=str(body.get("root_id") or ""),
            team_id=str(body.get("team_id") or "") or None,
        )
        if result.error is not None:
            raise result.error
        # model.CommandResponse has no omitempty: every field comes back, at its zero value when unset
        # (as Mattermost 10.7 answered), with the trigger id the client may open a dialog with.
        response = {**COMMAND_RESPONSE_ZERO, **(result.response or {})}
        response["trigger_id"] = client_trigger_id(result.trigger_id)
        return json_response(response)

    # ----- response_url --------------------------------------------------------------------------

    async def command_webhook(self, request: web.Request) -> web.Response:
        """commandWebhook: at most 5 uses in 30 minutes; answers 200 text/plain "ok"."""
        body = await request.read()
        try:
            response = parse_command_response(request.headers.get("Content-Type", ""), body)
        except ValueError:
            raise AppError("web.command_webhook.parse.app_error", 400, "Unable to parse incoming data.") from None
        if response is None:
            raise AppError("web.command_webhook.parse.app_error", 400, "Unable to parse incoming data.")
        hook, cmd = self.core.use_hook(request.match_info["hook_id"])
        args = CommandArgs(hook.user_id, hook.channel_id, cmd["team_id"], hook.root_id)
        outcome = await self.core.handle_command_response(cmd, args, response)
        if outcome.error is not None:
            raise AppError(
                "web.command_webhook.general.app_error", outcome.error.status, "Unable to handle command webhook."
            )
        return web.Response(body=b"ok", headers={"Content-Type": "text/plain"})

    # ----- dialogs and buttons -------------------------------------------------------------------

    async def open_dialog(self, request: web.Request) -> web.Response:
        """openDialog: no session needed, the signed trigger_id is the credential."""
        body = await read_json(request, "dialog")
        if not isinstance(body, dict):
            raise bad_body("dialog")
        if not body.get("url"):
            raise bad_param("url")
        dialog = body.get("dialog") if isinstance(body.get("dialog"), dict) else {}
        await self.core.open_dialog(str(body.get("trigger_id") or ""), str(body["url"]), dialog)
        return status_ok()

    async def submit_dialog(self, request: web.Request) -> web.Response:
        me = require_user(request)
        body = await read_json(request, "dialog")
        if not isinstance(body, dict) or not body.get("url"):
            raise bad_body("dialog")
        channel = self.state.channels.get(str(body.get("channel_id") or ""))
        self.state.require(channel is not None and self.state.can_read_channel(me, channel))
        record = next(
            (d for d in reversed(self.state.dialogs) if d.user_id == me and d.open and d.url == body["url"]), None
        )
        if record is None:
            record = DialogRecord(
                me,
                str(body["channel_id"]),
                str(body.get("team_id") or ""),
                "",
                str(body["url"]),
                {},
                self.core.clock.now_ms(),
            )
        result = await self.player.submit_dialog(
            me,
            record,
            body.get("submission") if isinstance(body.get("submission"), dict) else {},
            cancelled=bool(body.get("cancelled")),
            state=str(body.get("state") or ""),
            callback_id=str(body.get("callback_id") or ""),
        )
        if result.error is not None:
            return error_response(result.error, request[REQUEST_ID])
        return json_response(result.response)

    async def do_post_action(self, request: web.Request) -> web.Response:
        me = require_user(request)
        body = await read_json(request, "post_action")
        selected = str(body.get("selected_option") or "") if isinstance(body, dict) else ""
        post_id = request.match_info["post_id"]
        if post_id not in self.state.posts and not (isinstance(body, dict) and body.get("cookie")):
            # api4 doPostAction: without the action's `cookie` the post must be stored (an ephemeral is not),
            # else the channel permission check fails: 403, as the real server answered (DEVIATIONS.md).
            raise AppError("api.context.permissions.app_error", 403, "You do not have the appropriate permissions.")
        result = await self.player.click_button(
            me, request.match_info["post_id"], request.match_info["action_id"], selected_option=selected
        )
        if result.error is not None:
            raise result.error
        return json_response({"status": "OK", "trigger_id": client_trigger_id(result.trigger_id)})
