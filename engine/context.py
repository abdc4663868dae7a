"""Who is talking, in which language and at which university: read from every message.

The Rasa server reads it while it understands the message (``ConversationContext``, the
last component of the pipeline in ``config.yml``), from the message, the channel's metadata
and the slots the conversation already has, and hands it on as entities that the slots
``language``, ``preferred_language`` and ``institution`` map from (``domain.yml``). Reading
it there, not in a custom action, spares a call to the action server for every message.

The reply language is, in this order: the language the person just asked for ("please answer
in English", "请用中文"), the language the channel says they picked (metadata), the language
they chose earlier, the script of this message, the conversation's language.

No Rasa import here (Python 3.10, standard library and ``knowledge``): the tests of ``.venv``
use it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from knowledge import find_institution

LANGUAGES: Final = ("en", "zh")
CHOOSE_LANGUAGE: Final = "choose_language"

_LANGUAGE_WORDS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("en", re.compile(r"english|英文|英语|英語", re.IGNORECASE)),
    ("zh", re.compile(r"chinese|mandarin|中文|汉语|漢語|普通话|华语", re.IGNORECASE)),
)
_NEGATION: Final = re.compile(r"(?:not|n't|no|不要|别|不用|不)\s*(?:\w+\s*){0,2}$", re.IGNORECASE)


def chosen_language(text: str) -> str | None:
    """The language a request like "please answer in English" / "请用中文回答" asks for.

    A language the text turns down ("not in Chinese", "不要用英文") does not count; when
    two remain, the one named first wins.
    """
    found: list[tuple[int, str]] = []
    for code, pattern in _LANGUAGE_WORDS:
        for match in pattern.finditer(text):
            if not _NEGATION.search(text[max(0, match.start() - 12):match.start()]):
                found.append((match.start(), code))
    return min(found)[1] if found else None


@dataclass(frozen=True)
class Message:
    """What the context is read from: one message as the pipeline understood it."""

    text: str
    intent: str | None = None
    detected_languages: Sequence[str] = ()
    """The ``language`` entities found (the channel's choice, else the script)."""
    named_institutions: Sequence[str] = ()
    """The ``institution`` entities found, as written or as their synonym's value."""
    metadata: Mapping[str, Any] | None = None
    slots: Mapping[str, Any] | None = None
    """The conversation's slots before this message (none outside a conversation)."""


@dataclass(frozen=True)
class Context:
    """The values this message gives the three slots; None leaves a slot as it is."""

    language: str | None
    preferred_language: str | None
    institution: str | None


def reply_language(message: Message) -> tuple[str | None, str | None]:
    """The language to answer this message in, and a language the person asked for now."""
    slots = message.slots or {}
    if message.intent == CHOOSE_LANGUAGE:
        asked = chosen_language(message.text)
        if asked is not None:
            return asked, asked
    picked = (message.metadata or {}).get("language")
    if picked in LANGUAGES:
        return str(picked), None
    preferred = slots.get("preferred_language")
    if preferred in LANGUAGES:
        return str(preferred), None
    detected = [value for value in message.detected_languages if value in LANGUAGES]
    return (detected[-1] if detected else None), None


def named_institution(message: Message) -> str | None:
    """The university the message names (an entity first, then the words), as a code."""
    for value in message.named_institutions:
        code = find_institution(value)  # synonyms map to codes; find_institution reads both
        if code:
            return code
    return find_institution(message.text)


def read_context(message: Message) -> Context:
    """The reply language, a language asked for, and a university named, in ``message``."""
    language, preferred = reply_language(message)
    return Context(language, preferred, named_institution(message))
