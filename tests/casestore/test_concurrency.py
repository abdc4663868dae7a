"""Many conversations at once: every case stored, every reference unique and gap-free."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import get_or_create_person, open_case
from casestore.models import Case, Person, Reminder, TrackedDocument
from reminders.schedule import register_document

T = TypeVar("T")
THREADS = 40
TODAY = date(2026, 9, 1)
FACTS = {"question": "Can I talk to someone about my permit?"}


def _all_at_once(count: int, work: Callable[[int], T]) -> list[T]:
    """Run ``work(0..count-1)`` on ``count`` threads released together by a barrier."""
    start = threading.Barrier(count)

    def run(index: int) -> T:
        start.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_forty_conversations_opening_cases_at_once_get_unique_gap_free_references(
    factory: sessionmaker[Session],
) -> None:
    def open_one(index: int) -> str:
        with factory.begin() as session:
            person = get_or_create_person(session, channel="telegram",
                                          channel_user_id=f"user-{index}")
            case = open_case(session, person=person, case_type="talk_to_person",
                             institution="CPU", facts=FACTS, today=TODAY)
            return case.reference

    references = _all_at_once(THREADS, open_one)
    assert len(set(references)) == THREADS
    assert sorted(references) == [f"CPU-2026-{n:06d}" for n in range(1, THREADS + 1)]
    with factory.begin() as session:
        stored = session.scalars(select(Case.reference).order_by(Case.sequence)).all()
        assert sorted(stored) == sorted(references)
        assert session.scalar(select(func.count()).select_from(Person)) == THREADS


def test_one_message_retried_on_many_connections_at_once_opens_one_case(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        get_or_create_person(session, channel="telegram", channel_user_id="retry")

    def deliver(_index: int) -> int:
        with factory.begin() as session:
            person = get_or_create_person(session, channel="telegram", channel_user_id="retry")
            case = open_case(session, person=person, case_type="talk_to_person",
                             institution="JSNU", facts=FACTS, today=TODAY,
                             idempotency_key="telegram:retry:update-5")
            return case.id

    ids = _all_at_once(12, deliver)
    assert len(set(ids)) == 1
    with factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalars(select(Case.reference)).one() == "JSNU-2026-000001"


def test_one_reminder_message_retried_on_many_connections_at_once_tracks_one_document(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        get_or_create_person(session, channel="telegram", channel_user_id="retry")

    def deliver(_index: int) -> int:
        with factory.begin() as session:
            person = get_or_create_person(session, channel="telegram", channel_user_id="retry")
            document = register_document(session, person, "residence_permit",
                                         date(2027, 3, 1), TODAY, institution="CPU",
                                         idempotency_key="telegram:retry:update-9")
            return document.id

    ids = _all_at_once(12, deliver)
    assert len(set(ids)) == 1
    with factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(TrackedDocument)) == 1
        assert session.scalar(select(func.count()).select_from(Reminder)) == 4


def test_a_new_person_writing_on_several_connections_at_once_is_stored_once(
    factory: sessionmaker[Session],
) -> None:
    def greet(_index: int) -> int:
        with factory.begin() as session:
            return get_or_create_person(session, channel="web", channel_user_id="fresh").id

    assert len(set(_all_at_once(10, greet))) == 1
    with factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 1
