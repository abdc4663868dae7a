"""What an action needs to know about the conversation: who, in which language, where, when."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rasa_sdk import Tracker

from config.settings import load_settings
from knowledge import INSTITUTION_CODES, find_institution
from knowledge.core import CHINA_TIME

# The regulations count days in China's calendar, whatever the server's zone.
LANGUAGES = ("en", "zh")
SUMMARY_MESSAGES = 5  # the person's latest messages passed on to the office


@dataclass(frozen=True)
class Speaker:
    """The person behind a conversation, as the case store keys them."""

    channel: str
    channel_user_id: str


def today() -> date:
    """Today's date in China."""
    return datetime.now(CHINA_TIME).date()


def language(tracker: Tracker) -> str:
    """The language to answer in: the `language` slot, English when unknown."""
    value = tracker.get_slot("language")
    return value if value in LANGUAGES else "en"


def metadata(tracker: Tracker) -> dict[str, Any]:
    """Metadata the channel attached to the latest message (empty when none)."""
    value = tracker.latest_message.get("metadata") if tracker.latest_message else None
    return value if isinstance(value, dict) else {}


def speaker(tracker: Tracker) -> Speaker:
    """Channel and user id of the person, as the channel that delivered the message names
    them (engine/serving/channels.py): never what the message's metadata claims."""
    channel = tracker.get_latest_input_channel() or "rest"
    return Speaker(channel=str(channel), channel_user_id=tracker.sender_id)


def message_key(tracker: Tracker) -> str | None:
    """A key that is the same when a channel delivers one message twice.

    Bridges pass their own message id (Telegram's update id) in the metadata;
    otherwise Rasa's message id identifies the message.
    """
    key = metadata(tracker).get("message_id") or (tracker.latest_message or {}).get("message_id")
    return f"{speaker(tracker).channel}:{tracker.sender_id}:{key}" if key else None


@functools.cache
def default_institution() -> str:
    """The deployment's institution, from DEFAULT_INSTITUTION."""
    return load_settings().default_institution


def institution(tracker: Tracker) -> str:
    """The institution whose rules apply: the one known for this conversation (see
    `known_institution`), else the deployment's default."""
    return known_institution(tracker) or default_institution()


def known_institution(tracker: Tracker) -> str | None:
    """The university the person named or chose, else the one whose page the chat is on;
    None when neither is known.

    The slot holds a code (engine/context.py reads names as codes); a name that slipped in
    some other way ("Jiangsu Normal", "西湖大学") is read with `find_institution`. A page
    says its university in the widget's ``data-university`` (bot/web/static/embed.js), which
    the widget sends as metadata with every message.
    """
    for value in (tracker.get_slot("institution"), metadata(tracker).get("university")):
        if value in INSTITUTION_CODES:
            return str(value)
        named = find_institution(value) if isinstance(value, str) else None
        if named:
            return named
    return None


def conversation_summary(tracker: Tracker, count: int = SUMMARY_MESSAGES) -> list[str]:
    """The person's last ``count`` typed messages before the latest one, oldest first.

    Button payloads ("/affirm") are left out: they say nothing to a member of staff. A
    message the fallback rewound (and replayed once clarified) counts once.
    """
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
        elif event.get("event") == "rewind" and texts:
            texts.pop()
    typed = [text for text in texts[:-1] if text and not text.startswith("/")]
    return typed[-count:]


def previous_turn(tracker: Tracker) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The person's message before the latest one, and the assistant's actions and messages
    that answered it (every event between the two); (None, []) before a second message."""
    events = list(tracker.events)
    said = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if len(said) < 2:
        return None, []
    answer = [event for event in events[said[-2] + 1:said[-1]]
              if event.get("event") in ("bot", "action")]
    return events[said[-2]], answer
