"""Conversations with the running assistant over Rasa's REST channel.

These start the real Rasa 3.6.21 server and the real action server (current
rasa-sdk): every reply that comes from a custom action proves the two speak
the same protocol.
"""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select

from actions.conversation import today
from casestore.db import make_engine, make_session_factory
from casestore.models import Case
from knowledge import PermitFacts, residence_permit_validity
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bCPU-\d{4}-\d{6}\b")


def test_rasa_runs_the_pinned_open_source_release(assistant: RunningAssistant) -> None:
    version = httpx.get(f"{assistant.rasa_url}/version", timeout=10).json()
    assert version["version"] == "3.6.21"


def test_the_form_asks_what_it_needs_and_answers_with_the_date_and_article(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "new student" in assistant.text(sender, "How long will my residence permit be?")
    assert "paid" in assistant.text(sender, "I'm a returning student")
    assert "attendance" in assistant.text(sender, "the whole year").lower()
    assert "final year" in assistant.text(sender, "85%")
    answer = assistant.text(sender, "no")
    expected = residence_permit_validity(
        PermitFacts(student_status="returning", paid="year", attendance_percent=85,
                    final_year=False),
        today(),
    )
    assert expected.valid_until is not None
    assert expected.valid_until.strftime("%-d %B %Y") in answer
    assert "China Pharmaceutical University, Article 6" in answer


def test_buttons_answer_the_form(assistant: RunningAssistant, sender: str) -> None:
    replies = assistant.say(sender, "how long is my residence permit valid")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert '/inform{"student_status":"new"}' in payloads
    assistant.say(sender, '/inform{"student_status":"new"}')
    assistant.say(sender, '/inform{"programme":"degree"}')
    answer = assistant.text(sender, '/inform{"payment":"semester"}')
    assert "180 days" in answer and "March 5" in answer.replace("5 March", "March 5")


def test_a_lost_passport_is_opened_on_yes_and_the_status_question_finds_it(
    assistant: RunningAssistant, sender: str
) -> None:
    reply = assistant.text(sender, "I lost my passport yesterday")
    assert "police" in reply and "Article 13" in reply
    assert not REFERENCE.search(reply)  # steps and an offer: nothing is opened unasked
    # Said yes to: the university and who it is for are asked, then it is sent, shown whole.
    reply = assistant.introduce(sender, assistant.text(sender, "yes"))
    assert "I am sending this to the office" in reply and "Document: Passport" in reply
    match = REFERENCE.search(reply)
    assert match, reply
    reference = match.group()
    # Saying it again offers to add to the open request instead of opening a twin.
    assistant.text(sender, "I lost my passport")
    again = assistant.text(sender, "yes")
    assert "already have an open request" in again and REFERENCE.findall(again) == [reference]

    sessions = make_session_factory(make_engine(assistant.database_url))
    with sessions.begin() as session:
        [case] = session.scalars(select(Case).where(Case.type == "lost_document",
                                                    Case.idempotency_key.like(f"%{sender}%")))
        assert case.reference == reference

    assert reference in assistant.text(sender, "What's the status of my request?")


def test_a_chinese_message_gets_a_chinese_answer(
    assistant: RunningAssistant, sender: str
) -> None:
    reply = assistant.text(sender, "我的护照丢了")
    assert "派出所" in reply and "第十三条" in reply
    assert "提交申请" in reply and not REFERENCE.search(reply)
