"""Document-expiry reminders in chat: registering, listing and deleting, both languages."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation import today
from actions.reminders import (
    ActionDeleteReminder,
    ActionListReminders,
    ActionNewReminder,
    ActionRegisterReminder,
    ValidateReminderForm,
    date_in,
    document_in,
)
from actions.store import sessions
from casestore.models import Reminder, TrackedDocument
from knowledge import format_date
from knowledge.core import months_before
from tests.actions.conftest import make_tracker
from tests.actions.test_responses_exist import uttered

TODAY = date(2026, 11, 23)
MESSAGE_IDS = itertools.count(1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind me before my passport expires on 2027-03-01", date(2027, 3, 1)),
        ("我的居留许可2027年5月1日到期，请提醒我", date(2027, 5, 1)),
        ("my residence permit expires on 1 May 2027, remind me", date(2027, 5, 1)),
        ("notify me before my visa expires on March 3, 2027", date(2027, 3, 3)),
        ("my work permit runs out 2027/06/30", date(2027, 6, 30)),
        ("签证明年3月5日到期", date(2027, 3, 5)),
        ("2027-02-28", date(2027, 2, 28)),
        ("remind me before my passport expires", None),
    ],
)
def test_the_expiry_date_is_found_inside_a_sentence(text: str, expected: date | None) -> None:
    assert date_in(text, TODAY, "zh" if "月" in text else "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind me before my passport expires", "passport"),
        ("我的居留许可到期", "residence_permit"),
        ("my work permit runs out", "work_permit"),
        ("签证", "visa"),
        ("my visa or my passport", None),
        ("my document", None),
    ],
)
def test_the_document_is_named_in_either_language(text: str, expected: str | None) -> None:
    assert document_in(text) == expected


async def new_reminder_slots(text: str, domain: dict[str, Any]) -> dict[str, Any]:
    """The slots action_new_reminder sets from a message."""
    events = await ActionNewReminder().run(CollectingDispatcher(), make_tracker(text=text),
                                           domain)
    return {e["name"]: e["value"] for e in events}


async def test_one_message_can_give_both_the_document_and_the_date(
    database: str, domain: dict[str, Any]
) -> None:
    assert await new_reminder_slots("我的居留许可2027年5月1日到期，请提醒我", domain) == {
        "reminder_document": "residence_permit", "reminder_expires_on": "2027-05-01"}
    assert await new_reminder_slots("please remind me when my passport expires", domain) == {
        "reminder_document": "passport", "reminder_expires_on": None}


def test_the_form_reads_free_text_answers(domain: dict[str, Any]) -> None:
    validator, dispatcher = ValidateReminderForm(), CollectingDispatcher()
    tracker = make_tracker(text="")
    assert validator.validate_reminder_document("Residence permit", dispatcher, tracker, {}) == {
        "reminder_document": "residence_permit"}
    assert validator.validate_reminder_expires_on("on 1 March 2027", dispatcher, tracker, {}) == {
        "reminder_expires_on": "2027-03-01"}
    assert validator.validate_reminder_expires_on("soon", dispatcher, tracker, {}) == {
        "reminder_expires_on": None}
    assert validator.validate_reminder_document("my bike", dispatcher, tracker, {}) == {
        "reminder_document": None}
    assert uttered(dispatcher.messages, domain) == [
        ("utter_reminder_invalid_date", {}), ("utter_reminder_invalid_document", {})]


async def register(kind: str, expires: date, domain: dict[str, Any], *, sender: str = "me",
                   language: str = "en", institution: str = "CPU",
                   message_id: str | None = None) -> tuple[str, dict[str, Any]]:
    """Runs action_register_reminder with the form's slots filled; returns its answer (the
    response and its values).

    Each call is a new message unless ``message_id`` repeats an earlier one.
    """
    dispatcher = CollectingDispatcher()
    slots = {"reminder_document": kind, "reminder_expires_on": expires.isoformat(),
             "language": language, "institution": institution}
    metadata = {"message_id": message_id or f"m-{next(MESSAGE_IDS)}"}
    tracker = make_tracker(slots=slots, sender_id=sender, metadata=metadata)
    await ActionRegisterReminder().run(dispatcher, tracker, domain)
    [answer] = uttered(dispatcher.messages, domain)
    return answer


async def test_a_residence_permit_at_cpu_gets_three_reminders_and_the_extension_deadline(
    database: str, domain: dict[str, Any]
) -> None:
    expires = today() + timedelta(days=200)
    response, values = await register("residence_permit", expires, domain)
    deadline = months_before(expires, 1)
    assert response == "utter_reminder_scheduled"
    assert values["document"] == "residence permit"
    assert values["expires"] == format_date(expires, "en")
    for days in (60, 30, 7):
        line = f"• {format_date(expires - timedelta(days=days), 'en')}: {days} days before"
        assert line in values["lines"]
    assert f"• {format_date(deadline, 'en')}: last day to apply for an extension" in values["lines"]
    assert "China Pharmaceutical University, Article 9" in values["lines"]
    with sessions().begin() as session:
        due = sorted(r.due_on for r in session.scalars(select(Reminder)))
    assert due == sorted([expires - timedelta(days=d) for d in (60, 30, 7)] + [deadline])


async def test_a_passport_reminder_in_chinese_has_no_extension_deadline(
    database: str, domain: dict[str, Any]
) -> None:
    expires = today() + timedelta(days=100)
    response, values = await register("passport", expires, domain, language="zh")
    assert response == "utter_reminder_scheduled"
    assert values["document"] == "护照" and values["expires"] == format_date(expires, "zh")
    assert "到期前60天" in values["lines"] and "延期" not in values["lines"]


async def test_the_same_document_registered_twice_is_stored_once(
    database: str, domain: dict[str, Any]
) -> None:
    expires = today() + timedelta(days=90)
    await register("visa", expires, domain)
    response, values = await register("visa", expires, domain)
    assert response == "utter_reminder_already"
    assert values["document"] == "visa" and values["expires"] == format_date(expires, "en")
    with sessions().begin() as session:
        assert len(session.scalars(select(TrackedDocument)).all()) == 1


async def test_a_message_the_channel_delivers_twice_gets_the_same_answer_and_one_document(
    database: str, domain: dict[str, Any]
) -> None:
    expires = today() + timedelta(days=200)
    first = await register("residence_permit", expires, domain, message_id="update-42")
    retried = await register("residence_permit", expires, domain, message_id="update-42")
    assert retried == first
    assert first[0] == "utter_reminder_scheduled"
    assert first[1]["document"] == "residence permit"
    with sessions().begin() as session:
        [document] = session.scalars(select(TrackedDocument)).all()
        assert document.idempotency_key == "rest:me:update-42"
        assert len(session.scalars(select(Reminder)).all()) == 4


async def test_a_date_that_has_passed_registers_nothing(
    database: str, domain: dict[str, Any]
) -> None:
    response, values = await register("passport", today() - timedelta(days=3), domain)
    assert (response, values["document"]) == ("utter_reminder_date_passed", "passport")
    with sessions().begin() as session:
        assert session.scalars(select(TrackedDocument)).all() == []


async def test_listing_shows_only_the_persons_own_documents(
    database: str, domain: dict[str, Any]
) -> None:
    mine, theirs = today() + timedelta(days=120), today() + timedelta(days=150)
    await register("passport", mine, domain, sender="me")
    await register("visa", theirs, domain, sender="other")
    dispatcher = CollectingDispatcher()
    await ActionListReminders().run(dispatcher, make_tracker(sender_id="me"), domain)
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == "utter_reminder_list"
    assert f"passport, expires {format_date(mine, 'en')}" in values["lines"]
    assert "visa" not in values["lines"]


async def test_deleting_the_passport_reminder_keeps_the_others(
    database: str, domain: dict[str, Any]
) -> None:
    await register("passport", today() + timedelta(days=120), domain)
    await register("residence_permit", today() + timedelta(days=150), domain)
    dispatcher = CollectingDispatcher()
    await ActionDeleteReminder().run(
        dispatcher, make_tracker(text="delete my passport reminder", sender_id="me"), domain)
    assert uttered(dispatcher.messages, domain) == [
        ("utter_reminder_deleted", {"document": "passport"})]
    with sessions().begin() as session:
        assert [d.kind for d in session.scalars(select(TrackedDocument))] == ["residence_permit"]


async def test_an_unnamed_reminder_is_not_deleted_when_there_are_several(
    database: str, domain: dict[str, Any]
) -> None:
    await register("passport", today() + timedelta(days=120), domain)
    await register("visa", today() + timedelta(days=150), domain)
    dispatcher = CollectingDispatcher()
    await ActionDeleteReminder().run(
        dispatcher, make_tracker(text="删除我的提醒", sender_id="me", slots={"language": "zh"}),
        domain)
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == "utter_reminder_which"
    assert "• 护照，" in values["lines"] and "• 签证，" in values["lines"]
    with sessions().begin() as session:
        assert len(session.scalars(select(TrackedDocument)).all()) == 2


async def test_deleting_without_reminders_says_there_are_none(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionDeleteReminder().run(dispatcher, make_tracker(text="delete my reminders"),
                                     domain)
    assert uttered(dispatcher.messages, domain) == [("utter_reminder_none", {})]


async def test_reminder_days_before_sets_when_the_reminders_come(
    database: str, domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The office's REMINDER_DAYS_BEFORE, not the default 60/30/7."""
    monkeypatch.setenv("REMINDER_DAYS_BEFORE", "90,14")
    expires = today() + timedelta(days=200)
    _, values = await register("passport", expires, domain)
    assert "90 days before" in values["lines"] and "14 days before" in values["lines"]
    assert "60 days before" not in values["lines"]
    with sessions().begin() as session:
        due = sorted(r.due_on for r in session.scalars(select(Reminder)))
    assert due == [expires - timedelta(days=90), expires - timedelta(days=14)]
