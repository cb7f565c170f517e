"""A console session driven by a script of answers, for tests of what the terminal front end does."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from bot.console.platform import MemoryPlatform
from bot.console.render import Renderer
from bot.console.session import ConsoleSession
from bot.core.context import App


def scripted_session(app: App, platform: MemoryPlatform, files_dir: Path, channel: str,
                     ) -> tuple[ConsoleSession, list[str], io.StringIO]:
    """The session, the list of answers it reads one by one (EOF when empty), and its plain-text output."""
    out = io.StringIO()
    renderer = Renderer(Console(file=out, color_system=None, force_terminal=False), plain=True)
    answers: list[str] = []

    def read(_prompt: str) -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    return ConsoleSession(app, platform, renderer, read, channel=channel, files_dir=files_dir), answers, out
