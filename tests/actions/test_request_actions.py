"""Opening the lost passport case and listing one's own requests, against a real database."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.followup import ActionCaseStatus
from actions.requests import ActionLostPassport
from actions.store import sessions
from office.models import Case
from tests.actions.conftest import make_tracker

REFERENCE = re.compile(r"^CPU-\d{4}-\d{6}$")


async def test_lost_passport_gives_the_steps_and_stores_a_case(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="my passport was stolen", intent="lost_passport")
    await ActionLostPassport().run(dispatcher, tracker, domain)
    steps, opened = dispatcher.messages
    assert "Article 13" in (steps["text"] or "")
    assert opened["response"] == "utter_case_opened"
    reference = opened["reference"]
    assert REFERENCE.match(reference)
    with sessions().begin() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.type == "lost_document"
        assert case.facts["what_happened"] == "stolen"


async def test_the_same_message_delivered_twice_opens_one_case(
    database: str, domain: dict[str, Any]
) -> None:
    references = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text="I lost my passport", metadata={"message_id": "tg-42"})
        await ActionLostPassport().run(dispatcher, tracker, domain)
        references.append(dispatcher.messages[-1]["reference"])
    assert references[0] == references[1]
    with sessions().begin() as session:
        assert len(session.scalars(select(Case)).all()) == 1


async def test_status_lists_only_the_persons_own_requests(
    database: str, domain: dict[str, Any]
) -> None:
    mine, theirs = CollectingDispatcher(), CollectingDispatcher()
    await ActionLostPassport().run(mine, make_tracker(sender_id="me"), domain)
    await ActionLostPassport().run(theirs, make_tracker(sender_id="other"), domain)
    my_reference = mine.messages[-1]["reference"]
    their_reference = theirs.messages[-1]["reference"]

    dispatcher = CollectingDispatcher()
    await ActionCaseStatus().run(dispatcher, make_tracker(sender_id="me"), domain)
    [listing] = dispatcher.messages
    assert listing["response"] == "utter_your_cases"
    assert my_reference in listing["cases"] and their_reference not in listing["cases"]


async def test_status_without_requests_says_so(database: str, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionCaseStatus().run(dispatcher, make_tracker(sender_id="nobody"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_no_cases"]
