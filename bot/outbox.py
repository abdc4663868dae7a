"""Delivers the case store's outbox (reminders, status changes, replies) on one channel.

Each channel's bridge gives a ``Send``: it delivers one notification and says whether the
bridge is done with it. Each round reads the channel's undelivered notifications, sends
each one and marks the finished ones delivered in their own transaction: a message is sent
at least once (a crash between sending and marking repeats it; nothing is lost). A message
the channel cannot take now (the web page is closed) stays pending and is tried again next
round; one that can never be delivered is the send's to give up on (it returns True).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from casestore.notifications import mark_delivered, pending_notifications

log = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Outgoing:
    """A notification read from the outbox, detached from its session."""

    id: int
    recipient: str
    text: str


Send = Callable[[Outgoing], Awaitable[bool]]
"""Delivers one notification; True when the bridge is done with it (sent, or never can be).
It may raise ``StopRound`` to end the round (the channel asks to slow down)."""


class StopRound(Exception):
    """Raised by a ``Send`` when nothing more should be sent in this round."""


Reachable = Callable[[], Awaitable["set[str] | None"]]
"""The recipients a channel can reach right now (None: anyone it has a notification for)."""


def pending(sessions: sessionmaker[Session], channel: str, limit: int = 50,
            recipients: set[str] | None = None) -> list[Outgoing]:
    """Undelivered notifications of ``channel`` (for ``recipients`` if given), oldest first."""
    with sessions.begin() as session:
        return [
            Outgoing(row.id, row.recipient, row.text)
            for row in pending_notifications(session, channel, limit=limit,
                                             recipients=recipients)
        ]


def delivered(sessions: sessionmaker[Session], notification_id: int) -> None:
    """Marks one notification delivered."""
    with sessions.begin() as session:
        mark_delivered(session, notification_id)


async def push_round(sessions: sessionmaker[Session], channel: str, send: Send,
                     reachable: Reachable | None = None) -> int:
    """Sends what is pending now (to whom ``reachable`` names, if given); returns how many
    notifications were finished."""
    recipients = await reachable() if reachable is not None else None
    if recipients is not None and not recipients:
        return 0
    done = 0
    for outgoing in await asyncio.to_thread(pending, sessions, channel, 50, recipients):
        try:
            finished = await send(outgoing)
        except StopRound as reason:
            log.info("%s outbox round stopped: %s", channel, reason)
            break
        if finished:
            await asyncio.to_thread(delivered, sessions, outgoing.id)
            done += 1
    return done


async def push_forever(
    sessions: sessionmaker[Session], channel: str, send: Send,
    poll_seconds: float = DEFAULT_POLL_SECONDS, reachable: Reachable | None = None,
) -> None:
    """Runs ``push_round`` every ``poll_seconds`` until cancelled; errors do not stop it."""
    while True:
        try:
            sent = await push_round(sessions, channel, send, reachable)
            if sent:
                log.info("pushed %s notifications on %s", sent, channel)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s outbox round failed; trying again in %s s", channel, poll_seconds)
        await asyncio.sleep(poll_seconds)
