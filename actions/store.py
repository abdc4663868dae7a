"""The case store as the action server sees it: one session factory, made on first use."""

from __future__ import annotations

import functools

from sqlalchemy.orm import Session, sessionmaker

from office.db import make_engine, make_session_factory
from office.settings import load_settings


@functools.cache
def sessions() -> sessionmaker[Session]:
    """Session factory for DATABASE_URL (the launcher has already migrated it)."""
    return make_session_factory(make_engine(load_settings().database_url))
