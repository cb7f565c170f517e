"""Validate logged HTTP exchanges against the official OpenAPI bot subset (with `deviations.py` applied).

The spec is CC BY-NC-SA test data kept outside the repository: it is read from
`<repo>/../shared/mattermost-openapi/`, where CI clones it beside the project.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

from .deviations import apply_deviations
from .middleware import LoggedRequest

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PARTS = ("mattermost-openapi", "mattermost-openapi-v4.bot-subset.yaml")
# The spec's only server is `{your-mattermost-url}` with this default; paths are matched under it.
SPEC_HOST = "http://localhost:8065"


@lru_cache(maxsize=1)
def _raw_spec() -> dict[str, Any]:
    from tests.conftest import require_shared  # skips the calling test when the spec is absent

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with require_shared(*SPEC_PARTS).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - safe loader


@lru_cache(maxsize=2)
def openapi(with_deviations: bool = True) -> OpenAPI:
    """The parsed spec, patched with the documented deviations unless asked otherwise.

    The patched spec is re-validated (our patches must keep it a valid OpenAPI 3.0 document); the
    raw subset is known valid (shared/mattermost-openapi/README.md), so its check is skipped.
    """
    spec = copy.deepcopy(_raw_spec())
    if with_deviations:
        apply_deviations(spec)
        return OpenAPI.from_dict(spec)
    return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))


@dataclass
class Validation:
    """Result for one exchange: `in_spec` False when the spec does not describe that path/method."""

    entry: LoggedRequest
    in_spec: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        head = f"{self.entry.method} {self.entry.path} -> {self.entry.status}"
        return head if self.ok else head + "\n  " + "\n  ".join(self.errors)


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower() or "application/json"


def _describe(exc: Exception) -> str:
    causes = [f"{type(exc).__name__}: {exc}"]
    for inner in getattr(exc, "schema_errors", None) or []:
        causes.append(f"    {getattr(inner, 'message', inner)} at {list(getattr(inner, 'path', []))}")
    cause = exc.__cause__
    while cause is not None:
        causes.append(f"  caused by {type(cause).__name__}: {cause}")
        for inner in getattr(cause, "schema_errors", None) or []:
            causes.append(f"    {getattr(inner, 'message', inner)} at {list(getattr(inner, 'path', []))}")
        cause = cause.__cause__
    return "\n".join(causes)


def validate_exchange(entry: LoggedRequest, api: OpenAPI | None = None) -> Validation:
    """Check the request and the response of one logged exchange."""
    api = api or openapi()
    request = MockRequest(
        SPEC_HOST,
        entry.method,
        entry.path,
        args=entry.query,
        headers=entry.request_headers,
        data=entry.request_body or None,
        content_type=_media(entry.request_headers.get("Content-Type", "")),
    )
    response = MockResponse(
        entry.response_body or b"",
        status_code=entry.status,
        headers={"Content-Type": entry.response_content_type},
        content_type=_media(entry.response_content_type),
    )
    result = Validation(entry)
    try:
        api.validate_request(request)
    except (PathNotFound, OperationNotFound):
        result.in_spec = False
        return result
    except Exception as exc:  # openapi-core raises a family of validation errors
        if entry.status < 400:  # requests the server rejected may legitimately be invalid
            result.errors.append("request: " + _describe(exc))
    try:
        api.validate_response(request, response)
    except Exception as exc:
        result.errors.append("response: " + _describe(exc))
    return result


def validate_log(entries: list[LoggedRequest], api: OpenAPI | None = None) -> list[Validation]:
    return [validate_exchange(e, api) for e in entries]
