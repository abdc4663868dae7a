"""The outbox: messages for people that the channel bridges (Telegram, web) deliver.

Writing a notification happens in the same transaction as the change it reports, so a
message exists if and only if the change was committed. A bridge reads
``pending_notifications``, sends, then calls ``mark_delivered`` in its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore.models import Notification, Person, utcnow

log = logging.getLogger(__name__)

PUSHED_CHANNELS = frozenset({"telegram", "socketio"})
"""Channels whose bridge delivers the outbox: Telegram (``bot/telegram/outbox.py``) at once,
the web chat (``bot/web/outbox.py``) while the person's page is open, else when they open it
again. The REST channel has none: its people only learn what the office did when they ask."""


def can_be_pushed(person: Person) -> bool:
    """Whether a message put in the outbox for ``person`` is delivered to them."""
    return person.channel in PUSHED_CHANNELS


def recipient_of(person: Person) -> str:
    """Where the channel delivers to: ``reach["chat_id"]`` if known, else the channel user id."""
    chat_id = person.reach.get("chat_id") if person.reach else None
    return str(chat_id) if chat_id is not None else person.channel_user_id


def enqueue(
    session: Session,
    person: Person,
    text: str,
    *,
    kind: str,
    case_id: int | None = None,
    reminder_id: int | None = None,
) -> Notification:
    """Put a message for ``person`` in the outbox of their channel."""
    notification = Notification(
        person_id=person.id,
        channel=person.channel,
        recipient=recipient_of(person),
        text=text,
        kind=kind,
        case_id=case_id,
        reminder_id=reminder_id,
    )
    session.add(notification)
    session.flush()
    log.info("queued %s notification %s on %s", kind, notification.id, person.channel)
    return notification


def pending_notifications(
    session: Session, channel: str, limit: int = 100, recipients: Collection[str] | None = None
) -> list[Notification]:
    """Undelivered messages of ``channel``, oldest first; only for ``recipients`` if given."""
    query = select(Notification).where(
        Notification.channel == channel, Notification.delivered_at.is_(None))
    if recipients is not None:
        query = query.where(Notification.recipient.in_(sorted(recipients)))
    return list(session.scalars(query.order_by(Notification.id).limit(limit)))


def mark_delivered(session: Session, notification_id: int, now: datetime | None = None) -> bool:
    """Record that the bridge delivered a message; False if it was gone or already delivered."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.delivered_at is not None:
        return False
    notification.delivered_at = now or utcnow()
    session.flush()
    return True
