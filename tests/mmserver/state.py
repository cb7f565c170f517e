"""In-memory store of the fake server, its seeding API and the permission checks it enforces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .errors import AppError, forbidden
from .ids import Clock, new_id
from .models import new_channel, new_channel_member, new_team, new_team_member, new_user

_NOT_FOUND = {
    "user": ("app.user.missing_account.const", "Unable to find the user."),
    "team": ("app.team.get.find.app_error", "Unable to find the existing team."),
    "channel": ("app.channel.get.existing.app_error", "Unable to find the existing channel."),
    "post": ("app.post.get.app_error", "Unable to get the post."),
    "command": ("store.sql_command.get.missing.app_error", "Unable to find the command."),
    "file": ("app.file_info.get.app_error", "Unable to get the file info."),
}


def not_found(kind: str) -> AppError:
    error_id, message = _NOT_FOUND[kind]
    return AppError(error_id, 404, message)


@dataclass
class StoredFile:
    """An uploaded file: its FileInfo and the bytes, so tests can read what the bot sent."""

    info: dict[str, Any]
    data: bytes


@dataclass
class Ephemeral:
    """An ephemeral post and the only user who sees it."""

    user_id: str
    post: dict[str, Any]


@dataclass
class CommandHook:
    """A response_url (model.CommandWebhook): 30 min lifetime, 5 uses."""

    id: str
    command_id: str
    user_id: str
    channel_id: str
    root_id: str
    create_at: int
    use_count: int = 0


@dataclass
class TriggerContext:
    """Where a trigger_id was issued, so an opened dialog knows its channel and team."""

    user_id: str
    channel_id: str
    team_id: str


@dataclass
class DialogRecord:
    """A dialog opened through /actions/dialogs/open, as the user's client would hold it."""

    user_id: str
    channel_id: str
    team_id: str
    trigger_id: str
    url: str
    dialog: dict[str, Any]
    opened_at: int
    open: bool = True
    replies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def callback_id(self) -> str:
        return str(self.dialog.get("callback_id") or "")

    @property
    def state(self) -> str:
        return str(self.dialog.get("state") or "")


