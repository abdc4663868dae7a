"""Following up requests: status, cancelling, notes — each person sees only their own cases."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.conversation import language
from actions.loops import ListeningFormValidation
from actions.requests import MAX_ANSWER_LENGTH, NOTE_SLOTS, latest_text
from actions.store import StoreUnavailable, in_store, say_unreachable, the_person
from casestore.case_types import CASE_TYPES, OPEN_STATUSES, STATUSES
from casestore.cases import (
    add_note,
    cancel_case,
    case_by_reference,
    cases_of,
    find_reference,
    latest_office_message,
)
from casestore.models import Case
from reminders.schedule import china_clock


def case_line(case: Case, lang: str) -> str:
    """One line of a listing: reference, type, status and date."""
    kind = CASE_TYPES[case.type].label.get(lang) if case.type in CASE_TYPES else case.type
    status = STATUSES[case.status].get(lang) if case.status in STATUSES else case.status
    return f"• {case.reference} — {kind} — {status} ({case.created_at:%Y-%m-%d})"


def case_detail(case: Case, lang: str) -> tuple[str, dict[str, str]]:
    """The response that shows a case with its status, checklist and the office's latest
    message to the person, for "what's the status of CPU-2026-000001?", and its values."""
    values = {
        "reference": case.reference,
        "type": CASE_TYPES[case.type].label.get(lang) if case.type in CASE_TYPES else case.type,
        "status": STATUSES[case.status].get(lang) if case.status in STATUSES else case.status,
        "opened": f"{case.created_at:%Y-%m-%d}",
        # Each item starts its own line: a case without a checklist ends after its status.
        "checklist": "".join(
            f"\n{'☑' if item.get('done') else '☐'} {item.get(lang) or item.get('en')} "
            f"({(lang == 'zh' and item.get('source_zh')) or item.get('source')})"
            for item in case.checklist
        ),
    }
    # People the office cannot push messages to (web, REST) read its notes and replies here.
    told = latest_office_message(case)
    if told is None:
        return "utter_case_detail", values
    return "utter_case_detail_and_office_message", {
        **values, "at": china_clock(told.at), "message": str(told.note)}


def own_case_detail(
    session: Session, tracker: Tracker, reference: str, lang: str
) -> tuple[str, dict[str, str]] | None:
    """The person's case ``reference`` in detail (as `case_detail` gives it), None when it
    is not theirs."""
    case = case_by_reference(session, the_person(session, tracker), reference)
    return case_detail(case, lang) if case is not None else None


def own_case_lines(session: Session, tracker: Tracker, lang: str) -> list[str]:
    """One line for each of the person's cases."""
    return [case_line(case, lang) for case in cases_of(session, the_person(session, tracker))]


class ActionCaseStatus(Action):
    """Lists the person's own requests, or shows one of them when the message names it."""

    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang, reference = language(tracker), find_reference(latest_text(tracker))
        try:
            if reference is not None:
                detail = await in_store(own_case_detail, tracker, reference, lang)
            else:
                lines = await in_store(own_case_lines, tracker, lang)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        if reference is not None:
            if detail is None:
                dispatcher.utter_message(response="utter_case_not_yours", reference=reference)
            else:
                response, values = detail
                dispatcher.utter_message(response=response, **values)
        elif not lines:
            dispatcher.utter_message(response="utter_no_cases")
        else:
            dispatcher.utter_message(response="utter_your_cases", cases="\n".join(lines))
        return []


def cancel_own_case(
    session: Session, tracker: Tracker, reference: str | None, lang: str
) -> tuple[str, dict[str, str]]:
    """Cancels the person's case ``reference`` if it is still open.

    Returns the response to answer with and its values; with no reference, the open cases
    to choose from.
    """
    person = the_person(session, tracker)
    if reference is None:
        open_cases = [c for c in cases_of(session, person) if c.status in OPEN_STATUSES]
        if not open_cases:
            return "utter_case_nothing_to_cancel", {}
        return "utter_case_which_to_cancel", {
            "reference": open_cases[0].reference,
            "cases": "\n".join(case_line(c, lang) for c in open_cases)}
    case = case_by_reference(session, person, reference)
    if case is None:
        return "utter_case_not_yours", {"reference": reference}
    if case.status not in OPEN_STATUSES:
        return "utter_case_too_late_to_cancel", {"reference": reference,
                                                 "status": STATUSES[case.status].get(lang)}
    cancel_case(session, case, actor=f"person:{person.id}")
    return "utter_case_cancelled", {"reference": reference}


