"""Identifiers, tokens and the server clock, shaped like Mattermost's so bot code sees realistic values."""

from __future__ import annotations

import base64
import os
import threading
import time

# Mattermost's NewId(): 16 random bytes, base32 with this alphabet, no padding -> 26 lowercase chars.
_ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"
_TRANSLATE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET)


def new_id() -> str:
    """A 26-char lowercase alphanumeric id, the format of every Mattermost id and token."""
    return base64.b32encode(os.urandom(16)).decode().rstrip("=").translate(_TRANSLATE)


def is_valid_id(value: object) -> bool:
    """Mirror of model.IsValidId: exactly 26 lowercase alphanumerics."""
    return isinstance(value, str) and len(value) == 26 and value.isalnum() and value == value.lower()


class Clock:
    """Millisecond clock that never repeats a value and can be moved forward.

    Strictly increasing stamps keep `since` queries deterministic; `advance()` lets tests expire
    trigger ids (30 s) and response_url hooks (30 min) without sleeping.
    """

    def __init__(self) -> None:
        self.offset_ms = 0
        self._last = 0
        self._lock = threading.Lock()

    def peek_ms(self) -> int:
        """Current time without consuming a stamp (for expiry checks)."""
        return int(time.time() * 1000) + self.offset_ms

    def now_ms(self) -> int:
        """A fresh, strictly increasing timestamp (for create_at/update_at)."""
        with self._lock:
            stamp = max(self.peek_ms(), self._last + 1)
            self._last = stamp
            return stamp

    def advance(self, seconds: float) -> None:
        """Jump the clock forward, as if `seconds` had passed."""
        self.offset_ms += int(seconds * 1000)
