"""Wire shapes of Mattermost objects (server/public/model/*.go), built from the fake server's records.

Records are plain dicts in wire key order; these functions only add the computed or `omitempty`
behaviour of the Go structs, so what the bot receives matches what a real server would send.
"""

from __future__ import annotations

import copy
import re
from typing import Any

USER_NOTIFY_PROPS = {
    "channel": "true",
    "comments": "never",
    "desktop": "mention",
    "desktop_sound": "true",
    "email": "true",
    "first_name": "false",
    "mention_keys": "",
    "push": "mention",
    "push_status": "away",
}

CHANNEL_NOTIFY_PROPS = {
    "desktop": "default",
    "email": "default",
    "ignore_channel_mentions": "default",
    "mark_unread": "all",
    "push": "default",
}

# Props an interactive-message update keeps from the original post (model.PostActionRetainPropKeys).
RETAIN_PROP_KEYS = ("from_webhook", "override_username", "override_icon_url")

_HASHTAG = re.compile(r"(?:^|\s)(#[A-Za-z][\w.-]*\w)")


def hashtags(message: str) -> str:
    """model.ParseHashtags, simplified: space-separated `#tags` found in the message."""
    return " ".join(dict.fromkeys(_HASHTAG.findall(message)))


def new_user(user_id: str, username: str, now: int, **fields: Any) -> dict[str, Any]:
    """A User record (model.User); is_bot/bot_description stay `omitempty` when rendered."""
    return {
        "id": user_id,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "username": username,
        "auth_service": "",
        "email": fields.get("email") or f"{username}@example.test",
        "email_verified": True,
        "nickname": fields.get("nickname", ""),
        "first_name": fields.get("first_name", ""),
        "last_name": fields.get("last_name", ""),
        "position": fields.get("position", ""),
        "roles": fields.get("roles", "system_user"),
        "props": {},
        "notify_props": dict(USER_NOTIFY_PROPS),
        "last_password_update": now,
        "locale": fields.get("locale", "fr"),
        "timezone": {"automaticTimezone": "", "manualTimezone": "", "useAutomaticTimezone": "true"},
        "is_bot": bool(fields.get("is_bot", False)),
        "bot_description": fields.get("bot_description", ""),
        "disable_welcome_email": False,
    }