class ActionCancelRequest(Action):
    """Cancels one of the person's own open requests, named by its reference."""

    def name(self) -> str:
        return "action_cancel_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang, reference = language(tracker), find_reference(latest_text(tracker))
        try:
            response, values = await in_store(cancel_own_case, tracker, reference, lang)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return []
        dispatcher.utter_message(response=response, **values)
        return []


def own_reference(session: Session, tracker: Tracker, text: str) -> str | None:
    """The person's case that ``text`` names; with no reference, their only case, if one."""
    reference = find_reference(text)
    person = the_person(session, tracker)
    if reference is not None:
        case = case_by_reference(session, person, reference)
        return case.reference if case is not None else None
    cases = cases_of(session, person)
    return cases[0].reference if len(cases) == 1 else None


# The colon that ends "add a note to CPU-2026-000005:" or "补充一下：" (not one inside a time).
_NOTE_COLON = re.compile(r"(?<!\d)[:：]|[:：](?!\d)")


def inline_note(text: str) -> str | None:
    """The note written after a colon: "add a note to CPU-2026-000005: my flight changed",
    "add a note: I can come at 9", "补充一下：我已经报案了"."""
    colon = _NOTE_COLON.search(text)
    return (text[colon.end():].strip()[:MAX_ANSWER_LENGTH] or None) if colon else None


class ActionNewNote(Action):
    """Starts adding a note: the request the message names (or the person's only one)."""

    def name(self) -> str:
        return "action_new_note"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        try:
            reference = await in_store(own_reference, tracker, text)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return [FollowupAction("action_listen")]  # no note form to fill now
        # A button's payload ('/add_case_note{"reference":"CPU-2026-000005"}') names the
        # request but holds no note: the form asks for it.
        note = None if text.startswith("/") else inline_note(text)
        return [SlotSet("note_reference", reference), SlotSet("note_text", note)]


class ValidateNoteForm(ListeningFormValidation):
    """Checks that the note goes to one of the person's own requests."""

    def name(self) -> str:
        return "validate_note_form"

    async def validate_note_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        typed = find_reference(str(value or ""))
        try:
            reference = await in_store(own_reference, tracker, typed) if typed else None
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return {"note_reference": None}
        if typed is None:
            dispatcher.utter_message(response="utter_note_no_reference")
        elif reference is None:
            dispatcher.utter_message(response="utter_case_not_yours", reference=typed)
        return {"note_reference": reference}

    def validate_note_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text) > MAX_ANSWER_LENGTH:
            dispatcher.utter_message(response="utter_request_too_long",
                                     limit=MAX_ANSWER_LENGTH)
            return {"note_text": None}
        return {"note_text": text or None}


def add_own_note(session: Session, tracker: Tracker, reference: str, text: str) -> bool:
    """Adds ``text`` to the person's case ``reference``; False when there is no such case
    of theirs (or no text)."""
    person = the_person(session, tracker)
    case = case_by_reference(session, person, reference) if reference else None
    if case is None or not text:
        return False
    add_note(session, case, actor=f"person:{person.id}", text=text)
    return True


class ActionAddCaseNote(Action):
    """Adds the note to the person's request (never to someone else's)."""

    def name(self) -> str:
        return "action_add_case_note"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reference = str(tracker.get_slot("note_reference") or "")
        text = str(tracker.get_slot("note_text") or "")
        try:
            added = await in_store(add_own_note, tracker, reference, text)
        except StoreUnavailable:
            say_unreachable(dispatcher, tracker)
            return [SlotSet(slot, None) for slot in NOTE_SLOTS]
        if not added:
            dispatcher.utter_message(response="utter_case_not_yours", reference=reference or "—")
        else:
            dispatcher.utter_message(response="utter_note_added", reference=reference)
        return [SlotSet(slot, None) for slot in NOTE_SLOTS]

