"""Engines, sessions and migrations for the case store (SQLite by default, PostgreSQL by URL).

SQLite transactions start with ``BEGIN IMMEDIATE`` so that two writers never both read a
snapshot and then race for the write lock: the second one waits (busy timeout) instead of
failing, which keeps reference numbers gap-free under concurrent conversations.
"""

from __future__ import annotations

import functools
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
SQLITE_BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for the lock unless told otherwise
_MIGRATION_LOCK = threading.Lock()  # Alembic's context is process-global, not thread-safe
# Execution option for a transaction that never writes:
# ``session.connection(execution_options={READS_ONLY: True})`` before its first statement.
READS_ONLY = "office_reads_only"


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


def _use_write_ahead_log(cursor: Any, busy_timeout_ms: int) -> None:
    """Switch the database file to WAL once; wait if another process is switching it too.

    Changing the journal mode takes an exclusive lock and SQLite reports "database is
    locked" at once instead of calling the busy handler, so processes that open a fresh
    database together (the launcher's services, parallel migrations) retry here.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
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


def _on_sqlite_connect(dbapi_connection: Any, _record: Any, *, busy_timeout_ms: int) -> None:
    """Set the pragmas every SQLite connection needs and take over transaction control."""
    dbapi_connection.isolation_level = None  # let the "begin" hook emit BEGIN IMMEDIATE
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    _use_write_ahead_log(cursor, busy_timeout_ms)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    """Start every SQLite transaction holding the write lock (see module docstring), but
    one that only reads (`READS_ONLY`): in WAL mode a reader never waits for a writer."""
    reads_only = connection.get_execution_options().get(READS_ONLY, False)
    connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def _make_sqlite_engine(url: URL, lock_timeout: float | None) -> Engine:
    """SQLite engine: parent folder created, WAL, foreign keys, busy timeout."""
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS if lock_timeout is None else int(lock_timeout * 1000)
    # An in-memory database has one connection per thread and no pool to wait for.
    extra = {"pool_timeout": lock_timeout} if lock_timeout is not None and path else {}
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        **extra,
    )
    on_connect = functools.partial(_on_sqlite_connect, busy_timeout_ms=busy_timeout_ms)
    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _make_postgres_engine(url: URL, lock_timeout: float | None) -> Engine:
    """PostgreSQL engine; with ``lock_timeout``, no connection, lock or pool wait lasts longer."""
    extra: dict[str, Any] = {}
    if lock_timeout is not None:
        milliseconds = int(lock_timeout * 1000)
        extra = {
            "pool_timeout": lock_timeout,
            "connect_args": {
                "connect_timeout": max(2, round(lock_timeout)),  # libpq's minimum is 2 s
                "options": f"-c lock_timeout={milliseconds} -c statement_timeout={milliseconds}",
            },
        }
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=15, **extra)


def make_engine(url: str, lock_timeout: float | None = None) -> Engine:
    """Create the engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``).

    ``lock_timeout`` (seconds) bounds how long a transaction waits for a lock, a pooled
    connection or (PostgreSQL) a connection or statement before failing with an
    OperationalError / TimeoutError; by default a SQLite writer waits 30 s for the lock.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _make_sqlite_engine(parsed, lock_timeout)
    return _make_postgres_engine(parsed, lock_timeout)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory; use it as ``with factory.begin() as session:`` (caller owns it)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at ``casestore/migrations`` and the given database."""
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
