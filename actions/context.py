"""Who is talking, in which language and at which university: read from every message.

`action_read_context` is the custom slot mapping of the `language`, `preferred_language`
and `institution` slots, so Rasa runs it after each user message, before any prediction.
The reply language is, in this order: the language the user just asked for ("please answer
in English", "请用中文"), the language the channel says the user picked (metadata), the
language the user chose earlier, the script of this message, the conversation's language.
"""

from __future__ import annotations

import re
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import LANGUAGES, metadata
from knowledge import find_institution

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


def _entity_values(tracker: Tracker, entity: str) -> list[str]:
    entities = tracker.latest_message.get("entities") or []
    return [str(e.get("value")) for e in entities if e.get("entity") == entity]


def reply_language(tracker: Tracker) -> tuple[str | None, str | None]:
    """The language to answer this message in, and the user's standing choice (if any)."""
    preferred = tracker.get_slot("preferred_language")
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == CHOOSE_LANGUAGE:
        asked = chosen_language(tracker.latest_message.get("text") or "")
        if asked is not None:
            return asked, asked
    picked = metadata(tracker).get("language")
    if picked in LANGUAGES:
        return str(picked), preferred
    if preferred in LANGUAGES:
        return str(preferred), preferred
    detected = [value for value in _entity_values(tracker, "language") if value in LANGUAGES]
    return (detected[-1] if detected else tracker.get_slot("language")), preferred


def named_institution(tracker: Tracker) -> str | None:
    """The university the latest message names (entity first, then the words), as a code."""
    for value in _entity_values(tracker, "institution"):
        code = find_institution(value)  # synonyms map to codes; find_institution reads both
        if code:
            return code
    return find_institution(tracker.latest_message.get("text") or "")


class ActionReadContext(Action):
    """Sets the reply language, a chosen language and a named university from each message."""

    def name(self) -> str:
        return "action_read_context"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        lang, preferred = reply_language(tracker)
        changes: dict[str, Any] = {
            "language": lang,
            "preferred_language": preferred,
            "institution": named_institution(tracker) or tracker.get_slot("institution"),
        }
        for slot, value in changes.items():
            if value is not None and value != tracker.get_slot(slot):
                events.append(SlotSet(slot, value))
        return events
