"""Conversations kept in SQL, in the case store's database unless told otherwise.

``ConversationStore`` is Rasa's own ``SQLTrackerStore`` with two changes:

* it is configured by one URL (``TRACKER_STORE_URL``, which the launcher sets to
  ``DATABASE_URL``), written as the project's code writes it (``postgresql+psycopg://``
  becomes the ``postgresql://`` of Rasa's own SQLAlchemy 1.4 and psycopg2);
* ``retrieve`` (what the message processor uses) hands out the current session compacted by
  ``engine.serving.compaction`` and remembers how many of its events are already stored, so
  ``save`` appends exactly the new ones. Rasa's HTTP API (``retrieve_full_tracker``) still
  reads every event;
* it remembers, per conversation, the compacted session it saved last with the id of the
  last row it wrote. When that id is still the conversation's newest row (no other replica
  wrote since), the next ``retrieve`` starts from it instead of reading and decoding every
  event of the session again, so a turn costs the same at turn 300 as at turn 10; any other
  writer, a new session or an erasure makes it read the rows as before;
* saving a conversation with no events erases it. Rasa's SQL store only ever appends, so
  ``PUT /conversations/<id>/tracker/events`` with ``[]`` (how the assistant forgets a
  person who asked for their data to be deleted) left every event in place.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import OrderedDict
from typing import Any, Dict, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from engine.serving.compaction import compact_session

URL_VARIABLE = "TRACKER_STORE_URL"
KEEP_TURNS = 8
STORED = "_events_already_stored"  # attribute on a compacted tracker
REMEMBERED_CONVERSATIONS = 10_000  # the most recent conversations whose session is kept

# Per conversation: (id of its newest row, its session as last saved, compacted, as event
# dictionaries, how many events that session has in the database).
Remembered = Tuple[int, List[Dict[str, Any]], int]


def rasa_database_url(url: str) -> str:
    """``url`` for Rasa's SQLAlchemy 1.4: psycopg 3 URLs become psycopg2 ones."""
    for modern in ("postgresql+psycopg://", "postgresql+psycopg3://"):
        if url.startswith(modern):
            return "postgresql://" + url[len(modern):]
    return url


def _commit_without_waiting_for_the_disk(dbapi_connection: Any, _record: Any) -> None:
    """A SQLite connection of the conversation store commits without an fsync.

    Only in WAL mode (``casestore.db`` sets it on the shared file), where ``synchronous=NORMAL``
    keeps every commit through a crash of the process and loses at most the last turns if the
    machine itself loses power; waiting for the disk was a third of the cost of saving a turn
    under load. The case store's own connections keep SQLite's ``FULL``: a request, once
    acknowledged, is on the disk.
    """
    cursor = dbapi_connection.cursor()
    try:
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


