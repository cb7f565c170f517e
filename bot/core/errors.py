"""Failures a person can fix, carried as exceptions with their French message.

`UserError` ends a `relais` command with its message and exit code 1 (no traceback). `UserFacingError` is what
a feature raises when a counsellor should read why nothing was done: the registry turns it into a reply in one
place (`bot.core.registry`), with its `field` shown beside that field when the reply is a dialog's.
`InvalidFields` is the same for a dialog with several wrong fields at once: every message beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping


class UserError(Exception):
    """An expected failure the user can fix; printed as is (French), exit code 1."""


class UserFacingError(Exception):
    """A French message for the counsellor; `field` names the dialog field it is about, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, str]:
        """Dialog field → message shown beside it."""
        return {self.field: self.message} if self.field else {}

    @property
    def general(self) -> str | None:
        """The dialog's error that belongs to no field."""
        return None if self.field else self.message


class InvalidFields(UserFacingError):
    """Several dialog fields wrong at once: each message beside its field, so the person fixes them in one go;
    `general` (optional) is said above the form. Outside a dialog, `message` says them all."""

    def __init__(self, errors: Mapping[str, str], *, general: str | None = None, message: str | None = None) -> None:
        if not errors and not general:
            raise ValueError("InvalidFields needs at least one message")
        super().__init__(message or " ".join([*errors.values(), *([general] if general else [])]))
        self._errors = dict(errors)
        self._general = general

    @property
    def errors(self) -> dict[str, str]:
        return self._errors

    @property
    def general(self) -> str | None:
        return self._general
