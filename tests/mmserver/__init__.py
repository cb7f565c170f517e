"""A faithful, Mattermost-compatible test server for end-to-end tests of the bot.

Implements the public contract in `shared/docs/mattermost-contract.md`; deviations of the real
server from its OpenAPI spec are listed once, in `DEVIATIONS.md` (and applied by `deviations.py`).
"""

from .errors import AppError
from .middleware import FaultRule, LoggedRequest
from .player import ActionResult, CommandResult, DialogResult, RawReply
from .server import MMServer
from .state import CommandHook, DialogRecord, StoredFile
from .thread import MMServerThread
from .websocket import WSEvent

__all__ = [
    "ActionResult",
    "AppError",
    "CommandHook",
    "CommandResult",
    "DialogRecord",
    "DialogResult",
    "FaultRule",
    "LoggedRequest",
    "MMServer",
    "MMServerThread",
    "RawReply",
    "StoredFile",
    "WSEvent",
]
