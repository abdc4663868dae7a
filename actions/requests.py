"""Requests with the office: the lost passport case and "what's the status of my request?"."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.conversation import institution, language, message_key, speaker, today
from actions.parsing import parse_choice
from actions.store import sessions
from knowledge import lost_passport
from office.case_types import CASE_TYPES, STATUSES
from office.cases import cases_of, get_or_create_person, open_case

log = logging.getLogger(__name__)

WHAT_HAPPENED = {
    "stolen": ("stole", "stolen", "robbed", "theft", "偷", "盗", "抢"),
    "damaged": ("damage", "ruin", "torn", "wet", "broken", "损", "坏", "泡水"),
}


def open_request(
    tracker: Tracker, dispatcher: CollectingDispatcher, case_type: str, facts: Mapping[str, str]
) -> str | None:
    """Stores a case for the person and tells them its reference.

    Returns the reference, or None (after telling the person) when it could not
    be stored: a request is acknowledged only once it is in the database.
    """
    who = speaker(tracker)
    try:
        with sessions().begin() as session:
            person = get_or_create_person(
                session,
                channel=who.channel,
                channel_user_id=who.channel_user_id,
                language=language(tracker),
                institution=institution(tracker),
            )
            case = open_case(
                session,
                person=person,
                case_type=case_type,
                institution=institution(tracker),
                facts=facts,
                today=today(),
                idempotency_key=message_key(tracker),
            )
            reference = case.reference
    except SQLAlchemyError:
        log.exception("could not store a %s case", case_type)
        dispatcher.utter_message(response="utter_case_not_stored")
        return None
    dispatcher.utter_message(response="utter_case_opened", reference=reference)
    return reference


class ActionLostPassport(Action):
    """Gives the steps for a lost, stolen or damaged passport and opens a case."""

    def name(self) -> str:
        return "action_lost_passport"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        decision = lost_passport(institution(tracker))
        dispatcher.utter_message(text=decision.render(language(tracker)))
        text = tracker.latest_message.get("text") or ""
        what_happened = parse_choice(text, WHAT_HAPPENED) or "lost"
        facts = {
            "document": "passport",
            "what_happened": what_happened,
            "noticed_on": today().isoformat(),
        }
        open_request(tracker, dispatcher, "lost_document", facts)
        return []


class ActionCaseStatus(Action):
    """Lists the person's own requests, newest first, with their status."""

    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        who, lang = speaker(tracker), language(tracker)
        with sessions().begin() as session:
            person = get_or_create_person(
                session, channel=who.channel, channel_user_id=who.channel_user_id
            )
            lines = [
                f"• {case.reference} — {CASE_TYPES[case.type].label.get(lang)} — "
                f"{STATUSES[case.status].get(lang)} ({case.created_at:%Y-%m-%d})"
                for case in cases_of(session, person)
            ]
        if not lines:
            dispatcher.utter_message(response="utter_no_cases")
        else:
            dispatcher.utter_message(response="utter_your_cases", cases="\n".join(lines))
        return []
