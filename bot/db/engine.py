"""Engine and session factory, SQLite tuned for a single-node embedded default (WAL)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, object] = {"echo": echo, "future": True}
        self.in_memory = url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            _create_private(make_url(url).database)
        if self.in_memory:
            # One connection for every thread: each connection to "sqlite://" is a new, empty database, and handlers
            # run on worker threads. Fine for a try or a test; a network's database is a file or PostgreSQL.
            kwargs["poolclass"] = StaticPool
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # `sqlite://`: the one connection's transaction is every thread's, so units of work take turns (another
        # thread's commit or rollback would commit or undo one still under way). Reentrant: nested sessions.
        self._turn: contextlib.AbstractContextManager[object] = (
            threading.RLock() if self.in_memory else contextlib.nullcontext())
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error so nothing is half-written."""
        with self._turn:
            session = self._sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A bare connection for a quick read, taking its turn like a session (`sqlite://`: closing it rolls back
        the one shared connection, which would undo another thread's unit of work under way)."""
        with self._turn, self.engine.connect() as conn:
            yield conn

    def ping(self) -> bool:
        try:
            with self.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


_OPENED: dict[str, Database] = {}


_LENT = threading.local()


def database_for(url: str) -> Database:
    """This process's `Database` for `url`: a worker process (`app.run_cpu`) opens the database once, by its URL
    (an engine cannot be sent to another process); on a thread running `with_database`, the database lent."""
    lent: Database | None = getattr(_LENT, "db", None)
    if lent is not None and lent.url == url:
        return lent
    db = _OPENED.get(url)
    if db is None:
        db = _OPENED[url] = Database(url)
    return db


def with_database(db: Database, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` on this thread, `database_for(db.url)` answering `db` meanwhile: how `app.run_cpu` runs
    work on a database in memory, which a worker process could not open (it would get an empty one)."""
    previous, _LENT.db = getattr(_LENT, "db", None), db
    try:
        return fn(*args, **kwargs)
    finally:
        _LENT.db = previous


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
