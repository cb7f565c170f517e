"""`Reply` → Mattermost JSON: command responses, button-click answers, dialog answers, attachments.

Pure functions (no I/O) so the HTTP endpoints and the REST client render the same way and the
limits of the real server (16383 runes per post, 1 MiB per integration response) hold everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core import compact_json
from bot.core.replies import Button, Card, Dialog, DialogElement, Option, Reply
from bot.core.signing import ANYONE, sign
from bot.mattermost import limits

POST_MAX_RUNES = 16383
RESPONSE_MAX_BYTES = 1024 * 1024
ACTIONS_PATH = "/mattermost/actions"
DIALOGS_PATH = "/mattermost/dialogs"
COMMANDS_PATH = "/mattermost/commands"
CONTEXT_KEY = "relais"  # key of the signed token inside an action's integration.context
TRUNCATED = "\n\n_(message tronqué : trop long pour Mattermost)_"


class Signer:
    """What rendering needs to build interactive payloads: where Mattermost calls back, and the secret."""

    def __init__(self, public_url: str, secret: str) -> None:
        self.public_url = public_url.rstrip("/")
        self.secret = secret
        self.actions_url = self.public_url + ACTIONS_PATH  # in every button of every reply: built once
        self.dialogs_url = self.public_url + DIALOGS_PATH

    def button_context(self, button: Button, command: str, *, viewer: str, channel_id: str) -> dict[str, str]:
        """Signed for `viewer` (the one user who sees the reply; "" on a channel post, where only buttons marked
        `anyone` can be pressed) in `channel_id`."""
        payload = {"command": button.command or command, "action": button.action, "data": button.data}
        user = ANYONE if button.anyone else viewer
        return {CONTEXT_KEY: sign(payload, self.secret, user_id=user, channel_id=channel_id)}

    def dialog_state(self, dialog: Dialog, command: str, *, viewer: str, channel_id: str) -> str:
        return sign({"command": dialog.command or command, "callback": dialog.callback, "state": dialog.state},
                    self.secret, user_id=viewer, channel_id=channel_id)


# -- text ------------------------------------------------------------------------------------------
def split_message(text: str, limit: int = POST_MAX_RUNES) -> list[str]:
    """Cut a long Markdown text into posts, preferring paragraph then line boundaries (never lose text)."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest:
        chunks.append(rest)
    return chunks


def cards_markdown(cards: list[Card]) -> str:
    """Cards as plain Markdown, for places that cannot carry attachments (ephemeral_text)."""
    parts = []
    for card in cards:
        lines = []
        if card.title:
            lines.append(f"**[{card.title}]({card.title_link})**" if card.title_link else f"**{card.title}**")
        if card.text:
            lines.append(card.text)
        lines += [f"- {f.title} : {f.value}" for f in card.fields]
        if card.footer:
            lines.append(f"_{card.footer}_")
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p)


def _text_with_cards_fallback(reply: Reply) -> str:
    extra = cards_markdown(reply.cards)
    return f"{reply.text}\n\n{extra}".strip() if extra else reply.text


# -- attachments -----------------------------------------------------------------------------------
def attachment(card: Card, *, signer: Signer | None, command: str, index: int = 0, viewer: str = "",
               channel_id: str = "") -> dict[str, Any]:
    att: dict[str, Any] = {"fallback": card.title or card.text[:200] or "Relais"}
    if card.color:
        att["color"] = card.color
    if card.title:
        att["title"] = card.title
    if card.title_link:
        att["title_link"] = card.title_link
    if card.text:
        att["text"] = card.text
    if card.fields:
        att["fields"] = [{"title": f.title, "value": f.value, "short": f.short} for f in card.fields]
    if card.footer:
        att["footer"] = card.footer
    if card.buttons and signer is not None:
        att["actions"] = [
            {
                "id": f"relais{index}x{i}",
                "type": "button",
                "name": b.label,
                "style": b.style,
                "integration": {"url": signer.actions_url,
                                "context": signer.button_context(b, command, viewer=viewer, channel_id=channel_id)},
            }
            for i, b in enumerate(card.buttons)
        ]
    return att


def attachments(cards: list[Card], *, signer: Signer | None, command: str, viewer: str = "",
                channel_id: str = "") -> list[dict[str, Any]]:
    """Cards with their buttons signed for `viewer` in `channel_id` (see `Signer.button_context`)."""
    return [attachment(c, signer=signer, command=command, index=i, viewer=viewer, channel_id=channel_id)
            for i, c in enumerate(cards)]


