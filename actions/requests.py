"""Requests with the office: opening one of any type, following it up, cancelling, adding notes.

One generic form (`request_form`) opens every case type of `casestore.case_types.CASE_TYPES`:
it asks for the type, then for each of that type's `required_fields` through the single
slot `request_value` (the answers gather in `request_facts`), shows a summary, and stores
the case only after the person confirms. `FIELDS` names the response asking each field.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.conversation import (
    conversation_summary,
    institution,
    known_institution,
    language,
    message_key,
    previous_turn,
    speaker,
    today,
)
from actions.faq import offer_case, offered_request, request_payload, topic_of
from actions.loops import ListeningFormValidation
from actions.parsing import find_dates, parse_choice, parse_yes_no, read_date
from actions.permit_text import stated_permit_facts
from actions.person_details import answered_detail, details_in
from actions.places import DESTINATION_CUES, ORIGIN_CUES, place_in
from actions.request_fields import (
    DATE_ORDER,
    FIELDS,
    UNIVERSITY,
    Field,
    asked_fields,
    case_type_in,
    field_for,
    is_date_field,
    known_case_type,
    request_summary,
)
from actions.store import StoreUnavailable, in_store, say_unreachable, the_person
from casestore.case_types import CASE_TYPES, OPEN_STATUSES, checklist_for
from casestore.cases import (
    PERSON_DETAILS,
    CaseError,
    cases_of,
    find_reference,
    get_or_create_person,
    open_case,
    person_details,
    set_person_details,
)
from casestore.notifications import PUSHED_CHANNELS
from knowledge import Text, find_institution, format_date, lost_passport

log = logging.getLogger(__name__)

MAX_ANSWER_LENGTH = 500
REQUEST_SLOTS = ("case_type", "request_value", "request_facts", "request_confirmed")
NOTE_SLOTS = ("note_reference", "note_text")
REMINDER_SLOTS = ("reminder_document", "reminder_expires_on")
# The answer that offers a person (`actions.faq.tell`).
HANDOFF_OFFERS = frozenset({"utter_offer_request"})
# The button that adds a note to a request already open (`offer_note_or_another`).
ADD_NOTE_PAYLOAD = "/add_case_note"
# Actions that open a request without a form, and the type they open.
TALK_TO_PERSON: Final = "talk_to_person"
OPENED_AT_ONCE = MappingProxyType({"action_talk_to_person": TALK_TO_PERSON})
# A request's facts are read from the person's latest message and the ones just before it.
RECENT_MESSAGES = 2
PAST_DATE_FIELDS = frozenset({"noticed_on", "arrived_on"})
# Facts read from a whole sentence by the permit reader, not by an option's keywords (in
# "居留许可延期介绍信" the 延期 is the permit's, not a delayed graduation).
STRICTLY_READ = frozenset({"student_status"})
# Fields that name a place, read from the messages with the words written before it.
PLACE_FIELDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "destination": DESTINATION_CUES, "visitor_country": ORIGIN_CUES})


# The response that tells a person what a "who is it for?" answer needs, by field.
INVALID_ANSWER: Mapping[str, str] = MappingProxyType({
    UNIVERSITY: "utter_request_invalid_option",
    "full_name": "utter_request_invalid_full_name",
    "member_number": "utter_request_invalid_member_number",
    "contact": "utter_request_invalid_contact",
})
# Titles of the buttons under `utter_request_already_open`: labels, not sentences. They stay
# beside their payloads, which are built and read back in code (`ADD_NOTE_PAYLOAD`,
# `actions.faq.request_payload`) and hold JSON that Rasa would take for placeholders.
ADD_NOTE_TITLE = Text("Add a note to {reference}", "补充到 {reference}")
ANOTHER_REQUEST_TITLE = Text("Open another request", "另提交新申请")


def gathered_facts(tracker: Tracker) -> dict[str, str]:
    """The facts answered so far for the request type now in `case_type`."""
    stored = tracker.get_slot("request_facts")
    if not isinstance(stored, dict) or stored.get("case_type") != tracker.get_slot("case_type"):
        return {}
    fields = stored.get("fields")
    return dict(fields) if isinstance(fields, dict) else {}


ASKED = "asked"
"""Key of `request_facts` marking a request the person named or said yes to."""


def asked_for(tracker: Tracker) -> bool:
    """Whether the request being filled is one the person named or said yes to (not one
    they chose from the list of types after "I want to open a request")."""
    stored = tracker.get_slot("request_facts")
    return isinstance(stored, dict) and stored.get(ASKED) is True \
        and stored.get("case_type") == tracker.get_slot("case_type")


def named_university(tracker: Tracker) -> dict[str, str]:
    """``{"university": code}`` once the person named (or chose) one of the universities, or
    the chat is on a university's page.

    Read when a request starts (its type is known), never while the form asks: the answer
    to "which university?" also names one, and must not be taken for the next field."""
    code = known_institution(tracker)
    return {UNIVERSITY: code} if code is not None else {}


def next_field(case_type: str, facts: Mapping[str, str]) -> str | None:
    """The first field a request of ``case_type`` needs that is not answered yet."""
    return next((f for f in asked_fields(case_type) if f not in facts), None)


def carried_facts(tracker: Tracker, case_type: str) -> dict[str, str]:
    """The facts gathered so far that hold for a request of ``case_type``: all of them when
    they were gathered for that type, else only the university and the person's details."""
    stored = tracker.get_slot("request_facts")
    fields = stored.get("fields") if isinstance(stored, dict) else None
    if not isinstance(fields, dict):
        return {}
    if stored.get("case_type") == case_type:
        return dict(fields)
    return {k: v for k, v in fields.items() if k == UNIVERSITY or k in PERSON_DETAILS}


