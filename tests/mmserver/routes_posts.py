"""REST routes for posts, ephemerals, reactions and files (api4/post.go, reaction.go, file.go)."""

from __future__ import annotations

import mimetypes
from typing import Any

from aiohttp import BodyPartReader, web

from .core import Core
from .emoji import check_reaction_emoji
from .errors import AppError, bad_body, bad_url_param, forbidden, json_response, status_ok
from .ids import is_valid_id, new_id
from .middleware import require_user
from .models import new_file_info, post_list
from .routes_core import paging, read_json
from .state import State, StoredFile, not_found


class PostRoutes:
    def __init__(self, state: State, core: Core) -> None:
        self.state = state
        self.core = core

    def register(self, router: web.UrlDispatcher) -> None:
        r = router
        r.add_post("/api/v4/posts/ephemeral", self.create_ephemeral)
        r.add_post("/api/v4/posts", self.create_post)
        r.add_put("/api/v4/posts/{post_id}/patch", self.patch_post)
        r.add_get("/api/v4/posts/{post_id}/thread", self.get_thread)
        r.add_get("/api/v4/posts/{post_id}/reactions", self.get_reactions)
        r.add_get("/api/v4/posts/{post_id}", self.get_post)
        r.add_put("/api/v4/posts/{post_id}", self.update_post)
        r.add_delete("/api/v4/posts/{post_id}", self.delete_post)
        r.add_get("/api/v4/channels/{channel_id}/posts", self.channel_posts)
        r.add_post("/api/v4/reactions", self.save_reaction)
        r.add_delete("/api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}", self.delete_reaction)
        r.add_post("/api/v4/files", self.upload_files)
        r.add_get("/api/v4/files/{file_id}/info", self.file_info)
        r.add_get("/api/v4/files/{file_id}", self.get_file)

    def _channel_for_post(self, me: str, post: dict[str, Any]) -> dict[str, Any]:
        channel = self.state.channel(post["channel_id"])
        self.state.require(self.state.can_read_channel(me, channel))
        return channel

    def _readable_post(self, me: str, post_id: str, *, lookup_first: bool = False) -> dict[str, Any]:
        """GET routes load the post first (unknown -> 404); mutating routes check the channel by post
        first, so an unknown post is a 403 for non-admins (SessionHasPermissionToChannelByPost)."""
        post = self.state.posts.get(post_id)
        if post is None or post["delete_at"]:
            if not lookup_first and not self.state.is_system_admin(me):
                raise forbidden()
            raise not_found("post")
        self._channel_for_post(me, post)
        return post

    # ----- posts ---------------------------------------------------------------------------------

    async def create_post(self, request: web.Request) -> web.Response:
        me = require_user(request)
        body = await read_json(request, "post")
        if not isinstance(body, dict):
            raise bad_body("post")
        channel = self.state.channels.get(str(body.get("channel_id") or ""))
        if channel is None or not self.state.can_post(me, channel):
            raise forbidden()
        props = body.get("props")
        if props is not None and not isinstance(props, dict):
            raise bad_body("post")
        file_ids = body.get("file_ids") or []
        if not isinstance(file_ids, list):
            raise bad_body("post")
        post = await self.core.create_post(
            me,
            channel["id"],
            str(body.get("message") or ""),
            root_id=str(body.get("root_id") or ""),
            props=props,
            file_ids=file_ids,
            pending_post_id=str(body.get("pending_post_id") or ""),
            set_online=request.query.get("set_online", "true").lower() != "false",
        )
        return json_response(self.core.render_post(post), status=201)

    async def create_ephemeral(self, request: web.Request) -> web.Response:
        """createEphemeralPost: needs create_post_ephemeral (system_admin only by default)."""
        me = require_user(request)
        body = await read_json(request, "ephemeral_post")
        if not isinstance(body, dict) or not isinstance(body.get("post"), dict):
            raise bad_body("ephemeral_post")
        self.state.require(self.state.is_system_admin(me))
        fields = body["post"]
        recipient = str(body.get("user_id") or "")
        if not is_valid_id(recipient):
            raise bad_body("user_id")
        channel_id = str(fields.get("channel_id") or "")
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise bad_body("channel_id")
        post = await self.core.send_ephemeral(
            recipient,
            me,
            channel_id,
            str(fields.get("message") or ""),
            root_id=str(fields.get("root_id") or ""),
            props=fields.get("props") if isinstance(fields.get("props"), dict) else None,
        )
        return json_response(self.core.render_post(post), status=201)

    async def get_post(self, request: web.Request) -> web.Response:
        me = require_user(request)
        post = self._readable_post(me, request.match_info["post_id"], lookup_first=True)
        return json_response(self.core.render_post(post))

    async def patch_post(self, request: web.Request) -> web.Response:
        """patchPost: own posts (edit_post) or anyone's for system admins (edit_others_posts)."""
        me = require_user(request)
        body = await read_json(request, "post")
        if not isinstance(body, dict):
            raise bad_body("post")
        post = self._readable_post(me, request.match_info["post_id"])
        self.state.require(post["user_id"] == me or self.state.is_system_admin(me))
        props = body.get("props")
        if props is not None and not isinstance(props, dict):
            raise bad_body("post")
        file_ids = body.get("file_ids")
        updated = await self.core.update_post(
            post,
            message=body["message"] if isinstance(body.get("message"), str) else None,
            props=props,
            file_ids=file_ids if isinstance(file_ids, list) else None,
            is_pinned=body.get("is_pinned") if isinstance(body.get("is_pinned"), bool) else None,
            has_reactions=body.get("has_reactions") if isinstance(body.get("has_reactions"), bool) else None,
        )
        return json_response(self.core.render_post(updated))

    async def update_post(self, request: web.Request) -> web.Response:
        """updatePost: a full update (message, props, file_ids, is_pinned); the body id must match the URL."""
        me = require_user(request)
        body = await read_json(request, "post")
        if not isinstance(body, dict) or body.get("id") != request.match_info["post_id"]:
            raise bad_body("id")
        post = self._readable_post(me, request.match_info["post_id"])
        self.state.require(post["user_id"] == me or self.state.is_system_admin(me))
        props = body.get("props")
        updated = await self.core.update_post(
            post,
            message=str(body.get("message") or ""),
            props=props if isinstance(props, dict) else {},
            file_ids=body["file_ids"] if isinstance(body.get("file_ids"), list) else [],
            is_pinned=bool(body.get("is_pinned", post["is_pinned"])),
        )
        return json_response(self.core.render_post(updated))

    async def delete_post(self, request: web.Request) -> web.Response:
        me = require_user(request)
        post = self._readable_post(me, request.match_info["post_id"])
        channel = self.state.channel(post["channel_id"])
        own = post["user_id"] == me and self.state.can_post(me, channel)
        self.state.require(own or self.state.is_system_admin(me) or self.state.is_team_admin(channel["team_id"], me))
        await self.core.delete_post(post, me)
        return status_ok()

    async def get_thread(self, request: web.Request) -> web.Response:
        me = require_user(request)
        post = self._readable_post(me, request.match_info["post_id"], lookup_first=True)
        root_id = post["root_id"] or post["id"]
        thread = [
            p
            for p in self.state.posts.values()
            if (p["id"] == root_id or p["root_id"] == root_id) and not p["delete_at"]
        ]
        return json_response(post_list([self.core.render_post(p) for p in thread]))

    async def channel_posts(self, request: web.Request) -> web.Response:
        """getPostsForChannel: `since` returns everything modified after it (edits, deletes, their roots)."""
        me = require_user(request)
        channel = self.state.channels.get(request.match_info["channel_id"])
        self.state.require(channel is not None and self.state.can_read_channel(me, channel))
        assert channel is not None
        in_channel = [p for p in self.state.posts.values() if p["channel_id"] == channel["id"]]
        since = request.query.get("since")
        if since:
            try:
                since_ms = int(since)
            except ValueError:
                raise bad_url_param("since") from None
            changed = [p for p in in_channel if p["update_at"] > since_ms]
            roots = {p["root_id"] for p in changed if p["root_id"]}
            changed += [p for p in in_channel if p["id"] in roots and p not in changed]
            changed = sorted(changed, key=lambda p: p["create_at"], reverse=True)[:1000]
            return json_response(post_list([self.core.render_post(p) for p in changed]))
        visible = sorted((p for p in in_channel if not p["delete_at"]), key=lambda p: p["create_at"], reverse=True)
        before, after = request.query.get("before"), request.query.get("after")
        page, per_page = paging(request)
        extra: dict[str, Any] = {}
        if before or after:
            anchor = self.state.posts.get(before or after or "")
            if anchor is None:
                raise bad_url_param("before" if before else "after")
            if before:
                older = [p for p in visible if p["create_at"] < anchor["create_at"]]
                chunk = older[page * per_page : (page + 1) * per_page]
            else:
                newer = [p for p in visible if p["create_at"] > anchor["create_at"]][::-1]
                chunk = newer[page * per_page : (page + 1) * per_page]
            ids = [p["id"] for p in visible]
            if chunk:
                newest = max(chunk, key=lambda p: p["create_at"])
                oldest = min(chunk, key=lambda p: p["create_at"])
                i_new, i_old = ids.index(newest["id"]), ids.index(oldest["id"])
                extra["next_post_id"] = ids[i_new - 1] if i_new > 0 else ""
                extra["prev_post_id"] = ids[i_old + 1] if i_old + 1 < len(ids) else ""
                extra["has_next"] = bool(extra["next_post_id"])
        else:
            chunk = visible[page * per_page : (page + 1) * per_page]
        return json_response(post_list([self.core.render_post(p) for p in chunk], **extra))

    # ----- reactions -----------------------------------------------------------------------------

    async def save_reaction(self, request: web.Request) -> web.Response:
        """saveReaction: user_id must be the caller (403); answers 200, not the spec's 201."""
        me = require_user(request)
        body = await read_json(request, "reaction")
        if not isinstance(body, dict):
            raise bad_body("reaction")
        if body.get("user_id") != me:
            raise AppError(
                "api.reaction.save_reaction.user_id.app_error", 403, "You do not have the appropriate permissions."
            )
        post_id, emoji = str(body.get("post_id") or ""), str(body.get("emoji_name") or "")
        if not is_valid_id(post_id):
            raise AppError("model.reaction.is_valid.post_id.app_error", 400, "Invalid post id.")
        check_reaction_emoji(emoji)
        post = self._readable_post(me, post_id)
        reaction = await self.core.add_reaction(me, post, emoji)
        return json_response(reaction)

    async def delete_reaction(self, request: web.Request) -> web.Response:
        me = require_user(request)
        user_id = request.match_info["user_id"]
        user_id = me if user_id == "me" else user_id
        post = self._readable_post(me, request.match_info["post_id"])
        self.state.require(user_id == me or self.state.is_system_admin(me))
        await self.core.remove_reaction(user_id, post, request.match_info["emoji_name"])
        return status_ok()

    async def get_reactions(self, request: web.Request) -> web.Response:
        me = require_user(request)
        post = self._readable_post(me, request.match_info["post_id"])
        return json_response([r for (pid, _, _), r in self.state.reactions.items() if pid == post["id"]])

    # ----- files ---------------------------------------------------------------------------------

    async def upload_files(self, request: web.Request) -> web.Response:
        """uploadFileStream (multipart): `files` parts + `channel_id`, 201 {file_infos, client_ids}."""
        me = require_user(request)
        if not request.content_type.startswith("multipart/"):
            raise bad_body("files")
        channel_id = request.query.get("channel_id", "")
        parts: list[tuple[str, str, bytes]] = []
        client_ids: list[str] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read(decode=True)
            if part.name == "channel_id":
                channel_id = data.decode()
            elif part.name == "client_ids":
                client_ids.append(data.decode())
            elif part.name == "files":
                mime = part.headers.get("Content-Type") or ""
                name = part.filename or "file"
                if not mime or mime == "application/octet-stream":
                    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
                parts.append((name, mime, bytes(data)))
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise bad_url_param("channel_id")
        self.state.require(self.state.can_post(me, channel))
        if not parts:
            raise AppError(
                "api.file.upload_file.incorrect_number_of_files.app_error",
                400,
                "Unable to upload files. Incorrect number of files specified.",
            )
        infos = []
        for name, mime, data in parts:
            info = new_file_info(new_id(), me, channel_id, name, len(data), mime, self.core.clock.now_ms())
            self.state.files[info["id"]] = StoredFile(info, data)
            infos.append(info)
        return json_response({"file_infos": infos, "client_ids": client_ids}, status=201)

    def _readable_file(self, me: str, file_id: str) -> StoredFile:
        stored = self.state.files.get(file_id)
        if stored is None:
            raise not_found("file")
        channel = self.state.channel(stored.info["channel_id"])
        self.state.require(self.state.can_read_channel(me, channel) or stored.info["user_id"] == me)
        return stored

    async def file_info(self, request: web.Request) -> web.Response:
        me = require_user(request)
        return json_response(self._readable_file(me, request.match_info["file_id"]).info)

    async def get_file(self, request: web.Request) -> web.Response:
        me = require_user(request)
        stored = self._readable_file(me, request.match_info["file_id"])
        headers = {
            "Content-Type": stored.info["mime_type"],
            "Content-Disposition": f'attachment;filename="{stored.info["name"]}"',
            "X-Content-Type-Options": "nosniff",
        }
        return web.Response(body=stored.data, headers=headers)
