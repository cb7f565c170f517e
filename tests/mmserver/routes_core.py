"""REST routes for users, teams, channels, roles and system (api4/user.go, team.go, channel.go, role.go)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .core import Core
from .errors import AppError, bad_body, bad_url_param, json_response
from .middleware import require_user
from .models import user_json
from .permissions import role_json, role_permissions
from .state import State, not_found


async def read_json(request: web.Request, name: str) -> Any:
    """Decode the JSON body or fail like the server (400 invalid_body_param)."""
    try:
        return json.loads(await request.read() or b"null")
    except ValueError:
        raise bad_body(name) from None


def paging(request: web.Request) -> tuple[int, int]:
    """`page`/`per_page` with the server defaults (0, 60) and cap (200)."""
    try:
        page = int(request.query.get("page", "0"))
        per_page = int(request.query.get("per_page", "60"))
    except ValueError:
        raise bad_url_param("page") from None
    return max(page, 0), min(max(per_page, 0), 200)


class CoreRoutes:
    def __init__(self, state: State, core: Core) -> None:
        self.state = state
        self.core = core

    def register(self, router: web.UrlDispatcher) -> None:
        r = router
        r.add_get("/api/v4/system/ping", self.ping)
        r.add_post("/api/v4/users/ids", self.users_by_ids)
        r.add_get("/api/v4/users/username/{username}", self.user_by_username)
        r.add_get("/api/v4/users/{user_id}/teams", self.user_teams)
        r.add_get("/api/v4/users/{user_id}/teams/{team_id}/channels/members", self.user_team_channel_members)
        r.add_get("/api/v4/users/{user_id}/teams/{team_id}/channels", self.user_team_channels)
        r.add_get("/api/v4/users/{user_id}", self.get_user)
        r.add_get("/api/v4/teams/name/{team_name}/channels/name/{channel_name}", self.channel_by_team_name)
        r.add_get("/api/v4/teams/name/{team_name}", self.team_by_name)
        r.add_get("/api/v4/teams/{team_id}/channels/name/{channel_name}", self.channel_by_name)
        r.add_get("/api/v4/teams/{team_id}/members/{user_id}", self.team_member)
        r.add_get("/api/v4/teams/{team_id}", self.get_team)
        r.add_post("/api/v4/channels/direct", self.direct_channel)
        r.add_post("/api/v4/channels", self.create_channel)
        r.add_post("/api/v4/channels/{channel_id}/members", self.add_channel_member)
        r.add_delete("/api/v4/channels/{channel_id}", self.delete_channel)
        r.add_get("/api/v4/channels/{channel_id}/members/{user_id}", self.channel_member)
        r.add_get("/api/v4/channels/{channel_id}/members", self.channel_members)
        r.add_get("/api/v4/channels/{channel_id}", self.get_channel)
        r.add_post("/api/v4/roles/names", self.roles_by_names)
        r.add_get("/api/v4/roles/name/{role_name}", self.role_by_name)

    # ----- system --------------------------------------------------------------------------------

    async def ping(self, request: web.Request) -> web.Response:
        return json_response({"ActiveSearchBackend": "database", "AndroidLatestVersion": "", "status": "OK"})

    # ----- users ---------------------------------------------------------------------------------

    def _user_id_param(self, request: web.Request, me: str) -> str:
        user_id = request.match_info["user_id"]
        return me if user_id == "me" else user_id

    async def get_user(self, request: web.Request) -> web.Response:
        me = require_user(request)
        return json_response(user_json(self.state.user(self._user_id_param(request, me))))

    async def user_by_username(self, request: web.Request) -> web.Response:
        require_user(request)
        user = self.state.user_by_name(request.match_info["username"])
        if user is None:
            raise not_found("user")
        return json_response(user_json(user))

    async def users_by_ids(self, request: web.Request) -> web.Response:
        require_user(request)
        ids = await read_json(request, "user_ids")
        if not isinstance(ids, list) or not ids:
            raise bad_body("user_ids")
        return json_response([user_json(self.state.users[i]) for i in ids if i in self.state.users])

    async def user_teams(self, request: web.Request) -> web.Response:
        me = require_user(request)
        user_id = self._user_id_param(request, me)
        self.state.require(user_id == me or self.state.is_system_admin(me))
        teams = [self.state.teams[tid] for (tid, uid) in self.state.team_members if uid == user_id]
        return json_response(teams)

    async def user_team_channels(self, request: web.Request) -> web.Response:
        me = require_user(request)
        user_id = self._user_id_param(request, me)
        team_id = request.match_info["team_id"]
        self.state.require(user_id == me or self.state.is_system_admin(me))
        channels = [
            c
            for (cid, uid) in self.state.channel_members
            if uid == user_id and (c := self.state.channels[cid])["team_id"] in (team_id, "")
        ]
        return json_response(channels)

    async def user_team_channel_members(self, request: web.Request) -> web.Response:
        me = require_user(request)
        user_id = self._user_id_param(request, me)
        team_id = request.match_info["team_id"]
        self.state.require(user_id == me or self.state.is_system_admin(me))
        members = [
            m
            for (cid, uid), m in self.state.channel_members.items()
            if uid == user_id and self.state.channels[cid]["team_id"] in (team_id, "")
        ]
        return json_response(members)

    # ----- teams ---------------------------------------------------------------------------------

    def _visible_team(self, me: str, team: dict[str, Any] | None) -> dict[str, Any]:
        if team is None:
            raise AppError("app.team.get_by_name.missing.app_error", 404, "Unable to find the existing team.")
        self.state.require(self.state.can_view_team(me, team["id"]) or team["allow_open_invite"])
        return team

    async def get_team(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team = self.state.teams.get(request.match_info["team_id"])
        if team is None:
            raise not_found("team")
        return json_response(self._visible_team(me, team))

    async def team_by_name(self, request: web.Request) -> web.Response:
        me = require_user(request)
        return json_response(self._visible_team(me, self.state.team_by_name(request.match_info["team_name"])))

    async def team_member(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team_id = request.match_info["team_id"]
        self.state.require(self.state.can_view_team(me, team_id))
        member = self.state.team_members.get((team_id, self._user_id_param(request, me)))
        if member is None:
            raise AppError(
                "app.team.get_member.missing.app_error", 404, "No team member found for that user ID and team ID."
            )
        return json_response(member)

    # ----- channels ------------------------------------------------------------------------------

    def _readable(self, me: str, channel: dict[str, Any] | None) -> dict[str, Any]:
        """Unknown or unreadable channels: 404 by name, 403 by id (mirrors the API's checks)."""
        if channel is None:
            raise AppError("app.channel.get_by_name.missing.app_error", 404, "Channel does not exist.")
        self.state.require(self.state.can_read_channel(me, channel))
        return channel

    async def get_channel(self, request: web.Request) -> web.Response:
        me = require_user(request)
        channel = self.state.channels.get(request.match_info["channel_id"])
        if channel is None:
            raise AppError("api.context.permissions.app_error", 403)
        return json_response(self._readable(me, channel))

    async def channel_by_name(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team_id = request.match_info["team_id"]
        self.state.require(self.state.can_view_team(me, team_id))
        channel = self.state.channel_by_name(team_id, request.match_info["channel_name"])
        return json_response(self._readable(me, channel))

    async def channel_by_team_name(self, request: web.Request) -> web.Response:
        me = require_user(request)
        team = self.state.team_by_name(request.match_info["team_name"])
        if team is None:
            raise AppError("app.team.get_by_name.missing.app_error", 404, "Unable to find the existing team.")
        self.state.require(self.state.can_view_team(me, team["id"]))
        channel = self.state.channel_by_name(team["id"], request.match_info["channel_name"])
        return json_response(self._readable(me, channel))

    async def channel_members(self, request: web.Request) -> web.Response:
        me = require_user(request)
        channel_id = request.match_info["channel_id"]
        channel = self.state.channels.get(channel_id)
        self.state.require(channel is not None and self.state.can_read_channel(me, channel))
        page, per_page = paging(request)
        members = [m for (cid, _), m in self.state.channel_members.items() if cid == channel_id]
        return json_response(members[page * per_page : (page + 1) * per_page])

    async def channel_member(self, request: web.Request) -> web.Response:
        me = require_user(request)
        channel_id = request.match_info["channel_id"]
        channel = self.state.channels.get(channel_id)
        self.state.require(channel is not None and self.state.can_read_channel(me, channel))
        member = self.state.channel_members.get((channel_id, self._user_id_param(request, me)))
        if member is None:
            raise AppError(
                "app.channel.get_member.missing.app_error",
                404,
                "No channel member found for that user ID and channel ID.",
            )
        return json_response(member)

    async def direct_channel(self, request: web.Request) -> web.Response:
        """createDirectChannel: always 201, existing DM or not; the caller must be one of the two."""
        me = require_user(request)
        ids = await read_json(request, "user_ids")
        if not isinstance(ids, list) or len(ids) != 2 or not all(isinstance(i, str) for i in ids):
            raise bad_body("user_ids")
        self.state.require(me in ids or self.state.is_system_admin(me))
        for user_id in ids:
            self.state.user(user_id)
        channel, _ = self.state.direct_channel(ids[0], ids[1])
        return json_response(channel, status=201)

    async def create_channel(self, request: web.Request) -> web.Response:
        """createChannel: a team member creates an open or private channel (201) and is its channel admin."""
        me = require_user(request)
        body = await read_json(request, "channel")
        if not isinstance(body, dict):
            raise bad_body("channel")
        team_id, name, kind = str(body.get("team_id") or ""), str(body.get("name") or ""), body.get("type")
        self.state.require(self.state.is_team_member(team_id, me) or self.state.is_system_admin(me))
        if kind not in ("O", "P") or not name or len(name) > 64:
            raise AppError("model.channel.is_valid.2_or_more.app_error", 400, "Name must be 2 or more lowercase "
                           "alphanumeric characters.")
        if self.state.channel_by_name(team_id, name) is not None:
            raise AppError("store.sql_channel.save_channel.exists.app_error", 400,
                           "A channel with that name already exists on the same team.")
        channel = self.state.add_channel(team_id, name, body.get("display_name") or name, kind, creator_id=me)
        self.state.add_channel_member(channel["id"], me, "channel_user channel_admin")
        return json_response(channel, status=201)

    async def add_channel_member(self, request: web.Request) -> web.Response:
        """addChannelMember: a member adds a team member (201); archived channels refuse."""
        me = require_user(request)
        channel = self.state.channel(request.match_info["channel_id"])
        body = await read_json(request, "user_id")
        user_id = str(body.get("user_id") or "") if isinstance(body, dict) else ""
        self.state.require(self.state.is_channel_member(channel["id"], me) or self.state.is_system_admin(me))
        if channel.get("delete_at"):
            raise AppError("api.channel.add_user.to.channel.failed.deleted.app_error", 400,
                           "Failed to add user to channel because channel has been archived.")
        added = self.state.user(user_id)
        member = self.state.channel_members.get((channel["id"], user_id))
        if member is None:
            member = self.state.add_channel_member(channel["id"], user_id)
            adder = self.state.user(me)
            # As Mattermost 10.7 did: a system post "relais added to the channel by claire." (Relais skips typed posts).
            await self.core.create_post(me, channel["id"], f"{added['username']} added to the channel by "
                                        f"{adder['username']}.", post_type="system_add_to_channel",
                                        props={"addedUserId": user_id, "addedUsername": added["username"],
                                               "userId": me, "username": adder["username"]})
        return json_response(member, status=201)

    async def delete_channel(self, request: web.Request) -> web.Response:
        """deleteChannel: archives (delete_at set); a member may archive a private channel."""
        me = require_user(request)
        channel = self.state.channel(request.match_info["channel_id"])
        self.state.require(self.state.is_channel_member(channel["id"], me) or self.state.is_system_admin(me))
        channel["delete_at"] = channel["update_at"] = self.state.clock.now_ms()
        return json_response({"status": "OK"})

    # ----- roles ---------------------------------------------------------------------------------

    def _role(self, name: str) -> dict[str, Any] | None:
        permissions = role_permissions(name, user_commands=self.state.config.allow_user_commands)
        return None if permissions is None else role_json(name, permissions)

    async def roles_by_names(self, request: web.Request) -> web.Response:
        require_user(request)
        names = await read_json(request, "role_names")
        if not isinstance(names, list) or not names:
            raise bad_body("role_names")
        return json_response([role for name in names if isinstance(name, str) and (role := self._role(name))])

    async def role_by_name(self, request: web.Request) -> web.Response:
        require_user(request)
        role = self._role(request.match_info["role_name"])
        if role is None:
            raise AppError("app.role.get_by_name.app_error", 404, "Unable to get role.")
        return json_response(role)
