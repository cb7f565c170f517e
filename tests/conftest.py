"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when RELAIS_TEST_POSTGRES_URL is set.

Tests that take the `db` fixture run once per engine. PostgreSQL gets one throw-away database per
test session (migrated once, tables truncated between tests); SQLite gets a copy of a migrated file.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db import Base, Database
from bot.db.migrate import upgrade

PG_ENV = "RELAIS_TEST_POSTGRES_URL"
REPO = Path(__file__).resolve().parents[1]
# The real data (../shared: directory files, Mattermost's OpenAPI subset) are cloned beside the project;
# RELAIS_SHARED points elsewhere. Without them the tests that read them are skipped, saying why.
SHARED = Path(os.environ.get("RELAIS_SHARED") or REPO.parent / "shared")


def require_shared(*parts: str) -> Path:
    """A path under the shared folder, or skip the test with the reason and where to get it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"données réelles absentes : {path} (dossier shared/ placé à côté du projet, voir le README, "
                    "section Tests ; ou RELAIS_SHARED=chemin)")
    return path


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url or None


def pytest_report_header(config: pytest.Config) -> str:
    if _pg_url():
        return f"PostgreSQL tests: ON ({PG_ENV} is set)"
    return f"PostgreSQL tests: SKIPPED ({PG_ENV} is not set); every database test runs on SQLite only"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _pg_url():
        terminalreporter.write_line(
            f"NOTE: PostgreSQL variants were skipped because {PG_ENV} is not set.", yellow=True
        )


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    base = _pg_url()
    if not base:
        pytest.skip(f"PostgreSQL skipped: set {PG_ENV} to run this variant")
    name = f"relais_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    upgrade(db)
    db.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(db: Database) -> None:
    import bot.models  # noqa: F401

    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a freshly migrated, empty database (one per engine)."""
    if request.param == "sqlite":
        path = tmp_path / "relais.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database_url")
        db = Database(url)
        _truncate_all(db)
        db.dispose()
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def shared_data() -> Path:
    return require_shared("data")
