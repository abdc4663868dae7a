"""Pushes the case store's outbox (reminders, status changes) to people on Telegram.

The rounds are ``bot.outbox``'s; this module sends one notification. A chat that can never
be reached (the person blocked the bot, the chat is gone) is given up with a warning, so
that it does not hold the queue up forever; Telegram's "retry after" ends the round.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.outbox import DEFAULT_POLL_SECONDS, Outgoing, Send, StopRound
from bot.outbox import push_forever as push_outbox_forever
from bot.telegram.messages import CHANNEL, split_text

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_POLL_SECONDS", "push_forever", "sender_for"]


def sender_for(bot: Bot) -> Send:
    """Sends one notification to its Telegram chat; True when it is done with."""

    async def push(outgoing: Outgoing) -> bool:
        try:
            for part in split_text(outgoing.text):
                await bot.send_message(chat_id=int(outgoing.recipient), text=part)
        except RetryAfter as error:
            raise StopRound(f"Telegram asks to wait {error.retry_after}") from error
        except (Forbidden, BadRequest, ValueError) as error:
            log.warning("notification %s cannot be delivered: %s", outgoing.id, error)
            return True
        except TelegramError as error:
            log.info("notification %s not sent yet: %s", outgoing.id, error)
            return False
        return True

    return push


async def push_forever(
    bot: Bot, sessions: sessionmaker[Session], poll_seconds: float = DEFAULT_POLL_SECONDS
) -> None:
    """Pushes Telegram's outbox every ``poll_seconds`` until cancelled."""
    await push_outbox_forever(sessions, CHANNEL, sender_for(bot), poll_seconds)
