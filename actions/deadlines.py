"""Deadlines that need the person's own date: ask for it, then answer with the date and article.

One small form (`deadline_form`, one slot `event_date`) serves every deadline topic. The
topic comes from the intent (slot `deadline_topic`, mapped in the domain); the rule itself
lives in `knowledge.deadlines`. A date already in the question is used at once; a question
without one first gets the general rule, then the date question. A deadline asked inside
another form (the residence-permit questions) is answered, then that form resumes.

Every rule is given today's date in China, so a deadline already past is said to be past
(with the request button of `actions.faq.tell`), and JSNU's configured semester holidays
(`SEMESTER_HOLIDAYS`, read by `semester_holidays()`, Art. 9).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, language, today
from actions.faq import (
    answer_for,
    ask_university,
    general_answer,
    tell,
    university_decides,
    with_institution_answer,
)
from actions.loops import ListeningFormValidation, resume_interrupted_form
from actions.parsing import asks_when, find_date, read_date, registration_event
from config.settings import load_settings
from knowledge import (
    Decision,
    conference_contact_deadline,
    extension_application_deadline,
    medical_examination_deadline,
    new_student_payment_deadline,
    registration_deadline,
    residence_permit_application_deadline,
    stay_permit_request_deadline,
    transfer_deadline,
    zero_entry_travel_deadline,
)
from knowledge.core import Period

# (institution, the person's date, today or None for the bare rule, the question's words)
Compute = Callable[[str, date, date | None, str], Decision]


def _registration(code: str, day: date, on: date | None, question: str) -> Decision:
    """Temporary registration, counted from what the question names (CPU Art. 4: entry into
    China, a new passport or a change of address; entry when it names none)."""
    return registration_deadline(code, registration_event(question), day, on)


def semester_holidays() -> tuple[Period, ...]:
    """The holidays the office configured (``SEMESTER_HOLIDAYS``), for JSNU Art. 9."""
    return tuple(Period(first, last) for first, last in load_settings().semester_holidays)


def _extension(code: str, day: date, on: date | None, question: str) -> Decision:
    return extension_application_deadline(code, day, on, semester_holidays())


def _zero_entry(code: str, day: date, on: date | None, question: str) -> Decision:
    return zero_entry_travel_deadline(code, day, on, semester_holidays())


def _plain(rule: Callable[[str, date, date | None], Decision]) -> Compute:
    """A rule that needs only the institution, the date and today."""
    return lambda code, day, on, question: rule(code, day, on)


@dataclass(frozen=True)
class DeadlineTopic:
    """A deadline question: the rule that computes it and which way its date usually lies."""

    topic: str
    compute: Compute
    date_in_past: bool  # entry or arrival: "1 September" means the last one, not the next


DEADLINE_TOPICS: Final[Mapping[str, DeadlineTopic]] = MappingProxyType({
    entry.topic: entry
    for entry in (
        DeadlineTopic("residence_permit_application",
                      _plain(residence_permit_application_deadline), date_in_past=True),
        DeadlineTopic("temporary_registration", _registration, date_in_past=True),
        DeadlineTopic("extension_application", _extension, date_in_past=False),
        DeadlineTopic("transfer", _plain(transfer_deadline), date_in_past=True),
        DeadlineTopic("zero_entry_travel", _zero_entry, date_in_past=False),
        DeadlineTopic("international_conference", _plain(conference_contact_deadline),
                      date_in_past=False),
        DeadlineTopic("stay_permit", _plain(stay_permit_request_deadline), date_in_past=False),
        DeadlineTopic("medical_examination", _plain(medical_examination_deadline),
                      date_in_past=False),
        DeadlineTopic("payment_before_visa", _plain(new_student_payment_deadline),
                      date_in_past=True),
    )
})

def _topic_of(tracker: Tracker) -> DeadlineTopic | None:
    return DEADLINE_TOPICS.get(str(tracker.get_slot("deadline_topic")))


def _is_the_question(tracker: Tracker, topic: DeadlineTopic) -> bool:
    """Whether the latest message asks this deadline (rather than answering the form).

    Read from the intent, not from `requested_slot`: a deadline asked inside another form
    finds that form's question still in `requested_slot`.
    """
    return (tracker.latest_message.get("intent") or {}).get("name") == topic.topic


def _general_only(tracker: Tracker, topic: DeadlineTopic) -> Decision | None:
    """The general rule, when the question itself gives no date ("by when must I register
    a new address?"): it is answered with the rule (and, where the documents set the
    deadline, an invitation to give one's own date), and nothing is asked. Where they set
    none, a question that asks no time ("I am suspending my studies: what happens to my
    permit?") gets the rule too; one that asks when gets None (nothing to work out, and
    the answer says the documents are silent)."""
    if not _is_the_question(tracker, topic):
        return None
    text = tracker.latest_message.get("text") or ""
    if find_date(text, today(), language(tracker), topic.date_in_past) is not None or \
            _dated_question(tracker, topic) is not None:
        return None
    code = institution(tracker)
    if not _is_covered(topic, code) and asks_when(text):
        return None
    return general_answer(topic.topic, code)


def _university_decides(tracker: Tracker, topic: DeadlineTopic) -> bool:
    """On the question itself: the person never named a university, the default one sets no
    such deadline, and another's documents answer the topic (then the university is asked)."""
    if not _is_the_question(tracker, topic) or _is_covered(topic, institution(tracker)):
        return False
    question = tracker.latest_message.get("text") or ""
    decision = answer_for(topic.topic, question, institution(tracker))
    return decision is not None and university_decides(tracker, topic.topic, question, decision)


def _is_covered(topic: DeadlineTopic, code: str) -> bool:
    """Whether the institution's documents set this deadline at all (tried on any date, with
    no day of the question, so a past date does not count as "not covered")."""
    return topic.compute(code, today(), None, "").covered


def _intent_of(event: Mapping[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def question_text(tracker: Tracker, topic: DeadlineTopic) -> str:
    """The words of the message that asked this deadline (the date may come in a later one);
    asked again without a date, also those of the earlier question that gave it."""
    latest = str(tracker.latest_message.get("text") or "")
    for event in reversed(tracker.events):
        if event.get("event") == "user" and _intent_of(event) == topic.topic:
            latest = str(event.get("text") or "")
            break
    dated = _dated_question(tracker, topic)
    return f"{dated[1]}\n{latest}" if dated is not None else latest


def _dated_question(tracker: Tracker, topic: DeadlineTopic) -> tuple[date, str] | None:
    """When the latest message asks this deadline without a date: the date an earlier question
    on it in this conversation gave, with that question's words ("I got my new passport on
    10 April" ... "so do I have to register again, by when?"). None when the latest message
    gives a date itself or names another event (a move after a new passport's date)."""
    lang, latest = language(tracker), str(tracker.latest_message.get("text") or "")
    if not _is_the_question(tracker, topic) or \
            find_date(latest, today(), lang, topic.date_in_past) is not None:
        return None
    earlier = False
    for event in reversed(tracker.events):
        if event.get("event") in ("session_started", "restart"):
            return None
        if event.get("event") != "user":
            continue
        if not earlier:  # the latest message itself
            earlier = True
            continue
        text = str(event.get("text") or "")
        if _intent_of(event) != topic.topic or \
                registration_event(latest) not in ("entry", registration_event(text)):
            continue
        found = find_date(text, today(), lang, topic.date_in_past)
        if found is not None:
            return found, text
    return None


class ValidateDeadlineForm(ListeningFormValidation):
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
        if _general_only(tracker, topic) is not None:
            return []  # a question without a date: the general rule answers it
        return domain_slots

    async def extract_event_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """On the question itself, a date written in it answers the form at once."""
        topic = _topic_of(tracker)
        if topic is None or not _is_the_question(tracker, topic):
            return {}
        text = tracker.latest_message.get("text") or ""
        # Asked again with a date that names no year ("不对，是9月12号入境的"): the year of the
        # date the earlier answer used.
        found = find_date(text, today(), language(tracker), topic.date_in_past,
                          near=_stored_date(tracker))
        dated = _dated_question(tracker, topic) if found is None else None
        if dated is not None:  # asked again: the date the earlier question gave
            found = dated[0]
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
    """Answers with the deadline date and its articles, or says the documents are silent;
    a form the deadline question interrupted resumes."""

    def name(self) -> str:
        return "action_answer_deadline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic, lang, code = _topic_of(tracker), language(tracker), institution(tracker)
        if topic is None:
            dispatcher.utter_message(response="utter_default")
            return []
        if _university_decides(tracker, topic):
            ask_university(dispatcher, lang)
            return [SlotSet("event_date", None)]
        general = _general_only(tracker, topic)
        if general is not None:
            tell(dispatcher, general, lang, topic.topic)
            if _is_covered(topic, code):
                dispatcher.utter_message(response="utter_tell_me_your_case")
            return [SlotSet("event_date", None),
                    *resume_interrupted_form(tracker, domain, "deadline_form")]
        text = tracker.latest_message.get("text") or ""
        # "actually I arrived on 5 September" after an answer corrects the date (in the year
        # of the date it corrects, when it names none).
        earlier = _stored_date(tracker)
        day = find_date(text, today(), lang, topic.date_in_past, near=earlier) or earlier
        decision = topic.compute(code, day or today(), today(), question_text(tracker, topic))
        if day is None and decision.covered:
            dispatcher.utter_message(response="utter_default")
            return []
        tell(dispatcher, with_institution_answer(decision, topic.topic, code), lang, topic.topic)
        return [SlotSet("event_date", day.isoformat() if day else None),
                *resume_interrupted_form(tracker, domain, "deadline_form")]
