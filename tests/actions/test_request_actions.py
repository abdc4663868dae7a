"""The lost passport's steps and offer, and listing one's own requests, against a real
database."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.faq import request_payload
from actions.followup import ActionCaseStatus
from actions.requests import ActionLostPassport, open_request
from actions.store import sessions
from casestore.models import Case
from tests.actions.conftest import make_tracker

REFERENCE = re.compile(r"^CPU-\d{4}-\d{6}$")


async def open_lost_passport(tracker: Tracker) -> str:
    """Opens a lost-passport request for the person of ``tracker``, as the request form does
    once they said yes; returns its reference."""
    facts = {"document": "passport", "what_happened": "lost", "noticed_on": "2026-03-01"}
    reference = await open_request(tracker, CollectingDispatcher(), "lost_document", facts)
    assert reference is not None
    return reference


async def test_lost_passport_gives_the_steps_and_offers_the_request_without_opening_it(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="what happens if I lose my passport?", intent="lost_passport")
    await ActionLostPassport().run(dispatcher, tracker, domain)
    steps, offer = dispatcher.messages
    assert "Article 13" in (steps["text"] or "")
    assert offer["response"] == "utter_offer_case"
    assert [b["payload"] for b in offer["buttons"]] == [request_payload("lost_document")]
    with sessions().begin() as session:
        assert session.scalars(select(Case)).all() == []


async def test_the_same_message_delivered_twice_opens_one_case(
    database: str, domain: dict[str, Any]
) -> None:
    references = []
    for _ in range(2):
        tracker = make_tracker(text="yes", metadata={"message_id": "tg-42"})
        references.append(await open_lost_passport(tracker))
    assert references[0] == references[1]
    with sessions().begin() as session:
        assert len(session.scalars(select(Case)).all()) == 1


async def test_status_lists_only_the_persons_own_requests(
    database: str, domain: dict[str, Any]
) -> None:
    my_reference = await open_lost_passport(make_tracker(sender_id="me"))
    their_reference = await open_lost_passport(make_tracker(sender_id="other"))

    dispatcher = CollectingDispatcher()
    await ActionCaseStatus().run(dispatcher, make_tracker(sender_id="me"), domain)
    [listing] = dispatcher.messages
    assert listing["response"] == "utter_your_cases"
    assert my_reference in listing["cases"] and their_reference not in listing["cases"]


async def test_status_without_requests_says_so(database: str, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionCaseStatus().run(dispatcher, make_tracker(sender_id="nobody"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_cases"]
