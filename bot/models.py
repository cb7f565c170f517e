"""Every table on `Base.metadata` (Alembic, tests): the models each feature declares in `bot.features`."""

from bot.features import load_models

load_models()
