"""The known deviations of the real Mattermost server from its OpenAPI spec, as spec patches.

This is the single mapping the OpenAPI validator applies: each entry rewrites the loaded spec (in
memory, never the file) so that it describes what the server really does. The same keys are
documented, with their sources, in DEVIATIONS.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]


@dataclass(frozen=True)
class Deviation:
    key: str
    summary: str
    patch: Callable[[Spec], None]


def _alias_status(path: str, method: str, real: int, documented: int) -> Callable[[Spec], None]:
    """The server answers `real` where the spec documents `documented` (same body)."""

    def patch(spec: Spec) -> None:
        responses = spec["paths"][path][method]["responses"]
        responses[str(real)] = copy.deepcopy(responses[str(documented)])

    return patch


def _request_property(path: str, method: str, prop: str, schema: dict[str, Any]) -> Callable[[Spec], None]:
    """A request-body property has another type on the wire than in the spec."""

    def patch(spec: Spec) -> None:
        body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        body["properties"][prop] = schema

    return patch


def _no_session(*operations: tuple[str, str]) -> Callable[[Spec], None]:
    """Operations the server registers without a required session, despite the spec's global bearerAuth."""

    def patch(spec: Spec) -> None:
        for path, method in operations:
            spec["paths"][path][method]["security"] = [{}, {"bearerAuth": []}]

    return patch


def _nullable(schema: str, *props: str) -> Callable[[Spec], None]:
    """Go `*string`/`*bool` fields without omitempty: the server sends null when unset."""

    def patch(spec: Spec) -> None:
        for prop in props:
            spec["components"]["schemas"][schema]["properties"][prop]["nullable"] = True

    return patch


def _default_app_error(spec: Spec) -> None:
    """Every handler can fail with statuses its operation does not list (404 for a missing post, 401 on any
    route...); the body is always an AppError, so that is what an unlisted status must carry."""
    default = {
        "description": "Any other error (model.AppError).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AppError"}}},
    }
    for item in spec["paths"].values():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete", "patch") and "default" not in operation["responses"]:
                operation["responses"]["default"] = copy.deepcopy(default)


def _replace_schemas(**schemas: dict[str, Any]) -> Callable[[Spec], None]:
    """Component schemas whose wire form differs from the spec's."""

    def patch(spec: Spec) -> None:
        spec["components"]["schemas"].update(copy.deepcopy(schemas))

    return patch


def _strings(*names: str) -> dict[str, Any]:
    return {name: {"type": "string"} for name in names}


# model/command_response.go: the JSON keys are snake_case.
_COMMAND_RESPONSE = {
    "type": "object",
    "properties": {
        **_strings(
            "response_type", "text", "username", "channel_id", "icon_url", "type", "goto_location", "trigger_id"
        ),
        "props": {"type": "object", "nullable": True},  # null when unset (Mattermost 10.7 on /commands/execute)
        "skip_slack_parsing": {"type": "boolean"},
        "attachments": {"type": "array", "nullable": True, "items": {"$ref": "#/components/schemas/MessageAttachment"}},
        "extra_responses": {"type": "array", "nullable": True, "items": {"type": "object"}},
    },
}

# model/message_attachment.go (ex slack_attachment.go): snake_case keys, field values are strings once stored.
_MESSAGE_ATTACHMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},  # Go int64: Mattermost 10.7 sends "id": 0
        **_strings(
            "fallback",
            "color",
            "pretext",
            "author_name",
            "author_link",
            "author_icon",
            "title",
            "title_link",
            "text",
            "image_url",
            "thumb_url",
            "footer",
            "footer_icon",
        ),
        "fields": {"type": "array", "items": {"$ref": "#/components/schemas/MessageAttachmentField"}},
        "actions": {"type": "array", "items": {"type": "object"}},
        "ts": {},
    },
}

_MESSAGE_ATTACHMENT_FIELD = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "value": {}, "short": {"type": "boolean"}},
}

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        "unlisted-error-statuses",
        "Operations answer error statuses the spec does not list (e.g. 404 on GET /posts/{id}); the body is an "
        "AppError.",
        _default_app_error,
    ),
    Deviation(
        "anonymous-endpoints",
        "GET /system/ping and POST /actions/dialogs/open need no session (APIHandler; the trigger_id is the "
        "credential), although the spec's global security requires a bearer token.",
        _no_session(("/api/v4/system/ping", "get"), ("/api/v4/actions/dialogs/open", "post")),
    ),
    Deviation(
        "reaction-save-200",
        "POST /api/v4/reactions answers 200, not the documented 201 (saveReaction never calls WriteHeader).",
        _alias_status("/api/v4/reactions", "post", real=200, documented=201),
    ),
    Deviation(
        "team-policy-id-null",
        "Team.policy_id is a Go *string without omitempty: null for teams without a retention policy.",
        _nullable("Team", "policy_id"),
    ),
    Deviation(
        "ephemeral-file-ids-null",
        "Post.file_ids (a Go slice without omitempty) is null on ephemeral posts, never stored (Mattermost 10.7).",
        _nullable("Post", "file_ids"),
    ),
    Deviation(
        "patch-props-object",
        "PUT /api/v4/posts/{post_id}/patch: `props` is a JSON object (model.PostPatch), not a string.",
        _request_property("/api/v4/posts/{post_id}/patch", "put", "props", {"type": "object"}),
    ),
    Deviation(
        "command-response-snake-case",
        "CommandResponse uses snake_case keys on the wire (response_type, text, ...), not Go field names.",
        _replace_schemas(CommandResponse=_COMMAND_RESPONSE),
    ),
    Deviation(
        "message-attachment-snake-case",
        "MessageAttachment / MessageAttachmentField use snake_case keys on the wire, not Go field names.",
        _replace_schemas(MessageAttachment=_MESSAGE_ATTACHMENT, MessageAttachmentField=_MESSAGE_ATTACHMENT_FIELD),
    ),
)


def apply_deviations(spec: Spec) -> Spec:
    """Patch a loaded spec dict in place with every known deviation; returns it for chaining."""
    for deviation in DEVIATIONS:
        deviation.patch(spec)
    return spec
