"""Pushes the case store's outbox (reminders, status changes) to people on Telegram.

Each round reads the undelivered notifications of channel "telegram", sends each one
and marks it delivered in its own transaction: a message is sent at least once (a crash
between sending and marking repeats it; nothing is lost). A chat that can never be
reached (the person blocked the bot, the chat is gone) is marked too, with a warning,
so that it does not hold the queue up forever.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.telegram.messages import CHANNEL, split_text
from office.notifications import mark_delivered, pending_notifications

log = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Outgoing:
    """A notification read from the outbox, detached from its session."""

    id: int
    recipient: str
    text: str


def pending(sessions: sessionmaker[Session], limit: int = 50) -> list[Outgoing]:
    """Undelivered Telegram notifications, oldest first."""
    with sessions.begin() as session:
        return [
            Outgoing(row.id, row.recipient, row.text)
            for row in pending_notifications(session, CHANNEL, limit=limit)
        ]


def delivered(sessions: sessionmaker[Session], notification_id: int) -> None:
    """Marks one notification delivered."""
    with sessions.begin() as session:
        mark_delivered(session, notification_id)


async def push(bot: Bot, outgoing: Outgoing) -> bool:
    """Sends one notification; True when it is done with (sent, or can never be sent)."""
    try:
        for part in split_text(outgoing.text):
            await bot.send_message(chat_id=int(outgoing.recipient), text=part)
    except RetryAfter:
        raise
    except (Forbidden, BadRequest, ValueError) as error:
        log.warning("notification %s cannot be delivered: %s", outgoing.id, error)
        return True
    except TelegramError as error:
        log.info("notification %s not sent yet: %s", outgoing.id, error)
        return False
    return True


async def push_round(bot: Bot, sessions: sessionmaker[Session]) -> int:
    """Sends what is pending now; returns how many notifications were sent or given up."""
    done = 0
    for outgoing in await asyncio.to_thread(pending, sessions):
        try:
            finished = await push(bot, outgoing)
        except RetryAfter as error:
            log.info("Telegram asks to wait %s before sending more", error.retry_after)
            break
        if finished:
            await asyncio.to_thread(delivered, sessions, outgoing.id)
            done += 1
    return done


async def push_forever(
    bot: Bot, sessions: sessionmaker[Session], poll_seconds: float = DEFAULT_POLL_SECONDS
) -> None:
    """Runs ``push_round`` every ``poll_seconds`` until cancelled; errors do not stop it."""
    while True:
        try:
            sent = await push_round(bot, sessions)
            if sent:
                log.info("pushed %s notifications", sent)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("outbox round failed; trying again in %s s", poll_seconds)
        await asyncio.sleep(poll_seconds)
