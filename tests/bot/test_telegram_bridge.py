"""The real bridge process, a fake Telegram Bot API, and the real Rasa and action servers."""

from __future__ import annotations

import json
import re
import statistics
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.telegram import texts
from bot.telegram.messages import MAX_MESSAGE_UNITS, utf16_units
from casestore.cases import change_status, get_or_create_person, open_case
from casestore.db import make_engine, make_session_factory
from casestore.models import Case, Notification, Person
from casestore.notifications import enqueue
from config.settings import REPO_ROOT
from tests.bot.conftest import RunningBridge
from tests.bot.fake_telegram import Call, FakeTelegram

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\bCPU-\d{4}-\d{6}\b")


def callback_datas(message: Call) -> list[str]:
    rows = (message.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


def person_of(database_url: str, chat_id: int) -> Person | None:
    sessions = make_session_factory(make_engine(database_url))
    with sessions() as session:
        person = session.scalars(select(Person).where(
            Person.channel == "telegram", Person.channel_user_id == str(chat_id))).one_or_none()
        if person is not None:
            session.expunge(person)
        return person


def with_reference(telegram: FakeTelegram, chat_id: int) -> list[Call]:
    """The bot's messages to the chat that give a request's reference."""
    return [m for m in telegram.messages(chat_id) if REFERENCE.search(m.params["text"])]


def say_lost_passport(telegram: FakeTelegram, chat_id: int) -> None:
    """The person reports a lost passport and waits for the steps and the request's offer."""
    before = len(telegram.messages(chat_id))
    telegram.write(chat_id, "I lost my passport yesterday")
    telegram.wait_for(lambda: [m for m in telegram.messages(chat_id)[before:]
                               if "reply_markup" in m.params])


# A first request asks which university, then who it is for; the person answers each, and
# the request they said yes to is sent with the last answer.
FIRST_REQUEST = (("Which university", "China Pharmaceutical University"),
                 ("full name", "Ali Khan"), ("student or staff number", "2023123456"),
                 ("may the office use to reach you", "ali.khan@example.com"))


def take_the_offer(telegram: FakeTelegram, chat_id: int, last_times: int = 1) -> None:
    """Says yes to the offered request and answers its questions (the last one
    ``last_times`` times, as Telegram redelivers an update)."""
    telegram.write(chat_id, "yes")
    for index, (prompt, answer) in enumerate(FIRST_REQUEST):
        telegram.wait_for(lambda p=prompt: [m for m in telegram.messages(chat_id)
                                            if p in m.params["text"]])
        last = index == len(FIRST_REQUEST) - 1
        telegram.write(chat_id, answer, times=last_times if last else 1)


def test_a_lost_passport_message_is_answered_with_a_case_reference_after_yes(
    bridge: RunningBridge, chat_id: int
) -> None:
    telegram = bridge.telegram
    say_lost_passport(telegram, chat_id)
    assert with_reference(telegram, chat_id) == []  # steps and an offer, nothing opened yet
    take_the_offer(telegram, chat_id)
    replies = telegram.wait_for(lambda: with_reference(telegram, chat_id))
    assert "Article 13" in " ".join(m.params["text"] for m in telegram.messages(chat_id))
    assert telegram.calls("sendChatAction", chat_id)[0].params["action"] == "typing"
    reference = REFERENCE.search(replies[0].params["text"])
    assert reference is not None

    person = person_of(bridge.database_url, chat_id)
    assert person is not None and person.reach == {"chat_id": chat_id}
    sessions = make_session_factory(make_engine(bridge.database_url))
    with sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference.group())).one()
        assert case.person_id == person.id


def test_an_update_delivered_twice_opens_one_case(bridge: RunningBridge, chat_id: int) -> None:
    telegram = bridge.telegram
    say_lost_passport(telegram, chat_id)
    take_the_offer(telegram, chat_id, last_times=2)
    [opened] = telegram.wait_for(lambda: with_reference(telegram, chat_id))

    def second_delivery_answered() -> bool:
        """The second delivery was answered too (no question is waiting for it any more)."""
        typing = [c.at for c in telegram.calls("sendChatAction", chat_id) if c.at > opened.at]
        return bool(typing) and telegram.messages(chat_id)[-1].at > typing[0]

    telegram.wait_for(second_delivery_answered)
    person = person_of(bridge.database_url, chat_id)
    assert person is not None
    sessions = make_session_factory(make_engine(bridge.database_url))
    with sessions() as session:
        count = session.scalar(select(func.count()).where(Case.person_id == person.id))
    assert count == 1


def test_a_button_tap_sends_its_payload_and_removes_the_keyboard(
    bridge: RunningBridge, chat_id: int
) -> None:
    telegram = bridge.telegram
    telegram.write(chat_id, "How long will my residence permit be?")
    question = telegram.wait_for(
        lambda: [m for m in telegram.messages(chat_id) if callback_datas(m)]
    )[0]
    new_student = 'p:/inform{"student_status":"new"}'
    assert new_student in callback_datas(question)

    telegram.tap(chat_id, question, new_student)
    telegram.wait_for(lambda: len(telegram.messages(chat_id)) > 1)
    follow_up = telegram.messages(chat_id)[-1].params["text"]
    assert "degree" in follow_up.lower()  # the form moved on to the programme question
    assert telegram.calls("answerCallbackQuery")
    edits = telegram.calls("editMessageReplyMarkup", chat_id)
    assert edits and edits[0].params["message_id"] == question.params["result_message_id"]


