"""'What data do you have about me?' and 'delete my data', in chat, against a real database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation import today
from actions.privacy import ActionDeleteMyData, ActionExportMyData
from actions.store import sessions
from casestore.cases import get_or_create_person, open_case
from casestore.models import Case, Person, TrackedDocument
from reminders.schedule import register_document
from tests.actions.conftest import make_tracker
from tests.actions.test_responses_exist import uttered


def stored_for(sender: str) -> str:
    """Gives ``sender`` a case and a tracked passport; returns the case's reference."""
    with sessions().begin() as session:
        person = get_or_create_person(session, channel="rest", channel_user_id=sender,
                                      language="en", institution="CPU")
        case = open_case(session, person=person, case_type="talk_to_person", institution="CPU",
                         facts={"question": "Q"}, today=today())
        register_document(session, person, "passport", today() + timedelta(days=300), today())
        return case.reference


def confirmed_tracker(sender: str, asked: str = "utter_confirm_delete_data") -> Tracker:
    """The tracker after "yes", following the bot action ``asked``."""
    tracker = make_tracker(text="yes", intent="affirm", sender_id=sender)
    earlier: list[dict[str, Any]] = [
        {"event": "user", "text": "delete my data", "parse_data": {}},
        {"event": "action", "name": asked},
        {"event": "bot", "text": "Do you want me to delete everything?"},
        {"event": "action", "name": "action_listen"},
    ]
    tracker.events[:0] = earlier
    return tracker


async def test_the_summary_lists_the_persons_requests_and_documents(
    database: str, domain: dict[str, Any]
) -> None:
    reference = stored_for("me")
    stored_for("other")
    dispatcher = CollectingDispatcher()
    await ActionExportMyData().run(dispatcher, make_tracker(sender_id="me"), domain)
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == "utter_data_summary"
    assert values["cases"] == f"1 ({reference} submitted)"
    assert values["documents"].startswith("1 (passport ")
    assert values["stored_institution"] == "CPU"
    assert values["who"] == "none" and values["messages"] == 0


async def test_data_is_deleted_only_after_the_confirmation_question(
    database: str, domain: dict[str, Any]
) -> None:
    stored_for("me")
    dispatcher = CollectingDispatcher()
    await ActionDeleteMyData().run(dispatcher, confirmed_tracker("me", asked="utter_greet"),
                                   domain)
    assert uttered(dispatcher.messages, domain) == [("utter_data_delete_not_asked", {})]
    with sessions().begin() as session:
        assert len(session.scalars(select(Case)).all()) == 1


async def test_confirmed_deletion_erases_the_person_and_nobody_else(
    database: str, domain: dict[str, Any]
) -> None:
    stored_for("me")
    theirs = stored_for("other")
    dispatcher = CollectingDispatcher()
    events = await ActionDeleteMyData().run(dispatcher, confirmed_tracker("me"), domain)
    assert uttered(dispatcher.messages, domain) == [("utter_data_deleted", {})]
    assert {"event": "slot", "name": "case_type", "value": None, "timestamp": None} in events
    with sessions().begin() as session:
        assert [p.channel_user_id for p in session.scalars(select(Person))] == ["other"]
        assert [c.reference for c in session.scalars(select(Case))] == [theirs]
        assert len(session.scalars(select(TrackedDocument)).all()) == 1


async def test_the_summary_values_are_in_chinese_for_a_chinese_conversation(
    database: str, domain: dict[str, Any]
) -> None:
    """Rasa picks the Chinese sentence from the language slot; the values are Chinese too."""
    dispatcher = CollectingDispatcher()
    await ActionExportMyData().run(
        dispatcher, make_tracker(sender_id="new", slots={"language": "zh"}), domain)
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == "utter_data_summary"
    assert values["cases"] == "无" and values["documents"] == "无" and values["who"] == "无"

    reference = stored_for("zh-user")
    dispatcher = CollectingDispatcher()
    await ActionExportMyData().run(
        dispatcher, make_tracker(sender_id="zh-user", slots={"language": "zh"}), domain)
    [(_, values)] = uttered(dispatcher.messages, domain)
    assert values["cases"] == f"1 ({reference} 已提交)"
    assert values["documents"].startswith("1 (护照 ")