def what_the_store_knows(session: Session, tracker: Tracker, case_type: str | None
                         ) -> tuple[str | None, dict[str, str]]:
    """In one transaction: the reference of the person's open request of ``case_type`` (None
    when there is none, or no type to look for), and their stored name, number and contact."""
    person = the_person(session, tracker)
    open_one = next((case.reference for case in cases_of(session, person)
                     if case.type == case_type and case.status in OPEN_STATUSES), None) \
        if case_type is not None else None
    return open_one, person_details(person)


def checklist_response(
    case_type: str, institution_code: str, lang: str
) -> tuple[str, dict[str, str]]:
    """The response that lists the documents the institution's regulations ask for the type,
    each with its source, and its values (or says they list none)."""
    checklist = checklist_for(case_type, institution_code)
    if not checklist.covered:
        return "utter_case_no_checklist", {"institution_code": institution_code}
    items = "\n".join(f"• {item.text.get(lang)} ({item.source_in(lang)})"
                      for item in checklist.items)
    return "utter_case_checklist", {"institution_code": institution_code, "items": items}


def store_request(
    session: Session, tracker: Tracker, case_type: str, facts: Mapping[str, str]
) -> str:
    """Stores a case for the person of ``tracker``; returns its reference.

    The idempotency key is the latest message's: the confirming one when a form asked.
    """
    who = speaker(tracker)
    university = facts.get(UNIVERSITY) or institution(tracker)
    person = get_or_create_person(
        session,
        channel=who.channel,
        channel_user_id=who.channel_user_id,
        language=language(tracker),
        institution=university,
    )
    set_person_details(person, facts)
    case = open_case(
        session,
        person=person,
        case_type=case_type,
        institution=university,
        facts={k: v for k, v in facts.items() if k != UNIVERSITY and k not in PERSON_DETAILS},
        today=today(),
        idempotency_key=message_key(tracker),
    )
    return case.reference


async def open_request(
    tracker: Tracker, dispatcher: CollectingDispatcher, case_type: str, facts: Mapping[str, str]
) -> str | None:
    """Stores a case for the person and tells them its reference, and how the office's
    answer will reach them (a member of staff replies here, or: ask me, this channel cannot
    be reached).

    Returns the reference, or None (after telling the person) when it could not
    be stored: a request is acknowledged only once it is in the database.
    """
    try:
        reference = await in_store(store_request, tracker, case_type, facts)
    except StoreUnavailable:
        say_unreachable(dispatcher, tracker, opening=True)
        return None
    except (SQLAlchemyError, CaseError):
        log.exception("could not store a %s case", case_type)
        dispatcher.utter_message(response="utter_case_not_stored")
        return None
    dispatcher.utter_message(response="utter_case_opened", reference=reference)
    if speaker(tracker).channel not in PUSHED_CHANNELS:
        dispatcher.utter_message(response="utter_case_not_pushed")
    elif case_type == TALK_TO_PERSON:
        dispatcher.utter_message(response="utter_handoff_next")
    return reference


def latest_text(tracker: Tracker) -> str:
    """The text of the person's latest message."""
    return str((tracker.latest_message or {}).get("text") or "")


