"""Server-side operations shared by the REST routes and the integration player.

Everything that changes state and must be seen over the WebSocket goes through here, so a post
made by the REST API, by a command reply, by a response_url or by a button update behaves alike.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .errors import AppError, dumps
from .ids import Clock, new_id
from .models import RETAIN_PROP_KEYS, client_props, hashtags, iter_actions, new_post, new_reaction
from .slack import parse_links, process_attachments, process_text
from .state import CommandHook, DialogRecord, Ephemeral, State, TriggerContext, not_found
from .websocket import WebSocketHub


@dataclass
class CommandArgs:
    """Who ran a command, and where (model.CommandArgs)."""

    user_id: str
    channel_id: str
    team_id: str
    root_id: str = ""


@dataclass
class Outcome:
    """Posts produced by an integration reply, and the error the user would see, if any."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    error: AppError | None = None


def _mention_pattern(username: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@]){re.escape('@' + username)}(?![\w-])", re.IGNORECASE)


_CHANNEL_WIDE = re.compile(r"(?<![\w@])@(channel|all|here)\b", re.IGNORECASE)


class Core:
    """State changes + WebSocket events: posts, reactions, ephemerals, triggers, dialogs, command replies."""

    def __init__(self, state: State, hub: WebSocketHub, config: Config, clock: Clock) -> None:
        self.state = state
        self.hub = hub
        self.config = config
        self.clock = clock
        self._secret = os.urandom(32)

    # ----- rendering -----------------------------------------------------------------------------

    def cookie(self, post_id: str, action: dict[str, Any]) -> str:
        """Opaque stand-in for the server's encrypted PostActionCookie."""
        raw = dumps({"post_id": post_id, "action_id": action.get("id", ""), "type": action.get("type", "")})
        return base64.b64encode(raw.encode() + b"." + self._sign(raw)[:12]).decode()

    def render_post(self, post: dict[str, Any]) -> dict[str, Any]:
        """The client view of a post: thread counts, metadata, `integration` stripped, omitempty keys."""
        out = copy.deepcopy(post)
        root_id = post["root_id"] or post["id"]
        replies = [p for p in self.state.posts.values() if p["root_id"] == root_id and not p["delete_at"]]
        out["reply_count"] = len(replies)
        out["last_reply_at"] = max((p["create_at"] for p in replies), default=0)
        out["props"] = client_props(post["props"], lambda action: self.cookie(post["id"], action))
        metadata: dict[str, Any] = {}
        if iter_actions(post["props"]) or post["props"].get("attachments"):
            metadata["embeds"] = [{"type": "message_attachment"}]
        files = [self.state.files[f].info for f in post["file_ids"] or [] if f in self.state.files]
        if files:
            metadata["files"] = copy.deepcopy(files)
        reactions = [r for (pid, _, _), r in self.state.reactions.items() if pid == post["id"]]
        if reactions:
            metadata["reactions"] = copy.deepcopy(reactions)
        out["metadata"] = metadata
        # `file_ids` has no omitempty (Mattermost 10.7 sends [] , and null on ephemerals); `has_reactions` has.
        if not out["has_reactions"]:
            del out["has_reactions"]
        return out

    def _username(self, user_id: str) -> str | None:
        user = self.state.users.get(user_id)
        return user["username"] if user else None

    # ----- posts ---------------------------------------------------------------------------------

    def _check_root(self, channel_id: str, root_id: str) -> None:
        root = self.state.posts.get(root_id)
        if root is None or root["delete_at"] or root["root_id"]:
            raise AppError("api.post.create_post.root_id.app_error", 400, "Invalid RootId parameter.")
        if root["channel_id"] != channel_id:
            raise AppError(
                "api.post.create_post.channel_root_id.app_error", 400, "Invalid ChannelId for RootId parameter."
            )

    def _check_message(self, message: str, file_ids: list[str]) -> None:
        if len(message) > self.config.max_post_runes:
            raise AppError(
                "model.post.is_valid.message_length.app_error",
                400,
                f"Invalid Message property length. Maximum length is {self.config.max_post_runes} characters.",
            )
        if len(file_ids) > 5:
            raise AppError("model.post.is_valid.file_ids.app_error", 400, "Invalid file ids.")

    @staticmethod
    def _generate_action_ids(props: dict[str, Any]) -> None:
        for action in iter_actions(props):
            if not action.get("id"):
                action["id"] = new_id()

    async def create_post(
        self,
        user_id: str,
        channel_id: str,
        message: str,
        *,
        root_id: str = "",
        props: dict[str, Any] | None = None,
        file_ids: list[str] | None = None,
        post_type: str = "",
        pending_post_id: str = "",
        set_online: bool = True,
    ) -> dict[str, Any]:
        """app.CreatePost: validate, store, attach files, then broadcast `posted` to channel members."""
        channel = self.state.channel(channel_id)
        user = self.state.user(user_id)
        file_ids = [str(f) for f in (file_ids or [])]
        if root_id:
            self._check_root(channel_id, root_id)
        self._check_message(message, file_ids)
        props = copy.deepcopy(props) if props else {}
        if user["is_bot"]:
            props["from_bot"] = "true"
        self._generate_action_ids(props)
        now = self.clock.now_ms()
        post = new_post(
            new_id(),
            user_id,
            channel_id,
            message,
            now,
            root_id=root_id,
            post_type=post_type,
            props=props,
            file_ids=file_ids,
            pending_post_id=pending_post_id,
        )
        self.state.posts[post["id"]] = post
        for file_id in file_ids:
            stored = self.state.files.get(file_id)
            if stored is not None:
                stored.info["post_id"] = post["id"]
        channel["last_post_at"] = now
        channel["total_msg_count"] += 1
        if not root_id:
            channel["last_root_post_at"] = now
            channel["total_msg_count_root"] += 1
        await self._broadcast_posted(post, channel, user, set_online)
        return post

    async def _broadcast_posted(
        self, post: dict[str, Any], channel: dict[str, Any], sender: dict[str, Any], set_online: bool
    ) -> None:
        sender_name = "@" + sender["username"]
        if post["props"].get("from_webhook") == "true" and post["props"].get("override_username"):
            sender_name = str(post["props"]["override_username"])
        data: dict[str, Any] = {
            "channel_display_name": "@" + sender["username"] if channel["type"] == "D" else channel["display_name"],
            "channel_name": channel["name"],
            "channel_type": channel["type"],
            "post": dumps(self.render_post(post)),
            "sender_name": sender_name,
            "set_online": set_online,
            "team_id": channel["team_id"],
        }
        mimes = [self.state.files[f].info["mime_type"] for f in post["file_ids"] if f in self.state.files]
        if any(m.startswith("image/") for m in mimes):
            data["image"] = "true"
        if any(not m.startswith("image/") for m in mimes):
            data["otherFile"] = "true"

        def mentions(receiver_id: str) -> dict[str, Any]:
            if receiver_id == post["user_id"]:
                return {}
            mentioned = channel["type"] == "D"
            username = self._username(receiver_id)
            if username and _mention_pattern(username).search(post["message"]):
                mentioned = True
            if channel["type"] in ("O", "P") and _CHANNEL_WIDE.search(post["message"]):
                mentioned = True
            return {"mentions": dumps([receiver_id])} if mentioned else {}

        await self.hub.publish("posted", data, channel_id=channel["id"], per_connection=mentions)

    async def update_post(
        self,
        post: dict[str, Any],
        *,
        message: str | None = None,
        props: dict[str, Any] | None = None,
        file_ids: list[str] | None = None,
        is_pinned: bool | None = None,
        has_reactions: bool | None = None,
    ) -> dict[str, Any]:
        """app.UpdatePost: apply changes, stamp edit_at when the message changes, broadcast `post_edited`."""
        now = self.clock.now_ms()
        if message is not None:
            self._check_message(message, post["file_ids"] if file_ids is None else file_ids)
            if message != post["message"]:
                post["message"] = message
                post["edit_at"] = now
                post["hashtags"] = hashtags(message)
        if props is not None:  # the whole props, `from_bot` included (Mattermost 10.7 keeps none of the old ones)
            props = copy.deepcopy(props)
            self._generate_action_ids(props)
            post["props"] = props
        if file_ids is not None:
            post["file_ids"] = [str(f) for f in file_ids]
        if is_pinned is not None:
            post["is_pinned"] = bool(is_pinned)
        if has_reactions is not None:
            post["has_reactions"] = bool(has_reactions)
        post["update_at"] = now
        await self.hub.publish("post_edited", {"post": dumps(self.render_post(post))}, channel_id=post["channel_id"])
        return post

    async def delete_post(self, post: dict[str, Any], deleter_id: str) -> None:
        """app.DeletePost: soft-delete the post (and a root's replies), broadcast `post_deleted`."""
        now = self.clock.now_ms()
        victims = [post]
        if not post["root_id"]:
            victims += [p for p in self.state.posts.values() if p["root_id"] == post["id"] and not p["delete_at"]]
        for victim in victims:
            victim["delete_at"] = now
            victim["update_at"] = now
            victim["props"]["deleteBy"] = deleter_id
        rendered = dumps(self.render_post(post))

        def admin_copy(receiver_id: str) -> dict[str, Any]:
            return {"delete_by": deleter_id} if self.state.is_system_admin(receiver_id) else {}

        await self.hub.publish(
            "post_deleted", {"post": rendered}, channel_id=post["channel_id"], per_connection=admin_copy
        )

    # ----- reactions -----------------------------------------------------------------------------

    async def add_reaction(self, user_id: str, post: dict[str, Any], emoji: str) -> dict[str, Any]:
        now = self.clock.now_ms()
        key = (post["id"], user_id, emoji)
        reaction = new_reaction(user_id, post["id"], emoji, post["channel_id"], now)
        if key in self.state.reactions:
            reaction["create_at"] = self.state.reactions[key]["create_at"]
        self.state.reactions[key] = reaction
        post["has_reactions"] = True
        post["update_at"] = now
        await self.hub.publish("reaction_added", {"reaction": dumps(reaction)}, channel_id=post["channel_id"])
        return reaction

    async def remove_reaction(self, user_id: str, post: dict[str, Any], emoji: str) -> None:
        reaction = self.state.reactions.pop((post["id"], user_id, emoji), None)
        now = self.clock.now_ms()
        post["has_reactions"] = any(pid == post["id"] for (pid, _, _) in self.state.reactions)
        post["update_at"] = now
        if reaction is None:
            reaction = new_reaction(user_id, post["id"], emoji, post["channel_id"], now)
        reaction = {**reaction, "update_at": now, "delete_at": now}
        await self.hub.publish("reaction_removed", {"reaction": dumps(reaction)}, channel_id=post["channel_id"])

    # ----- ephemerals ----------------------------------------------------------------------------

    async def send_ephemeral(
        self,
        recipient_id: str,
        sender_id: str,
        channel_id: str,
        message: str,
        *,
        root_id: str = "",
        props: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """app.SendEphemeralPost: never stored as a post; recorded for the recipient and sent over WS."""
        props = copy.deepcopy(props) if props else {}
        self._generate_action_ids(props)
        post = new_post(
            new_id(),
            sender_id,
            channel_id,
            message,
            self.clock.now_ms(),
            root_id=root_id,
            post_type="system_ephemeral",
            props=props,
        )
        post["update_at"], post["file_ids"] = 0, None  # as Mattermost 10.7 sent them: never stored nor updated
        self.state.ephemerals.append(Ephemeral(recipient_id, post))
        await self.hub.publish(
            "ephemeral_message",
            {"post": dumps(self.render_post(post))},
            user_id=recipient_id,
            channel_id=channel_id,
        )
        return post

    # ----- trigger ids and dialogs ---------------------------------------------------------------

    def _sign(self, payload: str) -> bytes:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).digest()

    def issue_trigger(self, user_id: str, channel_id: str = "", team_id: str = "") -> str:
        """model.GenerateTriggerId: base64(`clientId:userId:millis:` + base64(signature))."""
        payload = f"{new_id()}:{user_id}:{self.clock.peek_ms()}"
        signature = base64.b64encode(self._sign(payload)).decode()
        trigger = base64.b64encode(f"{payload}:{signature}".encode()).decode()
        self.state.triggers[trigger] = TriggerContext(user_id, channel_id, team_id)
        return trigger

    def decode_trigger(self, trigger: str) -> tuple[str, str, TriggerContext | None]:
        """DecodeAndVerifyTriggerId: returns (client trigger id, user id, where it was issued)."""
        try:
            raw = base64.b64decode(trigger, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise AppError(
                "interactive_message.decode_trigger_id.base64_decode_failed",
                400,
                "Unable to decode base64 for trigger ID for interactive dialog.",
            ) from None
        parts = raw.split(":")
        if len(parts) != 4:
            raise AppError(
                "interactive_message.decode_trigger_id.missing_data",
                400,
                "Trigger ID missing required data for interactive dialog.",
            )
        client_id, user_id, millis, signature = parts
        payload = f"{client_id}:{user_id}:{millis}"
        try:
            valid = hmac.compare_digest(base64.b64decode(signature), self._sign(payload))
        except (binascii.Error, ValueError):
            valid = False
        if not valid or not millis.isdigit():
            raise AppError(
                "interactive_message.decode_trigger_id.verify_signature_failed",
                400,
                "Signature verification failed for trigger ID for interactive dialog.",
            )
        if int(millis) + int(self.config.trigger_ttl * 1000) < self.clock.peek_ms():
            raise AppError(
                "interactive_message.decode_trigger_id.expired",
                400,
                f"Trigger ID for interactive dialog is expired. Trigger IDs live for a maximum of "
                f"{int(self.config.trigger_ttl)} seconds.",
            )
        return client_id, user_id, self.state.triggers.get(trigger)

    async def open_dialog(self, trigger_id: str, url: str, dialog: dict[str, Any]) -> DialogRecord:
        """app.OpenInteractiveDialog: check the trigger, then `open_dialog` to that user only."""
        client_id, user_id, where = self.decode_trigger(trigger_id)
        record = DialogRecord(
            user_id=user_id,
            channel_id=where.channel_id if where else "",
            team_id=where.team_id if where else "",
            trigger_id=client_id,
            url=url,
            dialog=copy.deepcopy(dialog),
            opened_at=self.clock.now_ms(),
        )
        self.state.dialogs.append(record)
        request = {"trigger_id": client_id, "url": url, "dialog": dialog}
        await self.hub.publish("open_dialog", {"dialog": dumps(request)}, user_id=user_id)
        return record

    # ----- slash-command replies and response_url ------------------------------------------------

    def create_hook(self, command_id: str, args: CommandArgs) -> CommandHook:
        hook = CommandHook(new_id(), command_id, args.user_id, args.channel_id, args.root_id, self.clock.peek_ms())
        self.state.hooks[hook.id] = hook
        return hook

    def use_hook(self, hook_id: str) -> tuple[CommandHook, dict[str, Any]]:
        """HandleCommandWebhook's checks: unknown/expired -> 404, over the use limit -> 400."""
        hook = self.state.hooks.get(hook_id)
        if hook is None or hook.create_at + int(self.config.hook_ttl * 1000) < self.clock.peek_ms():
            raise AppError("web.command_webhook.general.app_error", 404, "Unable to find the command webhook.")
        cmd = self.state.commands.get(hook.command_id)
        if cmd is None or cmd["delete_at"]:
            raise AppError("web.command_webhook.general.app_error", 404, "Unable to find the command.")
        if hook.use_count >= self.config.hook_max_uses:
            raise AppError("web.command_webhook.general.app_error", 400, "Unable to use the command webhook.")
        hook.use_count += 1
        return hook, cmd

    async def handle_command_response(
        self, cmd: dict[str, Any], args: CommandArgs, response: dict[str, Any]
    ) -> Outcome:
        """app.HandleCommandResponse: the reply, then each `extra_responses` entry, one post each."""
        outcome = Outcome()
        last: AppError | None = None
        extra = response.get("extra_responses")
        for reply in [response] + [r for r in (extra if isinstance(extra, list) else []) if isinstance(r, dict)]:
            try:
                await self._command_response_post(cmd, args, reply, outcome)
            except AppError as err:
                last = err
        if last is not None:
            outcome.error = AppError(
                "api.command.execute_command.create_post_failed.app_error",
                500,
                f"Command '{cmd['trigger']}' failed to post response. Please contact your System Administrator.",
                detailed=last.id,
            )
        return outcome

    async def _command_response_post(
        self, cmd: dict[str, Any], args: CommandArgs, reply: dict[str, Any], outcome: Outcome
    ) -> None:
        """app.HandleCommandResponsePost + CreateCommandPost, for a custom (non built-in) command."""
        channel_id = args.channel_id
        if reply.get("channel_id"):
            if not self.state.is_channel_member(str(reply["channel_id"]), args.user_id):
                raise AppError(
                    "api.command.command_post.forbidden.app_error",
                    403,
                    "Specified user is not a member of specified channel.",
                )
            channel_id = str(reply["channel_id"])
        props = dict(reply["props"]) if isinstance(reply.get("props"), dict) else {}
        for key in ("from_webhook", "override_username", "override_icon_url", "override_icon_emoji"):
            props.pop(key, None)
        if self.config.enable_post_username_override and (cmd["username"] or reply.get("username")):
            props["override_username"] = cmd["username"] or str(reply["username"])
        if self.config.enable_post_icon_override and (cmd["icon_url"] or reply.get("icon_url")):
            props["override_icon_url"] = cmd["icon_url"] or str(reply["icon_url"])
        props["from_webhook"] = "true"
        text = str(reply.get("text") or "")
        attachments = reply.get("attachments")
        skip = bool(reply.get("skip_slack_parsing"))
        if not skip:
            text = process_text(text, self._username)
            if isinstance(attachments, list):
                attachments = process_attachments(attachments, self._username)
        message = text if skip else parse_links(text)
        post_type = str(reply.get("type") or "")
        if post_type.startswith("system_"):
            raise AppError("api.context.invalid_param.app_error", 400, name="post.type")
        if attachments is not None:
            if not post_type:
                post_type = "slack_attachment"
            props["attachments"] = [a for a in attachments if a is not None] if isinstance(attachments, list) else []
        response_type = reply.get("response_type") or ""
        if response_type == "in_channel":
            post = await self.create_post(
                args.user_id, channel_id, message, root_id=args.root_id, props=props, post_type=post_type
            )
            outcome.posts.append(post)
        elif response_type in ("", "ephemeral") and (text or attachments is not None):
            # Ephemeral replies are sent only when there is something to show (CreateCommandPost).
            eph = await self.send_ephemeral(
                args.user_id, args.user_id, channel_id, message, root_id=args.root_id, props=props
            )
            outcome.ephemerals.append(eph)

    # ----- interactive message updates -----------------------------------------------------------

    async def apply_action_reply(
        self, post: dict[str, Any], clicker_id: str, reply: dict[str, Any], *, ephemeral: bool
    ) -> Outcome:
        """End of DoPostActionWithCookie: `update` replaces the post, `ephemeral_text` goes to the clicker."""
        outcome = Outcome()
        original = post["props"]
        retain = {k: original[k] for k in RETAIN_PROP_KEYS if k in original}
        update = reply.get("update")
        if isinstance(update, dict):
            if ephemeral:
                raise AppError(
                    "api.post.update_post.find.app_error",
                    400,
                    "We couldn't find the existing post or comment to update.",
                )
            if update.get("props") is None:
                new_props = copy.deepcopy(original)
            else:
                new_props = dict(update["props"]) if isinstance(update["props"], dict) else {}
                for key in RETAIN_PROP_KEYS:
                    new_props.pop(key, None)
                new_props.update(retain)
            updated = await self.update_post(
                post,
                message=str(update.get("message") or ""),
                props=new_props,
                file_ids=list(update.get("file_ids") or []),
            )
            outcome.posts.append(updated)
        text = reply.get("ephemeral_text")
        if isinstance(text, str) and text:
            message = text if reply.get("skip_slack_parsing") else parse_links(text)
            eph = await self.send_ephemeral(
                clicker_id,
                clicker_id,
                post["channel_id"],
                message,
                root_id=post["root_id"] or post["id"],
                props=retain,
            )
            outcome.ephemerals.append(eph)
        return outcome

    def find_post_or_ephemeral(self, post_id: str, user_id: str) -> tuple[dict[str, Any], bool]:
        """A stored post, or an ephemeral shown to `user_id` (buttons on ephemerals work through the cookie)."""
        post = self.state.posts.get(post_id)
        if post is not None and not post["delete_at"]:
            return post, False
        for eph in self.state.ephemerals:
            if eph.post["id"] == post_id and eph.user_id == user_id:
                return eph.post, True
        raise not_found("post")
