"""The case store as the action server sees it, and the one way an action uses it: `in_store`.

Store calls block (SQLite makes every transaction wait for the write lock, PostgreSQL may
wait for a row lock or a connection), and the action server runs every conversation on one
event loop. So the work runs on a worker thread, and an action waits for it at most
`STORE_TIMEOUT` seconds: a question that needs no store is never held up by one that does,
and a person whose question does is told so instead of getting no answer at all.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar, TypeVarTuple

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from actions.conversation import speaker
from casestore.cases import get_or_create_person
from casestore.db import READS_ONLY, make_engine, make_session_factory
from casestore.models import Person
from config.settings import load_settings

log = logging.getLogger(__name__)

# Rasa 3.6 waits up to five minutes for an action (DEFAULT_REQUEST_TIMEOUT); people do not.
STORE_TIMEOUT = 5.0
# The store gives up a lock wait by itself a little earlier, so a transaction normally ends
# (rolled back) before the action answers without it.
LOCK_TIMEOUT = 4.0
STORE_THREADS = 4  # below the engine's pool of 5: a worker never waits for a connection

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

class StoreUnavailable(Exception):
    """The case store could not be reached in time; nothing the work did was committed."""


@functools.cache
def sessions() -> sessionmaker[Session]:
    """Session factory for DATABASE_URL (the launcher has already migrated it)."""
    engine = make_engine(load_settings().database_url, lock_timeout=LOCK_TIMEOUT)
    return make_session_factory(engine)


@functools.cache
def _workers() -> ThreadPoolExecutor:
    """The threads store work runs on (started on first use, not at import)."""
    return ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="case-store")


def the_person(session: Session, tracker: Tracker) -> Person:
    """The person of this conversation in the case store (created on first contact)."""
    who = speaker(tracker)
    return get_or_create_person(session, channel=who.channel, channel_user_id=who.channel_user_id)


class _Outcome:
    """Settles once whether a transaction commits or is abandoned by its action, never both."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settled: str | None = None

    def settle(self, outcome: str) -> bool:
        """Settle as ``outcome`` ("commit" / "abandon"); False if the other one came first."""
        with self._lock:
            self._settled = self._settled or outcome
            return self._settled == outcome

    def abandoned(self) -> bool:
        """Whether the action has stopped waiting."""
        with self._lock:
            return self._settled == "abandon"


def _transaction(
    outcome: _Outcome, reads_only: bool, work: Callable[[Session, *Ts], T], *args: *Ts
) -> T:
    """``work`` in one transaction, committed only if its action still waits for it."""
    if outcome.abandoned():  # it waited for a thread longer than its action waited for it
        raise StoreUnavailable("the action stopped waiting")
    with sessions().begin() as session:
        if reads_only:
            session.connection(execution_options={READS_ONLY: True})
        result = work(session, *args)
        if not outcome.settle("commit"):
            raise StoreUnavailable("the action stopped waiting")  # rolls back
    return result


async def in_store(
    work: Callable[[Session, *Ts], T], *args: *Ts, reads_only: bool = False
) -> T:
    """``work(session, *args)`` in one transaction, off the event loop.

    ``work`` must not touch the dispatcher: it returns what the action then says. A
    transaction that may write waits for the write lock; pass ``reads_only=True`` for one
    that never writes and it waits for nobody. Raises `StoreUnavailable` when the store is
    locked, down or slower than `STORE_TIMEOUT`; the work is then rolled back. Other
    errors (a broken constraint, `CaseError`) pass through.
    """
    outcome = _Outcome()
    call = functools.partial(_transaction, outcome, reads_only, work, *args)
    future = asyncio.get_running_loop().run_in_executor(_workers(), call)
    future.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
    done, _ = await asyncio.wait({future}, timeout=STORE_TIMEOUT)
    if not done and outcome.settle("abandon"):
        log.warning("the case store did not answer %s within %.0f s", work.__name__, STORE_TIMEOUT)
        raise StoreUnavailable(f"no answer within {STORE_TIMEOUT} s")
    try:
        return await future  # done, or committing right now
    except (OperationalError, PoolTimeout) as error:
        reason = getattr(error, "orig", None) or type(error).__name__  # no SQL, no parameters
        log.warning("the case store failed in %s: %s", work.__name__, reason)
        raise StoreUnavailable(str(reason)) from error


def say_unreachable(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, opening: bool = False
) -> None:
    """Tells the person the records could not be reached: the request this action was
    opening was not opened, or (any other action) nothing was lost.

    ``tracker`` is unused: Rasa picks the response's language from the conversation's slot.
    """
    if opening:
        dispatcher.utter_message(response="utter_store_request_not_opened")
    else:
        dispatcher.utter_message(response="utter_store_nothing_lost")
