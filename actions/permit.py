"""How long will my residence permit be? (CPU Article 6, through `knowledge`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, language, today
from actions.facts import NOT_PAID
from actions.faq import tell
from actions.loops import ListeningFormValidation, resume_interrupted_form
from actions.parsing import parse_choice, parse_date, parse_percentage, parse_yes_no
from actions.permit_text import stated_permit_dates, stated_permit_facts
from knowledge import PermitFacts, missing_permit_facts, residence_permit_validity
from knowledge.permits import academic_year_start

# Slots carry the PermitFacts field names, so the form asks for exactly what
# `missing_permit_facts` says is still needed.
PERMIT_SLOTS = (
    "student_status",
    "programme",
    "paid",
    "attendance_percent",
    "final_year",
    "needs_courses_or_lab",
    "approval_date",
    "lease_end",
    "insurance_end",
    "academic_year",  # never asked: read from the question (a named academic year)
)
DATE_SLOTS = ("approval_date", "lease_end", "insurance_end")

CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "student_status": {
        "new": ("new", "first year", "just arrived", "incoming", "新生", "刚入学", "刚来"),
        "returning": ("returning", "continuing", "old student", "second year", "老生", "在读"),
        "delayed_graduation": ("delay", "extended study", "延期", "延毕"),
    },
    "programme": {
        "degree": ("degree", "bachelor", "master", "phd", "doctor", "undergraduate",
                   "学历", "本科", "硕士", "博士", "研究生"),
        "language": ("language", "preparatory", "foundation", "chinese course", "preppie",
                     "语言", "进修", "预科"),
    },
    "paid": {
        "year": ("year", "annual", "全年", "学年", "一年"),
        "semester": ("semester", "half", "term", "学期", "半年"),
        # A short answer to "how much have you paid?" also says it with "nothing" or "还没".
        "none": (*NOT_PAID, "haven't", "have not", "nothing", "还没"),
    },
}


def _as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _named_year(value: Any) -> int | None:
    """The academic year the person named, when it is this one or a later one (a year gone
    by says nothing about the permit to come)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return int(value) if int(value) >= academic_year_start(today()) else None


def _known(tracker: Tracker, slot: str) -> str | None:
    """A choice slot's value, or None while it still holds unvalidated free text."""
    value = tracker.get_slot(slot)
    return value if value in CHOICES[slot] else None


