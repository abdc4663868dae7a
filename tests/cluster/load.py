"""Many people talking at once over the REST channel, as a client that resends a message it
got no answer for (with the same ``message_id``, as the Telegram bridge does), and what the
cluster's PostgreSQL holds afterwards."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Engine, text

RETRIED_STATUSES = frozenset({502, 503, 504})
GIVE_UP_AFTER_SECONDS = 240.0


@dataclass(frozen=True)
class Turn:
    """One message of the script and a pattern its replies must match (they answer it)."""

    message: str
    answer: str


@dataclass
class Answered:
    """What happened to one message."""

    user: str
    turn: int
    message_id: str
    status: int | None = None
    attempts: int = 0
    seconds: float = 0.0
    replies: list[dict[str, Any]] = field(default_factory=list)
    finished_at: float = 0.0

    @property
    def text(self) -> str:
        """The replies' texts, joined."""
        return "\n".join(str(reply.get("text", "")) for reply in self.replies)


@dataclass
class LoadResult:
    """Every message of a load and how long the load took."""

    answered: list[Answered]
    seconds: float

    @property
    def throughput(self) -> float:
        """Messages answered per second."""
        return sum(1 for a in self.answered if a.status == 200) / self.seconds

    def percentile(self, fraction: float) -> float:
        """The latency (seconds, resends included) below which ``fraction`` of answers came."""
        times = sorted(a.seconds for a in self.answered if a.status == 200)
        return statistics.quantiles(times, n=100, method="inclusive")[round(fraction * 100) - 1]

    def unanswered(self, script: Sequence[Turn]) -> list[Answered]:
        """Messages without a 200 or whose replies do not answer them."""
        return [a for a in self.answered
                if a.status != 200 or not re.search(script[a.turn].answer, a.text)]

    def summary(self, label: str) -> str:
        """One line of figures."""
        return (f"{label}: {len(self.answered)} messages in {self.seconds:.1f} s, "
                f"{self.throughput:.2f} messages/s, p50 {self.percentile(0.5):.2f} s, "
                f"p95 {self.percentile(0.95):.2f} s, resent {self.resent()}")

    def resent(self) -> int:
        """Messages sent more than once."""
        return sum(1 for a in self.answered if a.attempts > 1)


async def send_message(client: httpx.AsyncClient, url: str, user: str, turn: int, step: Turn,
               prefix: str) -> Answered:
    """Sends one message until it is answered (200) or refused for good."""
    answered = Answered(user, turn, f"{prefix}{user}-{turn}")
    body = {"sender": user, "message": step.message,
            "metadata": {"message_id": answered.message_id}}
    started = time.monotonic()
    while time.monotonic() - started < GIVE_UP_AFTER_SECONDS:
        answered.attempts += 1
        try:
            response = await client.post(f"{url}/webhooks/rest/webhook", json=body)
        except httpx.TransportError:
            await asyncio.sleep(1.0)
            continue
        answered.status = response.status_code
        if response.status_code not in RETRIED_STATUSES:
            if response.status_code == 200:
                answered.replies = response.json()
            break
        await asyncio.sleep(1.0)
    answered.seconds = time.monotonic() - started
    answered.finished_at = time.monotonic()
    return answered


async def _converse(client: httpx.AsyncClient, url: str, user: str, script: Sequence[Turn],
                    prefix: str, done: list[Answered]) -> None:
    for turn, step in enumerate(script):
        done.append(await send_message(client, url, user, turn, step, prefix))


async def _load(urls: Callable[[int], str], users: Sequence[str], script: Sequence[Turn],
                prefix: str, during: Callable[[list[Answered]], Any] | None) -> LoadResult:
    done: list[Answered] = []
    limits = httpx.Limits(max_connections=len(users) * 2)
    timeout = httpx.Timeout(180.0, connect=5.0)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        started = time.monotonic()
        talks = [asyncio.create_task(_converse(client, urls(i), user, script, prefix, done))
                 for i, user in enumerate(users)]
        if during is not None:
            talks.append(asyncio.create_task(during(done)))
        await asyncio.gather(*talks)
        return LoadResult(done, time.monotonic() - started)


def run_load(urls: Callable[[int], str], users: Sequence[str], script: Sequence[Turn],
             prefix: str = "", during: Callable[[list[Answered]], Any] | None = None
             ) -> LoadResult:
    """Each user (the ``i``-th at ``urls(i)``) says the script, one message after the answer
    to the one before, all users at once; ``during(done)`` runs beside them."""
    return asyncio.run(_load(urls, users, script, prefix, during))


@dataclass(frozen=True)
class Stored:
    """One event of a conversation as the tracker store holds it."""

    kind: str
    name: str | None
    message_id: str | None


def stored_events(engine: Engine, sender_id: str) -> list[Stored]:
    """The events of ``sender_id``'s conversation in the tracker store, in order."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT type_name, action_name, data FROM events "
                 "WHERE sender_id = :sender ORDER BY id"), {"sender": sender_id}).all()
    events = []
    for kind, action, data in rows:
        metadata = json.loads(data).get("metadata") or {}
        events.append(Stored(kind, action, metadata.get("message_id")
                             if kind == "user" else None))
    return events


def interleaved(events: Sequence[Stored]) -> list[int]:
    """Indexes of user messages that came before the turn of the one before had finished
    (its last action, ``action_listen``): two handlers worked on the conversation at once."""
    wrong = []
    waiting = False
    for index, event in enumerate(events):
        if event.kind == "user":
            if waiting:
                wrong.append(index)
            waiting = True
        elif event.kind == "action" and event.name == "action_listen":
            waiting = False
    return wrong


def cases_per_person(engine: Engine, sender_ids: Sequence[str]) -> dict[str, int]:
    """How many cases the case store holds for each conversation's person."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT p.channel_user_id, count(c.id) FROM people p "
                 "LEFT JOIN cases c ON c.person_id = p.id GROUP BY p.channel_user_id")).all()
    counts = {str(user): int(count) for user, count in rows}
    return {sender: counts.get(sender, 0) for sender in sender_ids}