def handoff_facts(tracker: Tracker) -> dict[str, str]:
    """What a request for a person carries: the question (the message before the latest,
    which asked for a person) and the person's latest messages."""
    earlier = conversation_summary(tracker)
    latest = latest_text(tracker)
    return {
        "question": earlier[-1] if earlier else latest or "(no question given)",
        "details": "\n".join(f"- {text}" for text in [*earlier, latest] if text),
    }


def _last_answer(tracker: Tracker) -> list[dict[str, Any]]:
    """The assistant's actions and messages between the person's previous message and the
    latest one."""
    return previous_turn(tracker)[1]


def just_opened(tracker: Tracker) -> tuple[str, str] | None:
    """(type, reference) of the request the assistant's last answer opened (a person asked
    for, or the request form sent), None when it opened none."""
    kind = reference = None
    for event in _last_answer(tracker):
        if event.get("event") == "action" and event.get("name") in OPENED_AT_ONCE:
            kind = OPENED_AT_ONCE[str(event["name"])]
        elif event.get("event") == "action" and event.get("name") == "action_submit_request":
            kind = last_case_type(tracker)
        elif (event.get("metadata") or {}).get("utter_action") == "utter_case_opened":
            reference = find_reference(str(event.get("text") or ""))
    return (kind, reference) if kind and reference else None


def last_case_type(tracker: Tracker) -> str | None:
    """The request type the form was filling last (its slot is emptied once it is sent)."""
    chosen = [event.get("value") for event in tracker.events
              if event.get("event") == "slot" and event.get("name") == "case_type"
              and event.get("value")]
    return known_case_type(chosen[-1]) if chosen else None


def offered_case_type(tracker: Tracker) -> str | None:
    """The request the assistant's last answer offered: the one its button opens, or a
    person at the office after "the regulations do not settle your case"; None when it
    offered none (or several)."""
    offered: set[str] = set()
    for event in _last_answer(tracker):
        if event.get("event") != "bot":
            continue
        for button in (event.get("data") or {}).get("buttons") or []:
            case_type = offered_request(str(button.get("payload") or ""))
            if case_type and known_case_type(case_type):
                offered.add(case_type)
        if (event.get("metadata") or {}).get("utter_action") in HANDOFF_OFFERS:
            offered.add(TALK_TO_PERSON)
    return offered.pop() if len(offered) == 1 else None


def facts_from_conversation(tracker: Tracker, case_type: str) -> dict[str, str]:
    """The request's facts that the person's latest messages state: their name, number and
    contact, each multiple-choice field one option of which they name, and the date when
    the type asks for one date only and a message names one. The newest message wins; the
    form asks for the rest, and the summary shows all of them before anything is sent."""
    # A button's payload ('/open_request{"case_type":"lost_document"}') states no fact.
    typed = [latest_text(tracker)] if not latest_text(tracker).startswith("/") else []
    texts = [*typed, *reversed(conversation_summary(tracker, RECENT_MESSAGES))]
    facts: dict[str, str] = {}
    for text in reversed(texts):  # the newest message wins
        facts.update(details_in(text))
    if case_type == TALK_TO_PERSON:
        # The question is what the person said before asking for the office; with nothing
        # before, the form asks for it.
        return {**facts, **handoff_facts(tracker)} if conversation_summary(tracker) else facts
    fields = CASE_TYPES[case_type].required_fields
    for name in fields:
        chosen = _choice_in(case_type, name, texts)
        if chosen is not None:
            facts[name] = chosen
        if name in PLACE_FIELDS:
            place = next(filter(None, (place_in(text, PLACE_FIELDS[name]) for text in texts)),
                         None)
            if place is not None:
                facts[name] = place
    dates = [name for name in fields if is_date_field(name)]
    day = _one_date_in(tracker, texts, dates[0]) if len(dates) == 1 else None
    if day is not None:
        facts[dates[0]] = day
    return facts


def _choice_in(case_type: str, name: str, texts: list[str]) -> str | None:
    """The option of field ``name`` the newest of ``texts`` that names one names."""
    options = field_for(case_type, name).keywords
    if name in STRICTLY_READ:
        read = [stated_permit_facts(text).get(name) for text in texts]
    elif options:
        read = [parse_choice(text, options) for text in texts]
    else:
        return None
    return next((str(value) for value in read if value is not None), None)


