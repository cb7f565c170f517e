"""Failures a person can fix, carried as exceptions with their French message.

`UserError` ends a `relais` command with its message and exit code 1 (no traceback). `UserFacingError` is what
a feature raises when a counsellor should read why nothing was done: the registry turns it into a reply in one
place (`bot.core.registry`), with its `field` shown beside that field when the reply is a dialog's.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure the user can fix; printed as is (French), exit code 1."""


class UserFacingError(Exception):
    """A French message for the counsellor; `field` names the dialog field it is about, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
