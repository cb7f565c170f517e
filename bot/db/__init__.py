"""Storage: one engine per process, sessions per unit of work, Alembic migrations shipped in the package."""

from bot.db.base import Base, utcnow
from bot.db.engine import Database

__all__ = ["Base", "Database", "utcnow"]
