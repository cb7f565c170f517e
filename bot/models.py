"""Imports every model module so `Base.metadata` (Alembic, tests) knows all tables."""

from bot.db import state  # noqa: F401
from bot.mattermost import models as _mattermost  # noqa: F401