def cap_post(text: str) -> str:
    """One post's text: what exceeds the post limit is cut (at a paragraph or line when one is near) and said so."""
    if len(text) <= POST_MAX_RUNES:
        return text
    return split_message(text)[0][: POST_MAX_RUNES - len(TRUNCATED)] + TRUNCATED


# -- slash command responses ---------------------------------------------------------------------
def command_body(reply: Reply, *, signer: Signer | None, command: str, viewer: str = "",
                 channel_id: str = "") -> dict[str, Any]:
    """A `CommandResponse` before the size cap (`fit_encoded` applies it while encoding, once); long texts
    continue in `extra_responses`, cards go on the last post."""
    response_type = "in_channel" if reply.in_channel else "ephemeral"
    chunks = split_message(reply.text) if reply.text else [""]
    posts: list[dict[str, Any]] = [{"response_type": response_type, "text": c} for c in chunks]
    if reply.cards:
        posts[-1]["attachments"] = attachments(reply.cards, signer=signer, command=command,
                                               viewer="" if reply.in_channel else viewer,
                                               channel_id=reply.channel_id or channel_id)
    if reply.props:
        posts[0]["props"] = dict(reply.props)
    if reply.in_channel and reply.channel_id:
        for p in posts:
            p["channel_id"] = reply.channel_id
    body = posts[0]
    if len(posts) > 1:
        body["extra_responses"] = posts[1:]
    return body


def fit_encoded(body: dict[str, Any]) -> bytes:
    """The response as sent, under the server's 1 MiB cap (it would otherwise be rejected whole): one encoding
    in the usual case (the cap check is the encoding). The one place every integration response is capped."""
    raw = encode(body)
    return raw if len(raw) <= RESPONSE_MAX_BYTES else encode(_shrink(body))


