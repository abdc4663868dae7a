"""PostgreSQL for the tests: the server ``TEST_POSTGRES_URL`` names (``make test`` starts one
with ``scripts/postgres.sh``), and fresh schemas or databases on it.

Without ``TEST_POSTGRES_URL`` a test that needs PostgreSQL is skipped, unless
``REQUIRE_POSTGRES=1`` (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casestore.db import make_engine, normalize_url

HOW_TO_START = "export TEST_POSTGRES_URL=\"$(bash scripts/postgres.sh)\""


def available() -> bool:
    """Whether this run has a PostgreSQL server, or must have one (``REQUIRE_POSTGRES=1``)."""
    return bool(os.environ.get("TEST_POSTGRES_URL", "").strip()
                or os.environ.get("REQUIRE_POSTGRES") == "1")


def base_url(needed_for: str = "PostgreSQL tests") -> str:
    """The PostgreSQL server to test against, or skip/fail saying what needs it."""
    url = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if url:
        return url
    reason = f"{needed_for} need TEST_POSTGRES_URL ({HOW_TO_START})"
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(reason + "; REQUIRE_POSTGRES=1 forbids skipping them")
    pytest.skip(reason)


@contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """An empty schema on ``server``: a URL whose search_path is it, dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = make_engine(server)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = normalize_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(server: str, prefix: str) -> Iterator[str]:
    """A new database on ``server`` (for processes that keep their own connections, such as
    Rasa's tracker store, which ignores a search_path), dropped afterwards."""
    base = normalize_url(server)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