def _rate(value: Any) -> float | None:
    """A validated rate, or one an entity gave as text ("85%")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return parse_percentage(value) if isinstance(value, str) else None


def _flag(value: Any) -> bool | None:
    """A validated yes/no, or one an entity gave as text ("false" from "not final year")."""
    if isinstance(value, bool):
        return value
    return parse_yes_no(value) if isinstance(value, str) else None


def permit_facts(tracker: Tracker) -> PermitFacts:
    """The Article 6 facts gathered so far; unknown or unreadable ones are None.

    The SDK asks for the required slots before it validates the latest answer, and
    validates only the slots it then still requires. So a value is read here the same way
    validation reads it: facts given all at once in the first question ("attendance 85%,
    not final year") count at once, and free text that says nothing reads as "not known yet".
    """
    return PermitFacts(
        institution=institution(tracker),
        student_status=_known(tracker, "student_status"),
        programme=_known(tracker, "programme"),
        paid=_known(tracker, "paid"),
        attendance_percent=_rate(tracker.get_slot("attendance_percent")),
        final_year=_flag(tracker.get_slot("final_year")),
        needs_courses_or_lab=_flag(tracker.get_slot("needs_courses_or_lab")),
        approval_date=_as_date(tracker.get_slot("approval_date")),
        lease_end=_as_date(tracker.get_slot("lease_end")),
        insurance_end=_as_date(tracker.get_slot("insurance_end")),
        academic_year=_named_year(tracker.get_slot("academic_year")),
    )


class ValidatePermitDurationForm(ListeningFormValidation):
    """Asks only for the facts the rule still needs, and reads free-text answers."""

    def name(self) -> str:
        return "validate_permit_duration_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Facts the message states in so many words replace what the tagger made of them.

        When the form starts, the facts the person gave for an earlier answer in this
        conversation still hold ("so with the delayed graduation, how long?" asks nothing the
        person already said); this message's own facts win over them.
        """
        text = tracker.latest_message.get("text") or ""
        said = {**stated_permit_facts(text),
                **stated_permit_dates(text, today(), language(tracker))}
        if tracker.get_slot("requested_slot") is None:
            earlier = {slot: value for slot, value in answered_facts(tracker).items()
                       if tracker.get_slot(slot) is None}
            said = {**earlier, **said}
        stated = [SlotSet(slot, value) for slot, value in said.items()]
        tracker.add_slots(stated)
        return [*stated, *await super().run(dispatcher, tracker, domain)]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return list(missing_permit_facts(permit_facts(tracker)))

    def _choice(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> dict[str, Any]:
        """The option ``value`` names; an unreadable answer to this very question is re-asked.

        A value the entity tagger put in the wrong slot while reading several facts at once
        ("paid the whole year, not final year" tagging "final year" as payment) is dropped
        quietly: the form asks for that slot later if it is still missing.
        """
        options = CHOICES[slot]
        # A whole statement is read by its patterns first ("both semesters paid" is the year,
        # though it says "semester"); a short answer by its keywords.
        choice = value if value in options else \
            stated_permit_facts(str(value)).get(slot) or parse_choice(str(value), options)
        if choice is None and tracker.get_slot("requested_slot") == slot:
            dispatcher.utter_message(response="utter_invalid_choice")
        return {slot: choice}

    def validate_student_status(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._choice("student_status", value, dispatcher, tracker)

    def validate_programme(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._choice("programme", value, dispatcher, tracker)

    def validate_paid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._choice("paid", value, dispatcher, tracker)

    def validate_attendance_percent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        rate = float(value) if isinstance(value, int | float) else parse_percentage(str(value))
        if rate is None or not 0 <= rate <= 100:
            dispatcher.utter_message(response="utter_invalid_attendance")
            return {"attendance_percent": None}
        return {"attendance_percent": rate}

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        answer = value if isinstance(value, bool) else parse_yes_no(str(value))
        if answer is None:
            dispatcher.utter_message(response="utter_invalid_choice")
        return {slot: answer}

    def validate_final_year(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._yes_no("final_year", value, dispatcher)

    def validate_needs_courses_or_lab(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._yes_no("needs_courses_or_lab", value, dispatcher)

    def _date(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        parsed = parse_date(str(value), today(), language(tracker))
        if parsed is None:
            dispatcher.utter_message(response="utter_invalid_date")
            return {slot: None}
        return {slot: parsed.isoformat()}

    def validate_approval_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._date("approval_date", value, dispatcher, tracker)

    def validate_lease_end(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._date("lease_end", value, dispatcher, tracker)

    def validate_insurance_end(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._date("insurance_end", value, dispatcher, tracker)


class ActionPermitDuration(Action):
    """Answers with the permit's end date or length and the article, then forgets the facts
    (and resumes a form the question interrupted)."""

    def name(self) -> str:
        return "action_permit_duration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        facts = permit_facts(tracker)
        if missing_permit_facts(facts):
            # Reached without a complete form (e.g. a story jumped here): ask again.
            dispatcher.utter_message(response="utter_default")
            return []
        decision = residence_permit_validity(facts, today())
        tell(dispatcher, decision, language(tracker))
        # Payment and attendance change every term: the next question starts afresh.
        return [*(SlotSet(slot, None) for slot in PERMIT_SLOTS),
                *resume_interrupted_form(tracker, domain, "permit_duration_form")]


def answered_facts(tracker: Tracker) -> dict[str, Any]:
    """The permit facts as they were when the last answer was given (before it forgot them)."""
    values: dict[str, Any] = {}
    answered: dict[str, Any] = {}
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") in PERMIT_SLOTS:
            values[str(event["name"])] = event.get("value")
        elif event.get("event") == "action" and event.get("name") == "action_permit_duration":
            answered = dict(values)
    return {slot: value for slot, value in answered.items() if value is not None}


class ActionRestorePermitFacts(Action):
    """After an answer, "actually my attendance is 78%": the earlier facts with the correction.

    The facts this message gives (already set from its entities) win over the earlier ones;
    the form then checks them and answers again at once.
    """

    def name(self) -> str:
        return "action_restore_permit_facts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return [SlotSet(slot, value) for slot, value in answered_facts(tracker).items()
                if tracker.get_slot(slot) is None]
