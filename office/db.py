"""Engines, sessions and migrations for the case store (SQLite by default, PostgreSQL by URL).

SQLite transactions start with ``BEGIN IMMEDIATE`` so that two writers never both read a
snapshot and then race for the write lock: the second one waits (busy timeout) instead of
failing, which keeps reference numbers gap-free under concurrent conversations.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
_MIGRATION_LOCK = threading.Lock()  # Alembic's context is process-global, not thread-safe


def normalize_url(url: str) -> URL:
    """Parse ``url``; plain ``postgresql://`` URLs are sent to the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    """Return the database file of a SQLite URL, or None for an in-memory database."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _use_write_ahead_log(cursor: Any) -> None:
    """Switch the database file to WAL once; wait if another process is switching it too.

    Changing the journal mode takes an exclusive lock and SQLite reports "database is
    locked" at once instead of calling the busy handler, so processes that open a fresh
    database together (the launcher's services, parallel migrations) retry here.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set the pragmas every SQLite connection needs and take over transaction control."""
    dbapi_connection.isolation_level = None  # let the "begin" hook emit BEGIN IMMEDIATE
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _use_write_ahead_log(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    """Start every SQLite transaction holding the write lock (see module docstring)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _make_sqlite_engine(url: URL) -> Engine:
    """SQLite engine: parent folder created, WAL, foreign keys, busy timeout."""
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=15)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory; use it as ``with factory.begin() as session:`` (caller owns it)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at ``office/migrations`` and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = url
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema of ``url`` up to ``revision``; the schema is only ever made here.

    Safe to call from several processes at once (they take turns on a database lock) and
    from several threads (they take turns on a process lock).
    """
    with _MIGRATION_LOCK:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
        finally:
            engine.dispose()
    log.info("database schema is at %s", revision)
