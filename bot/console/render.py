"""Draw replies in a terminal: rich text on a terminal, plain text (no ANSI) when scripted.

Mattermost turns every newline into a line break; CommonMark joins lines instead, so the rich
renderer adds hard breaks first, or a handler's two-line answer would print as one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.emoji import Emoji
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.core.replies import Button, Card, FileUpload

BUTTON_STYLES = {"primary": "bold cyan", "success": "bold green", "good": "bold green", "danger": "bold red",
                 "warning": "bold yellow"}
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class Choice:
    """A button shown under a message, picked by typing its number."""

    number: int
    button: Button
    post_id: str
    command: str


def hard_breaks(text: str) -> str:
    """Keep Mattermost's line breaks: end each non-blank line outside code fences with two spaces."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(line)
        elif in_fence or not line.strip() or line.endswith("  "):
            out.append(line)
        else:
            out.append(line + "  ")
    return "\n".join(out)


def _button_line(choices: list[Choice], plain: bool) -> str | Text:
    if plain:
        return "   ".join(f"[{c.number}] {c.button.label}" for c in choices)
    line = Text()
    for i, c in enumerate(choices):
        if i:
            line.append("   ")
        line.append(f"[{c.number}] ", style="bold")
        line.append(c.button.label, style=BUTTON_STYLES.get(c.button.style, "bold"))
    return line


class Renderer:
    """Prints messages, notices and questions; `plain` is the scripted mode (stdin is not a terminal)."""

    def __init__(self, console: Console, *, plain: bool) -> None:
        self.console = console
        self.plain = plain

    # -- low level ------------------------------------------------------------------------------
    def _print(self, renderable: RenderableType | str) -> None:
        if self.plain:
            self.console.file.write(f"{renderable}\n")
            self.console.file.flush()
        else:
            self.console.print(renderable)

    def markdown(self, text: str) -> RenderableType:
        return Markdown(Emoji.replace(hard_breaks(text)), hyperlinks=False)

    def notice(self, text: str, *, style: str = "dim") -> None:
        """A line from the console itself (not from Relais): hints, paths of saved files."""
        self._print(text if self.plain else Text(text, style=style))

    def error(self, text: str) -> None:
        self._print(f"! {text}" if self.plain else Text(f"⚠ {text}", style="bold red"))

    def echo(self, line: str) -> None:
        """Scripted mode repeats each command so a transcript reads like a conversation."""
        if self.plain:
            self._print(f"> {line}")

    def blank(self) -> None:
        self._print("")

    # -- messages -------------------------------------------------------------------------------
    def card(self, card: Card, choices: list[Choice]) -> RenderableType | str:
        if choices and not (card.title or card.text or card.fields or card.footer):
            return _button_line(choices, self.plain)  # a row of buttons ("Voir plus") needs no frame
        if self.plain:
            lines: list[str] = []
            if card.title:
                lines.append(f"== {card.title} ==" + (f" ({card.title_link})" if card.title_link else ""))
            if card.text:
                lines.append(card.text)
            lines += [f"{f.title} : {f.value}" for f in card.fields]
            if card.footer:
                lines.append(f"({card.footer})")
            if choices:
                lines.append(str(_button_line(choices, True)))
            return "\n".join(lines)
        parts: list[RenderableType] = []
        if card.text:
            parts.append(self.markdown(card.text))
        if card.fields:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for f in card.fields:
                grid.add_row(f.title, self.markdown(f.value))
            parts.append(grid)
        if card.footer:
            parts.append(Text(card.footer, style="dim"))
        if choices:
            parts.append(_button_line(choices, False))
        title = card.title + (f" ({card.title_link})" if card.title_link else "")
        border = card.color if card.color and _HEX.match(card.color) else "blue"
        return Panel(Group(*parts), title=Text(title, style="bold") if title else None, title_align="left",
                     border_style=border, expand=True)

    def message(
        self, text: str, cards: list[Card], *, header: str = "", post_id: str = "", command: str = "",
        first_number: int = 1,
    ) -> list[Choice]:
        """Print one message (text, then cards); returns its buttons, numbered from `first_number`."""
        choices: list[Choice] = []
        per_card: list[list[Choice]] = []
        for card in cards:
            mine = []
            for button in card.buttons:
                choice = Choice(first_number + len(choices), button, post_id, button.command or command)
                choices.append(choice)
                mine.append(choice)
            per_card.append(mine)
        if header:
            self._print(f"--- {header} ---" if self.plain else Text(header, style="bold magenta"))
        if text:
            self._print(text if self.plain else self.markdown(text))
        for card, mine in zip(cards, per_card, strict=True):
            self._print(self.card(card, mine))
        if choices:
            self.notice("Tapez le numéro d’un bouton pour cliquer dessus.")
        return choices

    def saved_file(self, upload: FileUpload, path: Path) -> None:
        """The name said is the name on disk: a second export gets "-2" and the message says so."""
        kept = "" if path.name == upload.filename else (
            f" (un fichier « {upload.filename} » existait déjà, il est gardé)")
        self.notice(f"Fichier « {path.name} » enregistré : {path}{kept}", style="green")

    def field_errors(self, errors: dict[str, str], labels: dict[str, str]) -> None:
        for name, message in errors.items():
            self.error(f"{labels.get(name, name)} : {message}")
