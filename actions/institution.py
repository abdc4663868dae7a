"""Which university's rules apply: the one the person named, remembered in their record."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from actions.conversation import Speaker, language, previous_turn, speaker
from actions.faq import answer_for, tell, topic_of
from actions.store import StoreUnavailable, in_store
from casestore.cases import get_or_create_person
from casestore.models import Person
from knowledge import INSTITUTION_CODES, OTHER_UNIVERSITY, recognise_university
from knowledge import institution as profile

log = logging.getLogger(__name__)


def remembered_institution(session: Session, who: Speaker) -> str | None:
    """The institution stored for this person, None for a stranger or when none is stored."""
    query = select(Person.institution).where(
        Person.channel == who.channel, Person.channel_user_id == who.channel_user_id
    )
    code = session.scalars(query).one_or_none()
    return code if code in INSTITUTION_CODES else None


def remember_institution(session: Session, who: Speaker, lang: str, code: str) -> None:
    """Stores ``code`` as the institution of this person (created on first contact)."""
    get_or_create_person(session, channel=who.channel, channel_user_id=who.channel_user_id,
                         language=lang, institution=code)


class ActionChooseInstitution(Action):
    """Confirms the university the person named and stores it in their record."""

    def name(self) -> str:
        return "action_choose_institution"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if recognise_university(tracker.latest_message.get("text") or "") == OTHER_UNIVERSITY:
            # A university that is not one of the four: never answered with another's rules,
            # and the one named before is not kept silently.
            dispatcher.utter_message(response="utter_institution_not_known")
            return [SlotSet("institution", None)]
        # Set from this message by the Rasa server (engine/context.py).
        code = tracker.get_slot("institution")
        if code not in INSTITUTION_CODES:
            dispatcher.utter_message(response="utter_institution_unknown")
            return [SlotSet("institution", slot_before_this_message(tracker, "institution"))]
        who, lang = speaker(tracker), language(tracker)
        try:
            await in_store(remember_institution, who, lang, code)
        except (StoreUnavailable, SQLAlchemyError):
            # The choice still holds for this conversation; only the memory of it failed.
            log.exception("could not store institution %s", code)
        dispatcher.utter_message(response="utter_institution_chosen",
                                 university=profile(code).name.get(lang))
        pending = question_waiting_for_university(tracker)
        if pending is not None:
            intent, question = pending
            decision = answer_for(intent, question, code)
            if decision is not None:
                tell(dispatcher, decision, lang, topic_of(intent))
        return []


def slot_before_this_message(tracker: Tracker, name: str) -> Any:
    """The value slot ``name`` had before the latest message set it (None if never set)."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif seen_message and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def question_waiting_for_university(tracker: Tracker) -> tuple[str, str] | None:
    """(intent, text) of the question the assistant answered with "which university?" just
    before this message, None when the last answer asked nothing of the kind."""
    question, answer = previous_turn(tracker)
    asked = any((event.get("metadata") or {}).get("utter_action") ==
                "utter_ask_institution_for_answer" for event in answer)
    intent = ((question or {}).get("parse_data") or {}).get("intent") or {}
    name = intent.get("name")
    return (str(name), str((question or {}).get("text") or "")) if asked and name else None


class ActionSessionStart(Action):
    """Starts a session, keeping the slots and recalling the person's stored institution."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        kept = {name: value for name, value in tracker.slots.items()
                if value is not None and name != "requested_slot"}
        if kept.get("institution") not in INSTITUTION_CODES:
            try:
                code = await in_store(remembered_institution, speaker(tracker), reads_only=True)
            except (StoreUnavailable, SQLAlchemyError):
                log.exception("could not read the remembered institution")
                code = None
            if code is not None:
                kept["institution"] = code
        events.extend(SlotSet(name, value) for name, value in kept.items())
        events.append(ActionExecuted("action_listen"))
        return events