def _shrink(body: dict[str, Any]) -> dict[str, Any]:
    """Drop the continuation posts, then trailing cards, then halve the text, until the response fits; a button
    click's `update` (the replaced post) is cut the same way."""
    body = dict(body)
    body.pop("extra_responses", None)
    if isinstance(body.get("update"), dict):
        post = body["update"] = dict(body["update"])
        holder = post["props"] = dict(post.get("props") or {})
        text_key = "message"
    else:
        post = holder = body
        text_key = "text"
    text = post.get(text_key, "")
    while len(encode(body)) > RESPONSE_MAX_BYTES and holder.get("attachments"):
        holder["attachments"] = holder["attachments"][:-1]
    while len(encode(body)) > RESPONSE_MAX_BYTES and text:
        text = text[: len(text) // 2]
        post[text_key] = text + TRUNCATED
    return body


def encode(body: dict[str, Any]) -> bytes:
    return compact_json.dumps(body)


# -- button clicks ---------------------------------------------------------------------------------
def action_response(reply: Reply, *, signer: Signer | None, command: str, viewer: str = "",
                    channel_id: str = "", kept: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`PostActionIntegrationResponse`: replace the clicked post (`update`) or answer the clicker privately.
    `kept`: the clicked post's props, sent back (an `update` replaces them all). Capped to 1 MiB when encoded
    (`fit_encoded`)."""
    if reply.update:
        props: dict[str, Any] = {**(kept or {}), **reply.props}
        props["attachments"] = attachments(reply.cards, signer=signer, command=command, viewer=viewer,
                                           channel_id=channel_id)
        return {"update": {"message": cap_post(reply.text), "props": props}}
    text = _text_with_cards_fallback(reply)
    return {"ephemeral_text": cap_post(text)} if text else {}


# -- dialogs ---------------------------------------------------------------------------------------
def dialog_response(reply: Reply) -> dict[str, Any]:
    """Field errors keep the dialog open; a general `error` too; anything else (`{}`) closes it. A field shows
    its error in 150 characters: what does not fit moves to the general error, never lost."""
    if reply.errors:
        fields: dict[str, str] = {}
        general = [reply.error] if reply.error else []
        for name, message in reply.errors.items():
            fields[name], rest = field_error(message)
            general += [r for r in rest if r not in general]
        return {"errors": fields, "error": " ".join(general)} if general else {"errors": fields}
    if reply.error:
        return {"error": reply.error}
    return {}


def field_error(message: str, limit: int = limits.FIELD_ERROR) -> tuple[str, list[str]]:
    """(what the field shows, the sentences left for the general error). The "Label : " prefix goes (the error
    sits under its label); then whole sentences in order, advice first when all cannot fit."""
    label, sep, rest = message.partition(" : ")
    if sep and len(label) <= limits.ELEMENT_DISPLAY_NAME * 2 and rest:
        message = rest[:1].upper() + rest[1:]
    if len(message) <= limit:
        return message, []
    sentences = _sentences(message)
    kept = [sentences[0]]
    advice = [s for s in sentences[1:] if any(w in s for w in ADVICE_WORDS)]
    for sentence in advice:
        if len(" ".join([*kept, sentence])) <= limit:
            kept.append(sentence)
    shown = " ".join(kept)
    if len(shown) > limit:
        shown = shown[: limit - 1].rsplit(" ", 1)[0] + "…"
    return shown, [s for s in sentences if s not in kept]


ADVICE_WORDS = ("plutôt", "par exemple", "Écrivez", "Tapez", "Choisissez", "Indiquez")


def _sentences(text: str) -> list[str]:
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".!?" and (i + 1 == len(text) or text[i + 1] == " ") and not text[max(0, i - 3):i].endswith(" n°"):
            parts.append(text[start:i + 1].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def features(version: tuple[int, int]) -> frozenset[str]:
    """What the server's dialogs can show: multi-select from Mattermost 11.0, date and datetime pickers from 11.1."""
    out = set()
    if version >= (11, 0):
        out.add("multiselect")
    if version >= (11, 1):
        out.add("date")
    return frozenset(out)


def _iso_default(value: str, kind: str) -> str:
    """"02/12/2026" (or "02/12/2026 09:30") as the picker's ISO default; anything else is left as is."""
    from datetime import datetime

    for fmt, out in (("%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:00"), ("%d/%m/%Y", "%Y-%m-%d")):
        try:
            parsed = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%d" if kind == "date" else out)
    return value


def _option_values(text: str, options: list[Option]) -> str:
    """A typed "E-mail, Bureautique" as the multi-select's values ("email,bureautique"); unknown words dropped."""
    by_text = {o.label.casefold(): o.value for o in options} | {o.value.casefold(): o.value for o in options}
    return ",".join(v for part in text.split(",") if (v := by_text.get(part.strip().casefold())))


def _element(el: DialogElement, can: frozenset[str] = frozenset()) -> dict[str, Any]:
    # Every label and title is worded to fit (tests/test_dialog_limits.py); `fit` is only the safety net.
    picker = el.type in ("date", "datetime") and "date" in can
    multi = el.multiselect and "multiselect" in can
    kind = el.type if picker or multi else el.plain_type
    out: dict[str, Any] = {"display_name": limits.fit(el.label, limits.ELEMENT_DISPLAY_NAME), "name": el.name,
                           "type": kind}
    if el.subtype and kind in ("text", "textarea"):
        out["subtype"] = el.subtype
    if el.default is not None:
        out["default"] = _iso_default(el.default, el.type) if picker else \
            _option_values(el.default, el.options) if multi else \
            el.default.split(",")[0].strip() if el.multiselect and kind == "select" else el.default
    if el.placeholder:
        out["placeholder"] = el.placeholder
    if el.help:
        out["help_text"] = limits.fit(el.help, limits.ELEMENT_HELP_TEXT)
    if el.optional:
        out["optional"] = True
    if el.options and kind in ("select", "radio"):
        out["options"] = [{"text": o.label, "value": o.value} for o in el.options]
    if multi:
        out["multiselect"] = True
    if el.min_length is not None:
        out["min_length"] = el.min_length
    if el.max_length is not None:
        out["max_length"] = el.max_length
    return out


def dialog(d: Dialog, *, signer: Signer, command: str, viewer: str, channel_id: str,
           can: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The `dialog` object of `/actions/dialogs/open`; `state` is signed, `callback_id` is `command:callback`."""
    cmd = d.command or command
    out: dict[str, Any] = {
        "callback_id": f"{cmd}:{d.callback}",
        "title": limits.fit(d.title, limits.DIALOG_TITLE),
        "elements": [_element(e, can) for e in d.elements],
        "submit_label": d.submit_label,
        "notify_on_cancel": d.notify_on_cancel,
        "state": signer.dialog_state(d, command, viewer=viewer, channel_id=channel_id),
    }
    if d.introduction:
        out["introduction_text"] = d.introduction
    return out
