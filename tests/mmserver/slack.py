"""Slack-compatibility rewriting the server applies to integration replies (model/slack_*.go, app/slack*.go)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

_LINK_WITH_TEXT = re.compile(r"<([^\n<|>]+)\|([^\n>]+)>")
_SPECIAL = {"<!channel>": "@channel", "<!here>": "@here", "<!everyone>": "@all", "<!all>": "@all"}
_USER_REF = re.compile(r"<@([a-z0-9]{26})(?:\|[^>]*)?>")


def parse_links(text: str) -> str:
    """ParseSlackLinksToMarkdown: `<url|label>` becomes `[label](url)`."""
    return _LINK_WITH_TEXT.sub(r"[\2](\1)", text)


def process_text(text: str, username_of: Callable[[str], str | None]) -> str:
    """ProcessSlackText: `<!channel>` style mentions and `<@userid>` references become Mattermost mentions."""
    for slack, mm in _SPECIAL.items():
        text = text.replace(slack, mm)

    def user(match: re.Match[str]) -> str:
        name = username_of(match.group(1))
        return f"@{name}" if name else match.group(0)

    return _USER_REF.sub(user, text)


def go_str(value: Any) -> str:
    """fmt.Sprintf("%v", v) for JSON values, as StringifySlackFieldValue does to field values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return "map[...]" if isinstance(value, dict) else "[...]"
    return str(value)


def stringify_fields(attachments: Any) -> Any:
    """Drop null attachments/fields and turn field values into strings (done when a reply is decoded)."""
    if not isinstance(attachments, list):
        return attachments
    out: list[dict[str, Any]] = []
    for attachment in attachments:
        if not isinstance(attachment, dict):
            continue
        attachment = copy.deepcopy(attachment)
        fields = attachment.get("fields")
        if isinstance(fields, list):
            attachment["fields"] = [
                {**f, "value": go_str(f["value"])} if f.get("value") is not None else f
                for f in fields
                if isinstance(f, dict)
            ]
        out.append(attachment)
    return out


def process_attachments(attachments: list[dict[str, Any]], username_of: Callable[[str], str | None]) -> list[Any]:
    """ProcessSlackAttachments + ParseSlackAttachment: rewrite text, pretext and string field values."""
    out = []
    for attachment in attachments:
        attachment = copy.deepcopy(attachment)
        for key in ("text", "pretext"):
            if isinstance(attachment.get(key), str):
                attachment[key] = parse_links(process_text(attachment[key], username_of))
        for fld in attachment.get("fields") or []:
            if isinstance(fld, dict) and isinstance(fld.get("value"), str):
                fld["value"] = parse_links(process_text(fld["value"], username_of))
        out.append(attachment)
    return out