def _one_date_in(tracker: Tracker, texts: list[str], name: str) -> str | None:
    """The date of field ``name`` when the newest of ``texts`` with a date names just one."""
    for text in texts:
        mentions = find_dates(text, today(), language(tracker),
                              in_past=name in PAST_DATE_FIELDS)
        if mentions:
            return mentions[0].day.isoformat() if len(mentions) == 1 else None
    return None


def asked_for_another(tracker: Tracker) -> bool:
    """Whether the assistant's last answer was "you already have one open" (so asking for the
    request again means another one)."""
    return any(str(button.get("payload") or "").startswith(ADD_NOTE_PAYLOAD)
               for event in _last_answer(tracker) if event.get("event") == "bot"
               for button in (event.get("data") or {}).get("buttons") or [])


def offer_note_or_another(dispatcher: CollectingDispatcher, tracker: Tracker, case_type: str,
                          reference: str) -> None:
    """Says the request of ``case_type`` is open already; offers a note to it, or another."""
    lang = language(tracker)
    buttons = [
        {"title": ADD_NOTE_TITLE.get(lang).format(reference=reference),
         "payload": f'{ADD_NOTE_PAYLOAD}{{"reference":"{reference}"}}'},
        {"title": ANOTHER_REQUEST_TITLE.get(lang), "payload": request_payload(case_type)},
    ]
    dispatcher.utter_message(response="utter_request_already_open", buttons=buttons,
                             reference=reference, type=CASE_TYPES[case_type].label.get(lang))


class ActionLostPassport(Action):
    """Gives the steps for a lost, stolen or damaged passport and offers the request."""

    def name(self) -> str:
        return "action_lost_passport"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        dispatcher.utter_message(text=lost_passport(institution(tracker)).render(lang))
        # "What happens if I lose my passport?" is a question, not a request: the request
        # opens only on a yes (or the button), with what the message said.
        offer_case(dispatcher, "lost_document", lang)
        return []


# Intents after which "can you ask them?" asks the office that question.
_QUESTIONS_WITHOUT_A_TYPE: Final = frozenset({"out_of_scope", "nlu_fallback"})


def asks_about_the_last_question(tracker: Tracker) -> bool:
    """Whether a request that names no type follows a question the assistant answered
    without offering any ("how much is a dorm room?" ... "can you open a request and ask
    them?"): then it is that question, for a person at the office."""
    previous, _ = previous_turn(tracker)
    if previous is None or str(previous.get("text") or "").startswith("/"):
        return False
    intent = str(((previous.get("parse_data") or {}).get("intent") or {}).get("name") or "")
    return topic_of(intent) is not None or intent in _QUESTIONS_WITHOUT_A_TYPE


def describes_a_request(text: str) -> bool:
    """Whether an answer to "which kind of request?" says what the person wants in words
    (three words, or six Chinese characters), rather than a type's name or a button."""
    text = text.strip()
    if text.startswith("/"):
        return False
    return len(text.split()) >= 3 or len(re.findall(r"[\u4e00-\u9fff]", text)) >= 6


class ActionNewRequest(Action):
    """Starts a request afresh: the type the message names, else the one the assistant just
    offered ("yes", "please open a request"), with the facts the person already gave."""

    def name(self) -> str:
        return "action_new_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = (tracker.latest_message or {}).get("entities") or []
        named = case_type_in(latest_text(tracker), entities)
        opened = just_opened(tracker)
        if opened is not None and named in (None, opened[0]):
            # "Please open a request for the loss letter" right after the assistant opened it.
            dispatcher.utter_message(response="utter_request_already_opened",
                                     reference=opened[1])
            return [*(SlotSet(slot, None) for slot in REQUEST_SLOTS),
                    FollowupAction("action_listen")]
        case_type = named or offered_case_type(tracker) or \
            (TALK_TO_PERSON if asks_about_the_last_question(tracker) else None)
        # Each question for a person is a thread of its own; any other type already open
        # gets a note rather than a twin, unless the person asks for another.
        twin = case_type if case_type not in (None, TALK_TO_PERSON) \
            and not asked_for_another(tracker) else None
        try:
            existing, stored = await in_store(what_the_store_knows, tracker, twin)
        except StoreUnavailable:
            existing, stored = None, {}  # the form asks; storing will say the store is away
        if twin is not None and existing is not None:
            offer_note_or_another(dispatcher, tracker, twin, existing)
            return [*(SlotSet(slot, None) for slot in REQUEST_SLOTS),
                    FollowupAction("action_listen")]
        # What every request of this person starts with: the name, number and contact stored
        # with them; then what their latest messages say.
        facts = dict(stored)
        if case_type:
            facts.update({**named_university(tracker), **facts_from_conversation(tracker,
                                                                                   case_type)})
        complete = case_type is not None and next_field(case_type, facts) is None
        if complete:
            # The person asked for this request and their messages already say everything
            # it needs: it is sent at once, and they see what is sent.
            lines = request_summary(str(case_type), facts, language(tracker))
            dispatcher.utter_message(response="utter_request_sending", lines=lines)
        # A request the person named or said yes to is theirs to send: once the form has the
        # facts it still lacks, it is sent without asking "shall I send it?" again.
        asked = {ASKED: True} if case_type is not None else {}
        return [
            SlotSet("case_type", case_type),
            SlotSet("request_value", None),
            SlotSet("request_facts", {"case_type": case_type, "fields": facts, **asked}
                    if facts or asked else None),
            SlotSet("request_confirmed", True if complete else None),
        ]


