"""What a handler returns. Rendered to Mattermost JSON by `bot.mattermost.render`, to a terminal by the console."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# "date" and "datetime" are pickers on Mattermost 11.1+, a text field elsewhere (defaults written dd/mm/yyyy
# and "dd/mm/yyyy hh:mm"; on 11.1+ the submission is ISO 8601, which the parsers accept too).
ElementType = Literal["text", "textarea", "select", "bool", "radio", "date", "datetime"]


@dataclass
class Button:
    """A button; `action` names a handler registered with `Command.action`, `data` travels signed."""

    label: str
    action: str
    data: dict[str, Any] = field(default_factory=dict)
    style: str = "default"
    command: str | None = None  # defaults to the command that produced the reply
    # Signed for every member of the channel (a button on a channel post: "Lu ✅", "Je m'en occupe"); the
    # handler then decides what the clicker may do. Otherwise only the user the reply was shown to may press it.
    anyone: bool = False


@dataclass
class Field:
    title: str
    value: str
    short: bool = True


@dataclass
class Card:
    """A message attachment: compact card with optional fields and buttons."""

    title: str = ""
    text: str = ""
    fields: list[Field] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    color: str | None = None
    title_link: str | None = None
    footer: str | None = None


@dataclass
class Option:
    value: str
    label: str


@dataclass
class DialogElement:
    name: str
    label: str
    type: ElementType = "text"
    subtype: str | None = None  # text, number, email, tel, url
    default: str | None = None
    placeholder: str | None = None
    help: str | None = None
    optional: bool = False
    options: list[Option] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    # A select of several choices on Mattermost 11.0+ (submitted comma-separated). Elsewhere `several_fallback`:
    # "text", the same values typed separated by commas; "select", one choice from the list.
    multiselect: bool = False
    several_fallback: Literal["text", "select"] = "text"

    @property
    def plain_type(self) -> ElementType:
        """The type as a server without pickers or multi-select shows it (older Mattermost, the console)."""
        if self.multiselect:
            return self.several_fallback
        return "text" if self.type in ("date", "datetime") else self.type


@dataclass
class Dialog:
    """An interactive dialog; on submit the handler registered with `Command.dialog(callback)` is called."""

    callback: str
    title: str
    elements: list[DialogElement]
    submit_label: str = "Valider"
    introduction: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    notify_on_cancel: bool = False
    command: str | None = None


@dataclass
class FileUpload:
    filename: str
    content: bytes
    mime: str = "application/octet-stream"


@dataclass
class Reply:
    text: str = ""
    in_channel: bool = False
    cards: list[Card] = field(default_factory=list)
    dialog: Dialog | None = None
    files: list[FileUpload] = field(default_factory=list)
    # Dialog submissions: per-field errors keep the dialog open; `error` is a general one.
    errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    # Button clicks: replace the clicked post with this reply instead of answering privately.
    update: bool = False
    # Where to post when `in_channel` (channel id); defaults to the invoking channel.
    channel_id: str | None = None
    root_id: str | None = None
    props: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def private(cls, text: str, **kw: Any) -> Reply:
        return cls(text=text, **kw)

    @classmethod
    def public(cls, text: str, **kw: Any) -> Reply:
        return cls(text=text, in_channel=True, **kw)

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.cards or self.dialog or self.files or self.errors or self.error)
