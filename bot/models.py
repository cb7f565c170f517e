"""Imports every model module so `Base.metadata` (Alembic, tests) knows all tables."""

from bot.annonces import models as _annonces  # noqa: F401
from bot.ateliers import models as _ateliers  # noqa: F401
from bot.db import state  # noqa: F401
from bot.directory import models as _directory  # noqa: F401
from bot.entraide import models as _entraide  # noqa: F401
from bot.mattermost import models as _mattermost  # noqa: F401
from bot.outbox import models as _outbox  # noqa: F401
from bot.accompagnements import models as _sessions  # noqa: F401
