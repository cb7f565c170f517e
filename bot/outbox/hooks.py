"""Outcome hooks: a feature learns when one of its messages was delivered or permanently failed.

Each feature declares its hooks by key prefix in `bot.features` (`outbox_hooks={"annonce:": ...}`), installed when
Relais is assembled (`bot.app`); `on_outcome` adds one by hand (tests). Hooks run at least once per outcome (they
are retried if the process dies mid-hook), so make them idempotent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.context import App
    from bot.outbox.queue import Delivery

OutcomeHook = Callable[["App", "Delivery"], Awaitable[None]]

_HOOKS: dict[str, OutcomeHook] = {}


def on_outcome(prefix: str) -> Callable[[OutcomeHook], OutcomeHook]:
    """Decorator: call `fn(app, delivery)` once a message whose key starts with `prefix` is sent or failed."""

    def deco(fn: OutcomeHook) -> OutcomeHook:
        _HOOKS[prefix] = fn
        return fn

    return deco


def install(hooks: Mapping[str, OutcomeHook]) -> None:
    """The features' hooks, installed where Relais is assembled (`bot.app`)."""
    _HOOKS.update(hooks)


def hook_for(key: str) -> OutcomeHook | None:
    best = max((p for p in _HOOKS if key.startswith(p)), key=len, default=None)
    return _HOOKS[best] if best is not None else None


def remove_hook(prefix: str) -> None:
    _HOOKS.pop(prefix, None)