def user_json(user: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(user)
    if not out["is_bot"]:
        del out["is_bot"]
    if not out["bot_description"]:
        del out["bot_description"]
    return out


def new_team(team_id: str, name: str, display_name: str, now: int, team_type: str = "O") -> dict[str, Any]:
    return {
        "id": team_id,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "display_name": display_name,
        "name": name,
        "description": "",
        "email": "",
        "type": team_type,
        "company_name": "",
        "allowed_domains": "",
        "invite_id": "",
        "allow_open_invite": team_type == "O",
        "scheme_id": None,
        "group_constrained": None,
        "policy_id": None,
        "cloud_limits_archived": False,
    }


def new_team_member(team_id: str, user_id: str, roles: str, now: int) -> dict[str, Any]:
    role_set = roles.split()
    return {
        "team_id": team_id,
        "user_id": user_id,
        "roles": roles,
        "delete_at": 0,
        "scheme_guest": False,
        "scheme_user": "team_user" in role_set,
        "scheme_admin": "team_admin" in role_set,
        "explicit_roles": " ".join(r for r in role_set if r not in ("team_user", "team_admin", "team_guest")),
        "create_at": now,
    }


def new_channel(
    channel_id: str, team_id: str, name: str, display_name: str, channel_type: str, now: int, creator_id: str = ""
) -> dict[str, Any]:
    return {
        "id": channel_id,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "team_id": team_id,
        "type": channel_type,
        "display_name": display_name,
        "name": name,
        "header": "",
        "purpose": "",
        "last_post_at": 0,
        "total_msg_count": 0,
        "extra_update_at": 0,
        "creator_id": creator_id,
        "scheme_id": None,
        "props": None,
        "group_constrained": None,
        "shared": None,
        "total_msg_count_root": 0,
        "policy_id": None,
        "last_root_post_at": 0,
    }


def new_channel_member(channel_id: str, user_id: str, roles: str, now: int) -> dict[str, Any]:
    role_set = roles.split()
    return {
        "channel_id": channel_id,
        "user_id": user_id,
        "roles": roles,
        "last_viewed_at": 0,
        "msg_count": 0,
        "mention_count": 0,
        "mention_count_root": 0,
        "urgent_mention_count": 0,
        "msg_count_root": 0,
        "notify_props": dict(CHANNEL_NOTIFY_PROPS),
        "last_update_at": now,
        "scheme_guest": False,
        "scheme_user": "channel_user" in role_set,
        "scheme_admin": "channel_admin" in role_set,
        "explicit_roles": " ".join(r for r in role_set if r not in ("channel_user", "channel_admin", "channel_guest")),
    }


def new_command(command_id: str, token: str, creator_id: str, body: dict[str, Any], now: int) -> dict[str, Any]:
    """A Command record (model.Command) from a create request body."""
    return {
        "id": command_id,
        "token": token,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "creator_id": creator_id,
        "team_id": str(body.get("team_id") or ""),
        "trigger": str(body.get("trigger") or "").lower(),
        "method": str(body.get("method") or ""),
        "username": str(body.get("username") or ""),
        "icon_url": str(body.get("icon_url") or ""),
        "auto_complete": bool(body.get("auto_complete", False)),
        "auto_complete_desc": str(body.get("auto_complete_desc") or ""),
        "auto_complete_hint": str(body.get("auto_complete_hint") or ""),
        "display_name": str(body.get("display_name") or ""),
        "description": str(body.get("description") or ""),
        "url": str(body.get("url") or ""),
        "plugin_id": "",
    }


def sanitized_command(cmd: dict[str, Any]) -> dict[str, Any]:
    """Command.Sanitize(): what users without manage rights see in listings."""
    out = dict(cmd)
    for key in ("token", "creator_id", "method", "url", "username", "icon_url"):
        out[key] = ""
    return out


def new_reaction(user_id: str, post_id: str, emoji: str, channel_id: str, now: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "post_id": post_id,
        "emoji_name": emoji,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "remote_id": "",
        "channel_id": channel_id,
    }


def new_file_info(
    file_id: str, user_id: str, channel_id: str, name: str, size: int, mime: str, now: int
) -> dict[str, Any]:
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    return {
        "id": file_id,
        "user_id": user_id,
        "channel_id": channel_id,
        "post_id": "",
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "name": name,
        "extension": extension,
        "size": size,
        "mime_type": mime,
        "has_preview_image": mime.startswith("image/"),
        "mini_preview": None,
        "remote_id": "",
        "archived": False,
    }


def new_post(
    post_id: str,
    user_id: str,
    channel_id: str,
    message: str,
    now: int,
    *,
    root_id: str = "",
    post_type: str = "",
    props: dict[str, Any] | None = None,
    file_ids: list[str] | None = None,
    pending_post_id: str = "",
) -> dict[str, Any]:
    """A stored Post (model.Post); `file_ids`/`has_reactions` always present here, omitted on the wire if empty."""
    return {
        "id": post_id,
        "create_at": now,
        "update_at": now,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": False,
        "user_id": user_id,
        "channel_id": channel_id,
        "root_id": root_id,
        "original_id": "",
        "message": message,
        "type": post_type,
        "props": props if props is not None else {},
        "hashtags": hashtags(message),
        "file_ids": list(file_ids or []),
        "pending_post_id": pending_post_id,
        "has_reactions": False,
        "reply_count": 0,
        "last_reply_at": 0,
        "participants": None,
        "metadata": {},
    }


def iter_actions(props: dict[str, Any] | None) -> list[dict[str, Any]]:
    """All `props.attachments[].actions[]` entries (the interactive buttons and menus of a post)."""
    actions: list[dict[str, Any]] = []
    attachments = (props or {}).get("attachments")
    if not isinstance(attachments, list):
        return actions
    for attachment in attachments:
        if isinstance(attachment, dict) and isinstance(attachment.get("actions"), list):
            actions.extend(a for a in attachment["actions"] if isinstance(a, dict))
    return actions


def client_props(props: dict[str, Any], cookie_for: Any) -> dict[str, Any]:
    """Props as clients see them: each action loses `integration` and gains an opaque `cookie`."""
    out = copy.deepcopy(props)
    for action in iter_actions(out):
        action.pop("integration", None)
        action["cookie"] = cookie_for(action)
    return out


def post_list(posts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A PostList with `order` newest first, like the server's SortByCreateAt."""
    ordered = sorted(posts, key=lambda p: p["create_at"], reverse=True)
    return {
        "order": [p["id"] for p in ordered],
        "posts": {p["id"]: p for p in ordered},
        "next_post_id": extra.get("next_post_id", ""),
        "prev_post_id": extra.get("prev_post_id", ""),
        "has_next": extra.get("has_next", False),
        "first_inaccessible_post_time": 0,
    }
