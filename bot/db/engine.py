"""Engine and session factory, SQLite tuned for a single-node embedded default (WAL)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            _create_private(make_url(url).database)
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error so nothing is half-written."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


_OPENED: dict[str, Database] = {}


def database_for(url: str) -> Database:
    """This process's `Database` for `url`: a worker process (`app.run_cpu`) opens the database once, by its URL
    (an engine cannot be sent to another process)."""
    db = _OPENED.get(url)
    if db is None:
        db = _OPENED[url] = Database(url)
    return db


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _create_private(path: str | None) -> None:
    """Create a new SQLite file readable by its owner only (0600): it holds counsellors' notes and the hashes of
    the command tokens. SQLite gives its -wal and -shm files the database file's permissions."""
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(directory):
        with contextlib.suppress(FileExistsError):  # another process created it first
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
