"""Alembic environment: runs on the connection ``casestore.db.migrate`` hands over, or on a URL.

On PostgreSQL a transaction-level advisory lock serialises processes that migrate at the same
moment (``make run`` starts several); on SQLite ``BEGIN IMMEDIATE`` does the same.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from casestore.db import make_engine
from casestore.models import Base
from config.settings import load_settings

MIGRATION_LOCK_ID = 5_520_260_001


def _run(connection: Connection) -> None:
    """Run the pending migrations in one transaction on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        context.run_migrations()


def run_online() -> None:
    """Migrate through the given connection, else through an engine for the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.attributes.get("database_url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    engine = make_engine(url or load_settings().database_url)
    try:
        with engine.connect() as own_connection:
            _run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_online()
