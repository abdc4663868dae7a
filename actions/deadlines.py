"""Deadlines that need the person's own date: ask for it, then answer with the date and article.

One small form (`deadline_form`, one slot `event_date`) serves every deadline topic. The
topic comes from the intent (slot `deadline_topic`, mapped in the domain); the rule itself
lives in `knowledge.deadlines`. A date already in the question is used at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, language, today
from actions.parsing import parse_date
from knowledge import (
    Decision,
    conference_contact_deadline,
    extension_application_deadline,
    registration_deadline,
    residence_permit_application_deadline,
    stay_permit_request_deadline,
    transfer_deadline,
    zero_entry_travel_deadline,
)


def _registration_after_entry(code: str, day: date) -> Decision:
    """Temporary registration counted from moving in after entering China."""
    return registration_deadline(code, "entry", day)


@dataclass(frozen=True)
class DeadlineTopic:
    """A deadline question: the rule that computes it and which way its date usually lies."""

    topic: str
    compute: Callable[[str, date], Decision]
    date_in_past: bool  # entry or arrival: "1 September" means the last one, not the next


DEADLINE_TOPICS: Final[Mapping[str, DeadlineTopic]] = MappingProxyType({
    entry.topic: entry
    for entry in (
        DeadlineTopic("residence_permit_application", residence_permit_application_deadline,
                      date_in_past=True),
        DeadlineTopic("temporary_registration", _registration_after_entry, date_in_past=True),
        DeadlineTopic("extension_application", extension_application_deadline,
                      date_in_past=False),
        DeadlineTopic("transfer", transfer_deadline, date_in_past=True),
        DeadlineTopic("zero_entry_travel", zero_entry_travel_deadline, date_in_past=False),
        DeadlineTopic("international_conference", conference_contact_deadline,
                      date_in_past=False),
        DeadlineTopic("stay_permit", stay_permit_request_deadline, date_in_past=False),
    )
})

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_YEAR = r"(?:,?\s*\d{4})?"
_DATE_PATTERNS: Final[tuple[re.Pattern[str], ...]] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}",
    r"(?:\d{4}\s*年\s*|明年|今年|去年|后年)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b{_YEAR}",
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b{_YEAR}",
    r"\b(?:today|tomorrow|yesterday)\b|今天|明天|后天|昨天",
    r"\b(?:next|this|last)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    r"(?:下|本|这)个?(?:周|星期|礼拜)[一二三四五六日天]",
))
_HAS_YEAR = re.compile(r"\d{4}|明年|今年|去年|后年")


def find_date(text: str, on: date, lang: str = "en", in_past: bool = False) -> date | None:
    """The first date written in a sentence ("I entered on 1 September", "我9月1日入境").

    Only explicit dates and named relative days count, so a question without one gives
    None. Without a year, ``in_past`` reads the date as the last such day, not the next.
    """
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        found = parse_date(match.group(), on, lang)
        if found is None:
            continue
        if in_past and found > on and not _HAS_YEAR.search(match.group()):
            found = found.replace(year=found.year - 1)
        return found
    return None


def read_date(text: str, on: date, lang: str = "en", in_past: bool = False) -> date | None:
    """A date from an answer: a date inside the sentence, else the whole answer read as one."""
    return find_date(text, on, lang, in_past) or parse_date(text, on, lang)


def _topic_of(tracker: Tracker) -> DeadlineTopic | None:
    return DEADLINE_TOPICS.get(str(tracker.get_slot("deadline_topic")))


def _is_covered(topic: DeadlineTopic, code: str) -> bool:
    """Whether the institution's documents set this deadline at all (tried on any date)."""
    return topic.compute(code, today()).covered


class ValidateDeadlineForm(FormValidationAction):
    """Takes the date from the question when it has one, asks for it otherwise."""

    def name(self) -> str:
        return "validate_deadline_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        topic = _topic_of(tracker)
        if topic is None or not _is_covered(topic, institution(tracker)):
            return []  # nothing to compute: action_answer_deadline says why
        return domain_slots

    async def extract_event_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """On the question itself, a date written in it answers the form at once."""
        topic = _topic_of(tracker)
        if tracker.get_slot("requested_slot") is not None or topic is None:
            return {}
        text = tracker.latest_message.get("text") or ""
        found = find_date(text, today(), language(tracker), topic.date_in_past)
        # A date left from an earlier question must not answer this one.
        return {"event_date": found.isoformat() if found else None}

    def validate_event_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"event_date": None}
        topic = _topic_of(tracker)
        in_past = topic.date_in_past if topic else False
        found = read_date(str(value), today(), language(tracker), in_past)
        if found is None:
            dispatcher.utter_message(response="utter_invalid_date")
            return {"event_date": None}
        return {"event_date": found.isoformat()}


class ActionAskEventDate(Action):
    """Asks for the date the topic counts from, in the topic's own words."""

    def name(self) -> str:
        return "action_ask_event_date"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic = _topic_of(tracker)
        name = topic.topic if topic else "residence_permit_application"
        dispatcher.utter_message(response=f"utter_ask_date_{name}")
        return []


def _stored_date(tracker: Tracker) -> date | None:
    value = tracker.get_slot("event_date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class ActionAnswerDeadline(Action):
    """Answers with the deadline date and its articles, or says the documents are silent."""

    def name(self) -> str:
        return "action_answer_deadline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic, lang, code = _topic_of(tracker), language(tracker), institution(tracker)
        if topic is None:
            dispatcher.utter_message(response="utter_default")
            return []
        text = tracker.latest_message.get("text") or ""
        # "actually I arrived on 5 September" after an answer corrects the date.
        day = find_date(text, today(), lang, topic.date_in_past) or _stored_date(tracker)
        decision = topic.compute(code, day or today())
        if day is None and decision.covered:
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(text=decision.render(lang))
        if not decision.covered:
            dispatcher.utter_message(response="utter_offer_request")
        return [SlotSet("event_date", day.isoformat() if day else None)]
