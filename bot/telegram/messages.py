"""Pure translation between Rasa's replies and Telegram's messages (no I/O).

Telegram limits a message to 4,096 characters counted in UTF-16 code units and a button's
``callback_data`` to 64 bytes; Rasa knows neither limit. The functions here split long
replies on line boundaries, turn Rasa buttons into inline keyboards and build the metadata
the actions read (channel, idempotency key, chosen language).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_UNITS = 4096
MAX_CALLBACK_BYTES = 64
SHORT_BUTTON_TITLE = 16

PAYLOAD_PREFIX = "p:"
"""``callback_data`` that carries the Rasa payload itself."""
KEY_PREFIX = "k:"
"""``callback_data`` that names a payload too long for Telegram, kept by the bridge."""
LANGUAGE_PREFIX = "lang:"
INSTITUTION_PREFIX = "inst:"

CHANNEL = "telegram"


@dataclass(frozen=True)
class Button:
    """One inline button: what the person sees and what a tap sends back."""

    title: str
    callback_data: str


@dataclass(frozen=True)
class Reply:
    """One Telegram message to send: text, and the buttons under it (rows of buttons)."""

    text: str
    keyboard: tuple[tuple[Button, ...], ...] = ()


def utf16_units(text: str) -> int:
    """Length of ``text`` as Telegram counts it (UTF-16 code units: emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> int:
    """Number of characters of ``text`` whose UTF-16 length fits in ``limit``."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut_point(window: str) -> tuple[int, int]:
    """Where to cut a too-long text inside ``window``: (end of chunk, start of the rest).

    A line break is best, then any whitespace; a text without either is cut hard.
    """
    for separator in ("\n", " ", "\t"):
        position = window.rfind(separator)
        if position > 0:
            return position, position + 1
    return len(window), len(window)


def split_text(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` UTF-16 units, on line breaks if it can.

    Blank chunks are dropped (Telegram refuses empty messages); nothing else is lost except
    the whitespace around each cut.
    """
    if limit < 2:
        raise ValueError("limit must allow at least two characters")
    chunks: list[str] = []
    rest = text
    while utf16_units(rest) > limit:
        window = rest[: _longest_prefix(rest, limit)]
        end, start = _cut_point(window)
        chunks.append(rest[:end].rstrip())
        rest = rest[start:].lstrip("\n")
    chunks.append(rest)
    return [chunk for chunk in chunks if chunk.strip()]


def payload_key(payload: str) -> str:
    """A short, stable name for a payload too long to fit in ``callback_data``."""
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def callback_data(payload: str) -> str:
    """What a button carries: the payload itself, or its key when it is too long."""
    inline = PAYLOAD_PREFIX + payload
    if len(inline.encode()) <= MAX_CALLBACK_BYTES:
        return inline
    return KEY_PREFIX + payload_key(payload)


def keyboard_rows(buttons: Sequence[Button]) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out: two per row when every title is short, else one per row."""
    short = all(len(button.title) <= SHORT_BUTTON_TITLE for button in buttons)
    width = 2 if short and len(buttons) > 1 else 1
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))


def _rasa_buttons(reply: Mapping[str, Any]) -> list[Button]:
    """The buttons of one Rasa reply as Telegram buttons (skipping malformed ones)."""
    buttons = []
    for raw in reply.get("buttons") or []:
        title, payload = raw.get("title"), raw.get("payload")
        if isinstance(title, str) and isinstance(payload, str) and payload:
            buttons.append(Button(title, callback_data(payload)))
    return buttons


def long_payloads(replies: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Payloads in ``replies`` that travel as a key: key -> payload, for the bridge to keep."""
    found: dict[str, str] = {}
    for reply in replies:
        for raw in reply.get("buttons") or []:
            payload = raw.get("payload")
            if isinstance(payload, str) and callback_data(payload).startswith(KEY_PREFIX):
                found[payload_key(payload)] = payload
    return found


def _reply_text(reply: Mapping[str, Any]) -> str:
    """The visible text of one Rasa reply; an image is shown as its link."""
    parts = [reply.get("text"), reply.get("image")]
    return "\n".join(part for part in parts if isinstance(part, str) and part.strip())


def to_telegram(replies: Sequence[Mapping[str, Any]]) -> list[Reply]:
    """Rasa's replies as Telegram messages: long texts split, buttons under the last part.

    Buttons of a reply without text get a one-character text so that they can be shown.
    """
    messages: list[Reply] = []
    for reply in replies:
        buttons = _rasa_buttons(reply)
        parts = split_text(_reply_text(reply)) or (["·"] if buttons else [])
        messages.extend(Reply(part) for part in parts[:-1])
        if parts:
            messages.append(Reply(parts[-1], keyboard_rows(buttons)))
    return messages


def choose_language_payload(language: str) -> str:
    """What a language button sends Rasa (the domain's ``choose_language`` intent)."""
    return f'/choose_language{{"language":"{language}"}}'


def choose_institution_payload(code: str) -> str:
    """What a university button sends Rasa (the domain's ``choose_institution`` intent)."""
    return f'/choose_institution{{"institution":"{code}"}}'


def rasa_metadata(chat_id: int, update_id: int, language: str | None) -> dict[str, Any]:
    """Metadata sent with each message to Rasa.

    ``message_id`` is Telegram's update id: a redelivered update carries the same one, so
    the actions' idempotency key stops it from opening a second case. ``language`` is the
    person's explicit /lang choice only: without one, Rasa detects it from the text.
    """
    metadata: dict[str, Any] = {
        "message_id": str(update_id),
        "chat_id": chat_id,
    }
    if language is not None:
        metadata["language"] = language
    return metadata
