"""A case store held by another connection (SQLite's write lock, or PostgreSQL's table locks),
tried against the real Rasa server and action server: a question that needs no store is
answered as usual, one that needs it is told the records could not be reached (never an empty
reply), and all is well once the lock is gone."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from actions.store import STORE_TIMEOUT
from casestore.db import make_engine
from tests.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

STATUS = "what is the status of my request?"
VISA = "which visa types are there?"
TRACKER_STORE_WAIT = 5.0  # how long Rasa's SQL tracker store waits for SQLite's lock


@contextmanager
def write_lock_held(assistant: RunningAssistant) -> Iterator[None]:
    """Another connection holds the running assistant's case store: SQLite's write lock, or
    on PostgreSQL (``make test``) an exclusive lock on the people and their requests."""
    url = assistant.database_url
    if url.startswith("sqlite"):
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("LOCK TABLE people, cases IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


def timed_text(assistant: RunningAssistant, sender: str, message: str) -> tuple[str, float]:
    """The assistant's reply to ``message`` and how many seconds it took."""
    started = time.perf_counter()
    reply = assistant.text(sender, message)
    return reply, time.perf_counter() - started


def test_under_a_held_write_lock_a_visa_question_is_answered_and_a_status_question_says_why_not(
    assistant: RunningAssistant, sender: str
) -> None:
    visa_sender, status_sender = f"{sender}-visa", f"{sender}-status"
    assistant.text(visa_sender, "hello")  # both conversations are under way before the lock
    assistant.text(status_sender, "hello")
    with write_lock_held(assistant), ThreadPoolExecutor(max_workers=1) as other:
        waiting = other.submit(timed_text, assistant, status_sender, STATUS)
        time.sleep(1.0)  # the status question is waiting for the lock by now
        visa, visa_seconds = timed_text(assistant, visa_sender, VISA)
        status, status_seconds = waiting.result()
    after, after_seconds = timed_text(assistant, status_sender, STATUS)
    print(f"\nwrite lock held: visa question {visa_seconds:.2f} s, status question "
          f"{status_seconds:.2f} s; lock released: status question {after_seconds:.2f} s")
    assert "X1" in visa
    assert status == ("I could not reach the office's records just now; nothing was lost, "
                      "please try again in a minute.")
    assert "no requests" in after
    # Before the store left the event loop: 28.5 s for the visa question, and an empty
    # reply after 30 s for the status question.
    assert visa_seconds < TRACKER_STORE_WAIT + 5.0
    assert status_seconds < STORE_TIMEOUT + 2 * TRACKER_STORE_WAIT + 5.0


def test_under_a_held_write_lock_a_question_that_needs_no_store_is_answered_in_seconds(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "hello")
    with write_lock_held(assistant):
        visa, seconds = timed_text(assistant, sender, VISA)
    print(f"\nwrite lock held: visa question alone {seconds:.2f} s")
    assert "X1" in visa
    # Conversations have their own SQLite file (config.settings.conversation_store_url): in the
    # case store's, saving the turn waited 5 s for this lock on Rasa's event loop (6.8 s).
    assert seconds < 4.0
