"""Requests, reminders and personal data over Rasa's REST channel, with the real servers."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.conversation import today
from casestore.db import make_engine, make_session_factory
from casestore.models import Case, Person, TrackedDocument
from tests.conftest import rest_id
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\b[A-Z]+-\d{4}-\d{6}\b")


def store(assistant: RunningAssistant) -> sessionmaker[Session]:
    """Sessions on the running assistant's database."""
    return make_session_factory(make_engine(assistant.database_url))


def test_a_request_is_confirmed_and_stored_once_even_when_the_yes_arrives_twice(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "Which kind of request" in assistant.text(sender, "I want to open a request")
    question = assistant.text(sender, '/inform{"case_type":"talk_to_person"}')
    # A first request: the university (never named), then the question, then who it is for.
    assert "Which university is this request for?" in question
    question = assistant.text(sender, "China Pharmaceutical University")
    assert "What would you like to ask the office?" in question
    asked = assistant.text(sender, "Can I travel to Yunnan during the winter holidays?")
    assert "full name" in asked
    assert "student or staff number" in assistant.text(sender, "Ali Khan")
    assert "e-mail address or phone number" in assistant.text(sender, "2023123456")
    summary = assistant.say(sender, "ali.khan@example.com")
    assert "Please check your request" in summary[0]["text"]
    assert "Name: Ali Khan" in summary[0]["text"]
    assert [b["payload"] for b in summary[0]["buttons"]] == ["/affirm", "/deny"]

    reply = assistant.text(sender, "yes", message_id="tg-1001")
    match = REFERENCE.search(reply)
    assert match, reply
    assistant.text(sender, "yes", message_id="tg-1001")  # the bridge delivers it again
    with store(assistant).begin() as session:
        [case] = session.scalars(select(Case).join(Person).where(
            Person.channel_user_id == rest_id(sender))).all()
        assert case.reference == match.group() and case.type == "talk_to_person"
        assert case.facts == {"question": "Can I travel to Yunnan during the winter holidays?"}
        assert case.idempotency_key == f"rest:{rest_id(sender)}:tg-1001"
        assert (case.person.full_name, case.person.member_number, case.person.contact) == (
            "Ali Khan", "2023123456", "ali.khan@example.com")
    # A second request asks none of it again.
    assistant.text(sender, "I want to open a request")
    question = assistant.text(sender, '/inform{"case_type":"talk_to_person"}')
    assert "What would you like to ask the office?" in question
    assert "Please check your request" in assistant.text(sender, "Where do I pay the fee?")


def test_a_request_named_in_chinese_asks_its_own_fields_and_can_be_cancelled(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "这份申请是哪所学校的？" in assistant.text(sender, "我要提交转学申请")
    assert "您从哪所学校转来" in assistant.text(sender, "江苏师范大学")
    assert "哪天到校" in assistant.text(sender, "南京大学")
    # Named by the person: once the last question is answered it is sent, shown whole.
    reply = assistant.introduce(sender, assistant.text(sender, "2026年9月1日"), "JSNU")
    assert "按您的要求" in reply and "姓名：王小明" in reply
    match = REFERENCE.search(reply)
    assert match and match.group().startswith("JSNU-"), reply
    reference = match.group()
    assert "江苏师范大学 第六条" in reply  # the transfer checklist of the university chosen

    assert "已撤销" in assistant.text(sender, f"撤销申请 {reference}")
    with store(assistant).begin() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.status == "closed"


def test_stopping_half_way_stores_nothing(assistant: RunningAssistant, sender: str) -> None:
    assistant.text(sender, '/open_request{"case_type":"visiting_scholar"}')
    assistant.text(sender, "Category A")
    assert "stopped" in assistant.text(sender, "stop")
    with store(assistant).begin() as session:
        person = session.scalars(
            select(Person).where(Person.channel_user_id == rest_id(sender))).one_or_none()
        assert person is None or session.scalars(
            select(Case).where(Case.person_id == person.id)).all() == []


def test_a_reminder_is_registered_from_one_sentence(
    assistant: RunningAssistant, sender: str
) -> None:
    expires = today() + timedelta(days=200)
    reply = assistant.text(sender, f"remind me before my passport expires on {expires}")
    assert "I will remind you about your passport" in reply
    assert "60 days before" in reply and "7 days before" in reply
    with store(assistant).begin() as session:
        [document] = session.scalars(select(TrackedDocument).join(Person).where(
            Person.channel_user_id == rest_id(sender))).all()
        assert (document.kind, document.expires_on) == ("passport", expires)
        assert len(document.reminders) == 3
    assert "passport, expires" in assistant.text(sender, "list my reminders")


def test_a_chinese_residence_permit_reminder_names_the_extension_deadline(
    assistant: RunningAssistant, sender: str
) -> None:
    expires = today() + timedelta(days=150)
    message = f"我的居留许可{expires.year}年{expires.month}月{expires.day}日到期，请提醒我"
    reply = assistant.text(sender, message)
    assert "申请延期的最后一天" in reply and "第九条" in reply


def test_personal_data_is_shown_and_deleted_after_confirmation(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, f"remind me before my visa expires on {today() + timedelta(days=90)}")
    assert "Documents with expiry reminders: 1" in assistant.text(
        sender, "what data do you have about me?")
    assert "cannot be undone" in assistant.text(sender, "delete my data")
    assert "deleted everything" in assistant.text(sender, "yes")
    with store(assistant).begin() as session:
        assert session.scalars(
            select(Person).where(Person.channel_user_id == rest_id(sender))).one_or_none() is None
    # The conversation text goes too: Rasa's tracker is emptied once the turn is saved.
    deadline = time.monotonic() + 30
    while said_by_user(assistant.tracker(sender)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert said_by_user(assistant.tracker(sender)) == []


def said_by_user(tracker: dict[str, Any]) -> list[str]:
    """What the person wrote in a conversation, as Rasa's tracker holds it."""
    return [event.get("text") or "" for event in tracker["events"] if event["event"] == "user"]


def test_conversations_are_not_readable_without_the_api_token(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "I lost my passport")
    assert said_by_user(assistant.tracker(sender)) == ["I lost my passport"]
    for token in ("", "wrong"):
        with pytest.raises(httpx.HTTPStatusError) as refused:
            assistant.tracker(sender, token=token)
        assert refused.value.response.status_code in (401, 403)


def test_the_answer_to_a_procedure_opens_its_request_with_one_button(
    assistant: RunningAssistant, sender: str
) -> None:
    # The default university (CPU) has no rule for visitors: the person is asked theirs.
    asked = assistant.text(sender, "how do I invite a foreign visitor for a short academic "
                                   "visit?")
    assert "Which university are you at?" in asked
    replies = assistant.say(sender, '/choose_institution{"institution":"WESTLAKE"}')
    assert "Westlake University" in replies[0]["text"]
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert {"title": "Short-term international visitor invitation",
            "payload": '/open_request{"case_type":"short_term_visitor_invitation"}'} in buttons
    question = assistant.text(sender, buttons[-1]["payload"])
    assert "Which country is the visitor from?" in question