class ConversationStore(SQLTrackerStore):
    """Rasa's SQL tracker store, configured by a URL, compacting long sessions."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        keep_turns: int = KEEP_TURNS,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        """``host``: the database URL (Rasa passes the endpoint's ``url`` as ``host``)."""
        target = host or os.environ.get(URL_VARIABLE)
        if not target:
            raise ValueError(f"{URL_VARIABLE} is not set: where should conversations be kept?")
        self.keep_turns = int(keep_turns)
        self._remembered: "OrderedDict[str, Remembered]" = OrderedDict()
        # A host holding "://" is taken by SQLTrackerStore.get_db_url as the whole URL.
        super().__init__(domain, host=rasa_database_url(target), event_broker=event_broker,
                         **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections()

    def _keep_sqlite_connections(self) -> None:
        """SQLAlchemy 1.4 opens a new SQLite connection for every session (``NullPool``), three
        a turn, each with its pragmas: keep a few open instead, as SQLAlchemy 2 does. The
        processor uses a connection from one thread at a time, so SQLite's same-thread check
        is not needed."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                                       max_overflow=8,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _commit_without_waiting_for_the_disk)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _newest_row(self, connection: Any, sender_id: Text) -> Optional[int]:
        table = self.SQLEvent.__table__
        newest = connection.execute(sa.select(sa.func.max(table.c.id)).where(
            table.c.sender_id == sender_id)).scalar()
        return int(newest) if newest is not None else None

    def _in_session(self, connection: Any, sender_id: Text) -> int:
        """How many rows the conversation's latest session has (all its rows before any
        session start), counted as Rasa's ``_event_query`` selects them."""
        table = self.SQLEvent.__table__
        started = sa.select(sa.func.max(table.c.timestamp)).where(
            table.c.sender_id == sender_id,
            table.c.type_name == SessionStarted.type_name).scalar_subquery()
        return int(connection.execute(sa.select(sa.func.count()).select_from(table).where(
            table.c.sender_id == sender_id,
            sa.or_(table.c.timestamp >= started, started.is_(None)))).scalar() or 0)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The current session, compacted when it is long (see the module docstring)."""
        remembered = self._remembered.get(sender_id)
        if remembered is not None:
            with self.engine.connect() as connection:
                if remembered[0] != self._newest_row(connection, sender_id):
                    remembered = None
        if remembered is not None:
            events, in_store = remembered[1], remembered[2]
            self._remembered.move_to_end(sender_id)
        else:
            with self.session_scope() as session:
                rows = self._event_query(session, sender_id,
                                         fetch_events_from_all_sessions=False).all()
                events = [json.loads(row.data) for row in rows]
                in_store = len(events)
        if not self.domain or not events:
            return None
        kept = compact_session(events, self.keep_turns) or events
        tracker = DialogueStateTracker.from_dict(sender_id, kept, self.domain.slots)
        setattr(tracker, STORED, (len(kept), in_store))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Appends the tracker's new events; a tracker without events erases the conversation.

        A tracker this store handed out is saved in one transaction of SQLAlchemy Core: count
        the session's rows, insert the new ones, read the newest id (Rasa's ORM session per
        event cost a fifth of the Rasa server's busy time under load, docs/performance.md).
        """
        if not tracker.events:
            self._remembered.pop(tracker.sender_id, None)
            with self.session_scope() as session:
                session.query(self.SQLEvent).filter(
                    self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
            return
        stored = getattr(tracker, STORED, None)
        if stored is None:  # not handed out by retrieve: Rasa's own way
            await super().save(tracker)
            self._remembered.pop(tracker.sender_id, None)
            return
        await self.stream_events(tracker)
        table = self.SQLEvent.__table__
        with self.engine.begin() as connection:
            now_stored = self._in_session(connection, tracker.sender_id)
            rows = [self._row(tracker.sender_id, event)
                    for event in self._new_events(tracker, stored, now_stored)]
            if rows:
                connection.execute(table.insert(), rows)
            newest = self._newest_row(connection, tracker.sender_id)
        self._remember(tracker, newest)

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[str, Any]:
        """The row Rasa's ``SQLTrackerStore.save`` writes for ``event``."""
        data = event.as_dict()
        return {"sender_id": sender_id, "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": data.get("name"), "data": json.dumps(data)}

    def _remember(self, tracker: DialogueStateTracker, newest: Optional[int]) -> None:
        """Keeps the session just saved for the next ``retrieve`` (see the module docstring):
        only one whose events are still one session."""
        events = [event.as_dict() for event in tracker.events]
        sessions = sum(1 for event in events if event.get("event") == "session_started")
        stored = getattr(tracker, STORED)
        if sessions > 1 or newest is None:
            self._remembered.pop(tracker.sender_id, None)
            return
        self._remembered[tracker.sender_id] = (newest, events, int(stored[1]))
        self._remembered.move_to_end(tracker.sender_id)
        while len(self._remembered) > REMEMBERED_CONVERSATIONS:
            self._remembered.popitem(last=False)

    @staticmethod
    def _new_events(tracker: DialogueStateTracker, stored: Tuple[int, int],
                    now_stored: int) -> Iterator:
        """The tracker's events that are not stored yet, given that the session had
        ``now_stored`` rows; marks the tracker with what is stored once they are."""
        in_tracker, in_store = stored
        # Another writer (a second replica without a lock store) added events meanwhile:
        # skip as many of ours as it added, as Rasa's own count-based rule does.
        start = in_tracker + max(0, now_stored - in_store)
        setattr(tracker, STORED, (len(tracker.events), now_stored + len(tracker.events) - start))
        return itertools.islice(tracker.events, start, len(tracker.events))