def test_start_offers_languages_and_universities_and_a_choice_sticks(
    bridge: RunningBridge, chat_id: int
) -> None:
    telegram = bridge.telegram
    telegram.write(chat_id, "/start")
    welcome = telegram.wait_for_messages(chat_id, 1)[0]
    assert welcome.params["text"] == texts.WELCOME.chosen(None)
    assert {"lang:en", "lang:zh", "inst:CPU", "inst:JSNU"} <= set(callback_datas(welcome))

    telegram.tap(chat_id, welcome, "lang:zh")
    chosen = telegram.wait_for_messages(chat_id, 2)[-1]
    assert "中文" in chosen.params["text"]

    telegram.write(chat_id, "hello")  # English text, Chinese chosen: the choice wins
    greeting = telegram.wait_for_messages(chat_id, 3)[-1]
    assert re.search(r"[\u4e00-\u9fff]", greeting.params["text"]), greeting.params["text"]

    telegram.tap(chat_id, welcome, "inst:JSNU")
    confirmed = telegram.wait_for_messages(chat_id, 4)[-1]
    assert "江苏师范大学" in confirmed.params["text"]
    person = person_of(bridge.database_url, chat_id)
    assert person is not None
    assert (person.language, person.institution) == ("zh", "JSNU")


def test_requests_command_lists_my_cases(bridge: RunningBridge, chat_id: int) -> None:
    telegram = bridge.telegram
    say_lost_passport(telegram, chat_id)
    take_the_offer(telegram, chat_id)
    opened = telegram.wait_for(lambda: with_reference(telegram, chat_id))
    reference = REFERENCE.findall(opened[0].params["text"])[0]
    count = len(telegram.messages(chat_id))
    telegram.write(chat_id, "/requests")
    listed = telegram.wait_for_messages(chat_id, count + 1)[-1]
    assert reference in listed.params["text"]


def test_reminders_command_lists_my_reminders_from_the_real_assistant(
    bridge: RunningBridge, chat_id: int
) -> None:
    telegram = bridge.telegram
    telegram.write(chat_id, "/reminders")
    empty = telegram.wait_for_messages(chat_id, 1)[-1].params["text"]
    assert "You have no document reminders" in empty
    telegram.write(chat_id, "remind me, my residence permit expires on 1 May 2027")
    telegram.wait_for(lambda: [m for m in telegram.messages(chat_id)
                               if "I will remind you" in m.params["text"]])
    telegram.write(chat_id, "/reminders")
    [listed] = telegram.wait_for(lambda: [m.params["text"] for m in telegram.messages(chat_id)
                                          if "Your reminders" in m.params["text"]])
    assert "1 May 2027" in listed


def test_a_status_change_by_staff_is_pushed_to_the_chat(
    bridge: RunningBridge, chat_id: int
) -> None:
    sessions = make_session_factory(make_engine(bridge.database_url))
    with sessions.begin() as session:
        person = get_or_create_person(session, channel="telegram",
                                      channel_user_id=str(chat_id), reach={"chat_id": chat_id})
        case = open_case(session, person=person, case_type="lost_document", institution="CPU",
                         facts={"document": "passport", "what_happened": "lost",
                                "noticed_on": "2026-01-05"},
                         today=date(2026, 1, 5))
        change_status(session, case, "in_review", actor="staff:test")
        reference = case.reference
    pushed = bridge.telegram.wait_for_messages(chat_id, 1, timeout=30)[0]
    assert reference in pushed.params["text"]

    def delivered() -> list[bool] | None:
        # The bridge marks the row after Telegram accepted the message, so poll for it.
        with sessions() as session:
            rows = session.scalars(select(Notification).where(
                Notification.recipient == str(chat_id))).all()
            flags = [row.delivered_at is not None for row in rows]
        return flags if flags and all(flags) else None

    assert bridge.telegram.wait_for(delivered, timeout=30) == [True]


def test_a_message_longer_than_telegram_allows_arrives_in_parts(
    bridge: RunningBridge, chat_id: int
) -> None:
    lines = [f"{n:04d} Article 13: report the loss to the police station." for n in range(160)]
    text = "\n".join(lines)
    assert utf16_units(text) > 2 * MAX_MESSAGE_UNITS
    sessions = make_session_factory(make_engine(bridge.database_url))
    with sessions.begin() as session:
        person = get_or_create_person(session, channel="telegram",
                                      channel_user_id=str(chat_id), reach={"chat_id": chat_id})
        enqueue(session, person, text, kind="reminder")
    parts = bridge.telegram.wait_for_messages(chat_id, 3, timeout=30)
    assert all(utf16_units(p.params["text"]) <= MAX_MESSAGE_UNITS for p in parts)
    assert "\n".join(p.params["text"] for p in parts) == text  # cut on line boundaries only


def test_reply_time_through_the_bridge_and_the_real_assistant_is_measured(
    bridge: RunningBridge, chat_id: int
) -> None:
    """From an update waiting at the Bot API to the reply arriving there, real Rasa included."""
    telegram, seconds = bridge.telegram, []
    for n in range(10):
        before = len(telegram.messages(chat_id))
        written = time.monotonic()
        telegram.write(chat_id, "hello" if n % 2 else "What is the status of my request?")
        first = telegram.wait_for_messages(chat_id, before + 1)[before]
        seconds.append(first.at - written)
        time.sleep(0.3)  # let a reply of several messages finish before the next question
    figures = {"messages": len(seconds), "median_s": round(statistics.median(seconds), 3),
               "max_s": round(max(seconds), 3)}
    out = REPO_ROOT / "test-artifacts" / "telegram-e2e-latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    assert figures["median_s"] < 5.0, figures
