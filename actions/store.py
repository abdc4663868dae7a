"""The case store as the action server sees it: one session factory, made on first use."""

from __future__ import annotations

import functools

from rasa_sdk import Tracker
from sqlalchemy.orm import Session, sessionmaker

from actions.conversation import speaker
from office.cases import get_or_create_person
from office.db import make_engine, make_session_factory
from office.models import Person
from office.settings import load_settings


@functools.cache
def sessions() -> sessionmaker[Session]:
    """Session factory for DATABASE_URL (the launcher has already migrated it)."""
    return make_session_factory(make_engine(load_settings().database_url))


def the_person(session: Session, tracker: Tracker) -> Person:
    """The person of this conversation in the case store (created on first contact)."""
    who = speaker(tracker)
    return get_or_create_person(session, channel=who.channel, channel_user_id=who.channel_user_id)
