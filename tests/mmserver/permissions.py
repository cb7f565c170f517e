"""Default roles and the permissions the fake server enforces (a subset of model/role.go).

Only the permissions a bot can trip over are modelled; `POST /roles/names` returns these lists so a
bot that inspects roles sees the same decisions the server makes.
"""

from __future__ import annotations

import hashlib
from typing import Any

_CHANNEL_USER = [
    "read_channel",
    "read_channel_content",
    "add_reaction",
    "remove_reaction",
    "manage_public_channel_members",
    "upload_file",
    "get_public_link",
    "create_post",
    "use_channel_mentions",
    "use_slash_commands",
    "edit_post",
    "delete_post",
]
_CHANNEL_ADMIN = ["manage_channel_roles", "use_group_mentions", "manage_public_channel_properties"]
_TEAM_USER = [
    "list_team_channels",
    "join_public_channels",
    "read_public_channel",
    "view_team",
    "create_public_channel",
    "create_private_channel",
    "invite_user",
    "add_user_to_team",
]
_TEAM_ADMIN = [
    "manage_slash_commands",
    "manage_others_slash_commands",
    "manage_incoming_webhooks",
    "manage_outgoing_webhooks",
    "remove_user_from_team",
    "manage_team",
    "manage_team_roles",
    "manage_channel_roles",
    "delete_post",
    "delete_others_posts",
    "import_team",
]
_SYSTEM_USER = [
    "create_direct_channel",
    "create_group_channel",
    "create_team",
    "list_public_teams",
    "join_public_teams",
    "view_members",
    "create_emojis",
    "delete_emojis",
]
_SYSTEM_ADMIN_EXTRA = [
    "manage_system",
    "create_post_ephemeral",
    "edit_others_posts",
    "remove_others_reactions",
    "manage_roles",
    "create_user_access_token",
    "manage_bots",
    "manage_others_bots",
]


def role_permissions(name: str, *, user_commands: bool = False) -> list[str] | None:
    """Permissions of a built-in role, or None if the role is unknown."""
    if name == "channel_user":
        return list(_CHANNEL_USER)
    if name == "channel_admin":
        return list(_CHANNEL_ADMIN)
    if name == "team_user":
        return _TEAM_USER + (["manage_slash_commands"] if user_commands else [])
    if name == "team_admin":
        return list(_TEAM_ADMIN)
    if name == "system_user":
        return list(_SYSTEM_USER)
    if name == "system_post_all":
        return ["create_post"]
    if name == "system_post_all_public":
        return ["create_post_public"]
    if name == "system_user_access_token":
        return ["create_user_access_token", "read_user_access_token", "revoke_user_access_token"]
    if name == "system_admin":
        return sorted(
            set(_SYSTEM_USER + _TEAM_USER + _TEAM_ADMIN + _CHANNEL_USER + _CHANNEL_ADMIN + _SYSTEM_ADMIN_EXTRA)
        )
    return None


def role_json(name: str, permissions: list[str]) -> dict[str, Any]:
    """model.Role with a stable id derived from its name."""
    role_id = hashlib.sha1(name.encode()).hexdigest()[:26]
    return {
        "id": role_id,
        "name": name,
        "display_name": f"authentication.roles.{name}.name",
        "description": f"authentication.roles.{name}.description",
        "create_at": 0,
        "update_at": 0,
        "delete_at": 0,
        "permissions": permissions,
        "scheme_managed": name != "system_user_access_token" and not name.startswith("system_post_all"),
        "built_in": True,
    }