class State:
    """Every object the server knows, plus membership and permission rules."""

    def __init__(self, config: Config, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.users: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, str] = {}
        self.user_tokens: dict[str, str] = {}
        self.teams: dict[str, dict[str, Any]] = {}
        self.team_members: dict[tuple[str, str], dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.channel_members: dict[tuple[str, str], dict[str, Any]] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.reactions: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.commands: dict[str, dict[str, Any]] = {}
        self.hooks: dict[str, CommandHook] = {}
        self.triggers: dict[str, TriggerContext] = {}
        self.ephemerals: list[Ephemeral] = []
        self.dialogs: list[DialogRecord] = []
        self.files: dict[str, StoredFile] = {}

    # ----- seeding -------------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        roles: str = "system_user",
        is_bot: bool = False,
        token: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create a user with a personal access token (see `token_for`)."""
        username = username.lower()
        if self.user_by_name(username) is not None:
            raise ValueError(f"username {username!r} already exists")
        user = new_user(new_id(), username, self.clock.now_ms(), roles=roles, is_bot=is_bot, **fields)
        self.users[user["id"]] = user
        self.set_token(user["id"], token or new_id())
        return user

    def set_token(self, user_id: str, token: str) -> None:
        """Replace a user's access token (the old one stops working, like a revoked token)."""
        old = self.user_tokens.pop(user_id, None)
        if old:
            self.tokens.pop(old, None)
        self.tokens[token] = user_id
        self.user_tokens[user_id] = token

    def add_team(self, name: str, display_name: str | None = None, team_type: str = "O") -> dict[str, Any]:
        team = new_team(new_id(), name, display_name or name, self.clock.now_ms(), team_type)
        self.teams[team["id"]] = team
        return team

    def add_team_member(self, team_id: str, user_id: str, roles: str = "team_user") -> dict[str, Any]:
        self.team(team_id)
        self.user(user_id)
        member = new_team_member(team_id, user_id, roles, self.clock.now_ms())
        self.team_members[(team_id, user_id)] = member
        return member

    def add_channel(
        self, team_id: str, name: str, display_name: str | None = None, type: str = "O", creator_id: str = ""
    ) -> dict[str, Any]:
        self.team(team_id)
        if self.channel_by_name(team_id, name) is not None:
            raise ValueError(f"channel {name!r} already exists in team {team_id}")
        channel = new_channel(new_id(), team_id, name, display_name or name, type, self.clock.now_ms(), creator_id)
        self.channels[channel["id"]] = channel
        return channel

    def add_channel_member(self, channel_id: str, user_id: str, roles: str = "channel_user") -> dict[str, Any]:
        channel = self.channel(channel_id)
        self.user(user_id)
        if channel["team_id"] and (channel["team_id"], user_id) not in self.team_members:
            self.add_team_member(channel["team_id"], user_id)
        member = new_channel_member(channel_id, user_id, roles, self.clock.now_ms())
        self.channel_members[(channel_id, user_id)] = member
        return member

    def direct_channel(self, user_a: str, user_b: str) -> tuple[dict[str, Any], bool]:
        """The DM channel between two users, created on first use; returns (channel, created)."""
        name = "__".join(sorted((user_a, user_b)))
        for channel in self.channels.values():
            if channel["type"] == "D" and channel["name"] == name:
                return channel, False
        channel = new_channel(new_id(), "", name, "", "D", self.clock.now_ms(), user_a)
        self.channels[channel["id"]] = channel
        for uid in {user_a, user_b}:
            self.channel_members[(channel["id"], uid)] = new_channel_member(
                channel["id"], uid, "channel_user", self.clock.now_ms()
            )
        return channel, True

    # ----- lookups -------------------------------------------------------------------------------

    def user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self.users:
            raise not_found("user")
        return self.users[user_id]

    def user_by_name(self, username: str) -> dict[str, Any] | None:
        wanted = username.lower()
        return next((u for u in self.users.values() if u["username"] == wanted), None)

    def team(self, team_id: str) -> dict[str, Any]:
        if team_id not in self.teams:
            raise not_found("team")
        return self.teams[team_id]

    def team_by_name(self, name: str) -> dict[str, Any] | None:
        return next((t for t in self.teams.values() if t["name"] == name), None)

    def channel(self, channel_id: str) -> dict[str, Any]:
        if channel_id not in self.channels:
            raise not_found("channel")
        return self.channels[channel_id]

    def channel_by_name(self, team_id: str, name: str) -> dict[str, Any] | None:
        return next((c for c in self.channels.values() if c["team_id"] == team_id and c["name"] == name), None)

    def post(self, post_id: str, include_deleted: bool = False) -> dict[str, Any]:
        post = self.posts.get(post_id)
        if post is None or (post["delete_at"] and not include_deleted):
            raise not_found("post")
        return post

    def channel_member_ids(self, channel_id: str) -> list[str]:
        return [uid for (cid, uid) in self.channel_members if cid == channel_id]

    def token_for(self, user_id: str) -> str:
        return self.user_tokens[user_id]

    def user_for_token(self, token: str) -> str | None:
        return self.tokens.get(token)

    # ----- permissions ---------------------------------------------------------------------------

    def is_system_admin(self, user_id: str) -> bool:
        user = self.users.get(user_id)
        return bool(user) and "system_admin" in user["roles"].split()

    def is_team_member(self, team_id: str, user_id: str) -> bool:
        return (team_id, user_id) in self.team_members

    def is_team_admin(self, team_id: str, user_id: str) -> bool:
        member = self.team_members.get((team_id, user_id))
        return bool(member) and "team_admin" in member["roles"].split()

    def is_channel_member(self, channel_id: str, user_id: str) -> bool:
        return (channel_id, user_id) in self.channel_members

    def can_read_channel(self, user_id: str, channel: dict[str, Any]) -> bool:
        """read_channel: members, team members for public channels, system admins."""
        if self.is_system_admin(user_id) or self.is_channel_member(channel["id"], user_id):
            return True
        return channel["type"] == "O" and self.is_team_member(channel["team_id"], user_id)

    def can_post(self, user_id: str, channel: dict[str, Any]) -> bool:
        """create_post: channel members (channel_user role) and system admins."""
        return self.is_system_admin(user_id) or self.is_channel_member(channel["id"], user_id)

    def can_view_team(self, user_id: str, team_id: str) -> bool:
        return self.is_system_admin(user_id) or self.is_team_member(team_id, user_id)

    def can_manage_commands(self, user_id: str, team_id: str) -> bool:
        """manage_slash_commands: team_admin/system_admin, or every team user when the policy allows it."""
        if self.is_system_admin(user_id) or self.is_team_admin(team_id, user_id):
            return True
        return self.config.allow_user_commands and self.is_team_member(team_id, user_id)

    def can_manage_others_commands(self, user_id: str, team_id: str) -> bool:
        return self.is_system_admin(user_id) or self.is_team_admin(team_id, user_id)

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise forbidden()
