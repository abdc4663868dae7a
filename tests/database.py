"""Database fixtures for the suites of the case store, the reminders and the staff side
(``tests/casestore/``, ``tests/reminders/``, ``tests/staff/``): every test that asks gets a
fresh, migrated database. ``tests/conftest.py`` offers them to every suite.

The ``database_url`` fixture runs each test twice: on a SQLite file in the test's temporary
folder and on PostgreSQL (a fresh schema per test in the database ``TEST_POSTGRES_URL``
names). Without ``TEST_POSTGRES_URL`` the PostgreSQL runs are skipped, unless
``REQUIRE_POSTGRES=1``, which turns the skip into a failure (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from casestore.db import make_engine, make_session_factory, migrate
from tests import postgres

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def blank_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (no tables), SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'office.db'}"
        return
    with postgres.fresh_schema(postgres.base_url()) as url:
        yield url


@pytest.fixture
def database_url(blank_database_url: str) -> str:
    """URL of a fresh database migrated to the latest schema."""
    migrate(blank_database_url)
    return blank_database_url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Engine on the fresh database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory on the fresh database."""
    return make_session_factory(engine)


@pytest.fixture
def project_env() -> dict[str, str]:
    """Environment for running the project's commands (no staff token, repo importable)."""
    env = {k: v for k, v in os.environ.items() if k not in ("STAFF_API_TOKEN", "DATABASE_URL")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


@pytest.fixture
def subprocess_env(database_url: str, project_env: dict[str, str]) -> dict[str, str]:
    """Environment for running the project's commands against the fresh database."""
    return {**project_env, "DATABASE_URL": database_url}