class ValidateRequestForm(ListeningFormValidation):
    """Asks for the type, then each required field of that type, then for confirmation."""

    def name(self) -> str:
        return "validate_request_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        case_type = known_case_type(tracker.get_slot("case_type"))
        if case_type is None:
            return ["case_type"]
        if next_field(case_type, gathered_facts(tracker)) is not None:
            return ["case_type", "request_value"]
        return ["case_type", "request_confirmed"]

    def validate_case_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        case_type = known_case_type(value) or case_type_in(text, [])
        described = case_type is None and describes_a_request(text)
        if described:
            # No type fits what they describe ("ask them the price of a dorm room"): it goes
            # to a person at the office, with their words as the question.
            dispatcher.utter_message(response="utter_request_goes_to_a_person")
            case_type = TALK_TO_PERSON
        if case_type is None:
            dispatcher.utter_message(response="utter_request_unknown_type")
            return {"case_type": None}
        facts = {**named_university(tracker), **carried_facts(tracker, case_type),
                 **({"question": text} if described else {})}
        stored = tracker.get_slot("request_facts")
        asked = isinstance(stored, dict) and stored.get("case_type") == case_type \
            and stored.get(ASKED) is True
        return {"case_type": case_type,
                "request_facts": {"case_type": case_type, "fields": facts,
                                  **({ASKED: True} if asked else {})}
                if facts or asked else None}

    def validate_request_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        case_type = known_case_type(tracker.get_slot("case_type"))
        facts = gathered_facts(tracker)
        name = next_field(case_type, facts) if case_type else None
        if case_type is None or name is None:
            return {"request_value": None}
        answer = self._answer(case_type, name, str(value or "").strip(), facts, dispatcher,
                              tracker)
        if answer is None:
            return {"request_value": None}
        facts[name] = answer
        if name in PERSON_DETAILS:
            # "Ali Khan, 2023123456, ali@example.com" answers the next questions too.
            facts.update({k: v for k, v in details_in(str(value or "")).items()
                          if k not in facts})
        asked = asked_for(tracker)
        stored = {"case_type": case_type, "fields": facts, **({ASKED: True} if asked else {})}
        chosen = {"institution": answer} if name == UNIVERSITY else {}
        confirmed = None
        if asked and next_field(case_type, facts) is None:
            # The person asked for this request: it is sent now, and they see what is sent.
            lines = request_summary(case_type, facts, language(tracker))
            dispatcher.utter_message(response="utter_request_sending", lines=lines)
            confirmed = True
        return {"request_value": None, "request_facts": stored, "request_confirmed": confirmed,
                **chosen}

    def _answer(
        self,
        case_type: str,
        name: str,
        text: str,
        facts: Mapping[str, str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> str | None:
        """The stored form of one answer, or None after saying what is wrong with it."""
        question = field_for(case_type, name)
        if name in PERSON_DETAILS or name == UNIVERSITY:
            return self._who(name, question, text, dispatcher)
        if is_date_field(name):
            return self._date(name, text, facts, dispatcher, tracker)
        if question.options:
            choice = self._option(question, text)
            if choice is None:
                dispatcher.utter_message(response="utter_request_invalid_option")
            return choice
        if not text:
            return None
        if len(text) > MAX_ANSWER_LENGTH:
            dispatcher.utter_message(response="utter_request_too_long",
                                     limit=MAX_ANSWER_LENGTH)
            return None
        return text

    def _who(self, name: str, question: Field, text: str,
             dispatcher: CollectingDispatcher) -> str | None:
        """The university, name, number or contact an answer gives, or None after saying
        what the question needs."""
        if name == UNIVERSITY:
            read = find_institution(text) or self._option(question, text)
        else:
            read = answered_detail(name, text)
        if read is None:
            dispatcher.utter_message(response=INVALID_ANSWER[name])
        return read

    @staticmethod
    def _option(question: Field, text: str) -> str | None:
        """The option a text picks: its value or title exactly, else by keywords."""
        lowered = text.lower()
        for option in question.options:
            if lowered in (option.value.lower(), option.label.en.lower(), option.label.zh):
                return option.value
        return parse_choice(text, question.keywords)

    @staticmethod
    def _date(
        name: str,
        text: str,
        facts: Mapping[str, str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> str | None:
        """An ISO date, checked against the date it must not precede."""
        lang = language(tracker)
        # "washed it by accident yesterday": the date inside the answer, else the whole answer.
        parsed = read_date(text, today(), lang, in_past=name in PAST_DATE_FIELDS) if text \
            else None
        if parsed is None:
            dispatcher.utter_message(response="utter_invalid_date")
            return None
        for earlier, later in DATE_ORDER:
            if name == later and earlier in facts and parsed.isoformat() < facts[earlier]:
                other = FIELDS[earlier].name.get(lang)
                when = format_date(date.fromisoformat(facts[earlier]), lang)
                dispatcher.utter_message(response="utter_request_date_order", other=other,
                                         when=when)
                return None
        return parsed.isoformat()

    def validate_request_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in ("affirm", "deny"):
            return {"request_confirmed": intent == "affirm"}
        answer = value if isinstance(value, bool) else parse_yes_no(str(value or ""))
        if answer is None:
            dispatcher.utter_message(response="utter_request_confirm_unclear")
        return {"request_confirmed": answer}


class ActionAskCaseType(Action):
    """Asks which kind of request, with one button per type."""

    def name(self) -> str:
        return "action_ask_case_type"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        buttons = [
            {"title": kind.label.get(lang), "payload": f'/inform{{"case_type":"{kind.id}"}}'}
            for kind in CASE_TYPES.values()
        ]
        dispatcher.utter_message(response="utter_request_which_type", buttons=buttons)
        return []


class ActionAskRequestValue(Action):
    """Asks for the next field the chosen request type needs."""

    def name(self) -> str:
        return "action_ask_request_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        case_type = known_case_type(tracker.get_slot("case_type"))
        name = next_field(case_type, gathered_facts(tracker)) if case_type else None
        if case_type is None or name is None:
            return []
        question = field_for(case_type, name)
        # The sentence is the field's response (a date question includes its example); the
        # buttons are its options' titles, which are also what the validator reads back.
        buttons = [
            {"title": option.label.get(lang), "payload": option.label.get(lang)}
            for option in question.options
        ]
        dispatcher.utter_message(response=question.question, buttons=buttons)
        return []


class ActionAskRequestConfirmed(Action):
    """Shows what will be sent and asks whether to send it."""

    def name(self) -> str:
        return "action_ask_request_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        case_type = known_case_type(tracker.get_slot("case_type"))
        if case_type is None:
            return []
        # The yes and no buttons are the response's own (static payloads), in its language.
        lines = request_summary(case_type, gathered_facts(tracker), lang)
        dispatcher.utter_message(response="utter_request_summary", lines=lines)
        return []


class ActionSubmitRequest(Action):
    """Opens the confirmed request, gives its reference and the checklist, then forgets it."""

    def name(self) -> str:
        return "action_submit_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        case_type = known_case_type(tracker.get_slot("case_type"))
        facts = gathered_facts(tracker)
        confirmed = tracker.get_slot("request_confirmed") is True
        if case_type is None or next_field(case_type, facts) is not None or not confirmed:
            dispatcher.utter_message(response="utter_request_discarded")
        elif (await open_request(tracker, dispatcher, case_type, facts) is not None
              and case_type != TALK_TO_PERSON):
            response, values = checklist_response(case_type, institution(tracker),
                                                  language(tracker))
            dispatcher.utter_message(response=response, **values)
        return [SlotSet(slot, None) for slot in REQUEST_SLOTS]


class ActionResetRequest(Action):
    """Forgets a request, note or reminder the person stopped half-way, and says so."""

    def name(self) -> str:
        return "action_reset_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_form_stopped")
        return [SlotSet(slot, None) for slot in (*REQUEST_SLOTS, *NOTE_SLOTS, *REMINDER_SLOTS)]


