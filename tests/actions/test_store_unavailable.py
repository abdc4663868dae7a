"""The case store off the event loop: while another connection holds SQLite's write lock,
a question that needs no store is answered at once, and one that needs it is told so."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import store
from actions.fallback import ActionTalkToPerson
from actions.faq import ActionAnswerFaq
from actions.followup import ActionCaseStatus
from actions.institution import ActionSessionStart
from casestore.cases import get_or_create_person
from casestore.models import Case
from tests.actions.conftest import make_tracker
from tests.actions.test_responses_exist import uttered

LOCK_TIMEOUT = 0.8  # the store's own limit on a lock wait, in these tests
STORE_TIMEOUT = 1.0  # how long an action waits for the store, in these tests


@pytest.fixture
def quick_store(database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test database, with the store's timeouts cut to about a second."""
    monkeypatch.setattr(store, "LOCK_TIMEOUT", LOCK_TIMEOUT)
    monkeypatch.setattr(store, "STORE_TIMEOUT", STORE_TIMEOUT)
    store.sessions.cache_clear()
    return database


@contextmanager
def write_lock_held(database_url: str) -> Iterator[None]:
    """Another connection holds the database's write lock, as a long write elsewhere would."""
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def timed_run(
    action: Action, domain: dict[str, Any], **tracker: Any
) -> tuple[list[dict[str, Any]], float]:
    """What ``action`` said after the message of ``tracker``, and how long it took."""
    dispatcher = CollectingDispatcher()
    started = time.perf_counter()
    await action.run(dispatcher, make_tracker(**tracker), domain)
    return dispatcher.messages, time.perf_counter() - started


def stored_cases() -> list[Case]:
    """Every case in the store."""
    with store.sessions().begin() as session:
        return list(session.scalars(select(Case)).all())


async def test_a_question_that_needs_no_store_is_answered_while_another_waits_for_the_lock(
    quick_store: str, domain: dict[str, Any]
) -> None:
    with write_lock_held(quick_store):
        status = asyncio.create_task(timed_run(
            ActionCaseStatus(), domain, text="what is the status of my request?",
            intent="case_status"))
        await asyncio.sleep(0.05)  # the status question is waiting for the lock by now
        visa, visa_seconds = await timed_run(
            ActionAnswerFaq(), domain, text="which visa types are there?", intent="visa_types")
        assert not status.done()
        _, status_seconds = await status
    print(f"\nvisa question {visa_seconds:.3f} s while the status question waited "
          f"{status_seconds:.3f} s")
    assert "Article" in visa[0]["text"]
    assert visa_seconds < 0.5
    assert status_seconds >= LOCK_TIMEOUT * 0.9


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_status_question_while_the_store_is_locked_says_the_records_could_not_be_reached(
    quick_store: str, domain: dict[str, Any], language: str
) -> None:
    with write_lock_held(quick_store):
        said, seconds = await timed_run(
            ActionCaseStatus(), domain, text="what is the status of my request?",
            intent="case_status", slots={"language": language})
    print(f"\nstatus question under the lock answered in {seconds:.3f} s")
    # One response whatever the language: Rasa picks its variation from the language slot.
    assert uttered(said, domain) == [("utter_store_nothing_lost", {})]
    assert seconds < STORE_TIMEOUT + 0.5


async def test_the_status_question_works_again_once_the_lock_is_released(
    quick_store: str, domain: dict[str, Any]
) -> None:
    with write_lock_held(quick_store):
        await timed_run(ActionCaseStatus(), domain, text="status?", intent="case_status")
    said, _ = await timed_run(ActionCaseStatus(), domain, text="status?", intent="case_status")
    assert [message["response"] for message in said] == ["utter_no_cases"]


async def test_a_request_opened_while_the_store_is_locked_is_not_opened_and_says_so(
    quick_store: str, domain: dict[str, Any]
) -> None:
    with write_lock_held(quick_store):
        said, _ = await timed_run(ActionTalkToPerson(), domain, text="talk to a person",
                                  intent="talk_to_person")
    assert uttered(said, domain) == [("utter_store_request_not_opened", {})]
    assert stored_cases() == []


async def test_a_request_is_never_stored_after_its_action_stopped_waiting_for_it(
    quick_store: str, domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 5.0)  # the thread outwaits its action
    store.sessions.cache_clear()
    with write_lock_held(quick_store):
        said, seconds = await timed_run(ActionTalkToPerson(), domain, text="talk to a person",
                                        intent="talk_to_person")
    store._workers().shutdown(wait=True)  # the thread got the lock after all, and finished
    store._workers.cache_clear()
    assert said[-1]["response"] == "utter_store_request_not_opened"
    assert seconds < STORE_TIMEOUT + 0.5
    assert stored_cases() == []


async def test_a_new_session_recalls_the_university_without_waiting_for_the_write_lock(
    quick_store: str, domain: dict[str, Any]
) -> None:
    with store.sessions().begin() as session:
        get_or_create_person(session, channel="rest", channel_user_id="student-1",
                             institution="JSNU")
    dispatcher = CollectingDispatcher()
    with write_lock_held(quick_store):
        started = time.perf_counter()
        events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
        seconds = time.perf_counter() - started
    assert {"event": "slot", "name": "institution", "value": "JSNU", "timestamp": None} in events
    assert seconds < 0.5
