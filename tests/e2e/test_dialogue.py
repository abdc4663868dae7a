"""The dialogue over REST with the real assistant: facts, corrections, interruptions, languages,
universities, fallback and handoff."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from actions.conversation import today
from casestore.db import make_engine, make_session_factory
from casestore.models import Case, Person
from knowledge import (
    PermitFacts,
    extension_application_deadline,
    format_date,
    overstay_penalty_since,
    residence_permit_validity,
    transfer_deadline,
)
from tests.conftest import rest_id
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\b[A-Z]+-\d{4}-\d{6}\b")


def _permit_until(facts: PermitFacts, lang: str = "en") -> str:
    decision = residence_permit_validity(facts, today())
    assert decision.valid_until is not None
    return format_date(decision.valid_until, lang)


def test_facts_in_one_message_are_answered_at_once(
    assistant: RunningAssistant, sender: str
) -> None:
    answer = assistant.text(
        sender, "returning master student, paid the whole year, attendance 85%, not final "
        "year — how long is my permit?")
    facts = PermitFacts(student_status="returning", programme="degree", paid="year",
                        attendance_percent=85, final_year=False)
    assert _permit_until(facts) in answer
    assert "Article 6(2)(1)" in answer


def test_a_correction_in_the_middle_of_the_form_is_used(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "How long will my residence permit be?")
    assistant.text(sender, "I'm a returning student")
    assistant.text(sender, "the whole year")
    assert "final year" in assistant.text(sender, "85%")
    answer = assistant.text(sender, "actually my attendance is 78%")
    facts = PermitFacts(student_status="returning", paid="year", attendance_percent=78)
    assert _permit_until(facts) in answer
    assert "Article 6(2)(2)" in answer


def test_a_correction_after_the_answer_answers_again(
    assistant: RunningAssistant, sender: str
) -> None:
    first = assistant.text(sender, "I'm a returning student, paid the whole year, attendance "
                                   "85%, not final year, how long is my residence permit?")
    assert "Article 6(2)(1)" in first
    answer = assistant.text(sender, "actually my attendance is 78%")
    assert "Article 6(2)(2)" in answer


def test_a_deadline_question_without_a_date_gets_the_rule_and_the_date_given_next_the_day(
    assistant: RunningAssistant, sender: str
) -> None:
    general = assistant.text(sender, "when should I apply to extend my residence permit?")
    assert "Article 9" in general and "Tell me about your own case" in general
    assert "On which date" not in general and "could not read" not in general
    answer = assistant.text(sender, "15 July 2027")
    expected = extension_application_deadline("CPU", date(2027, 7, 15)).valid_until
    assert expected is not None
    assert format_date(expected, "en") in answer and "Article 9" in answer


def test_a_date_in_the_question_is_used_without_asking(
    assistant: RunningAssistant, sender: str
) -> None:
    answer = assistant.text(sender, "my residence permit expires on 15 July 2027, when must I "
                                    "apply for the extension?")
    expected = extension_application_deadline("CPU", date(2027, 7, 15)).valid_until
    assert expected is not None
    assert format_date(expected, "en") in answer


def test_an_unreadable_date_is_asked_again_with_an_example(
    assistant: RunningAssistant, sender: str
) -> None:
    asked = assistant.text(sender, "can my wife come with me to China? I'm a master's student")
    assert "residence permit valid" in asked
    assert "2026-12-20" in assistant.text(sender, "whenever, I don't know")


def test_a_chinese_conversation_is_answered_in_chinese(
    assistant: RunningAssistant, sender: str
) -> None:
    general = assistant.text(sender, "居留许可延期应该什么时候申请？")
    assert "第九条" in general and "告诉我您本人的具体情况" in general
    answer = assistant.text(sender, "2027年7月15日")
    expected = extension_application_deadline("CPU", date(2027, 7, 15)).valid_until
    assert expected is not None
    assert format_date(expected, "zh") in answer and "第九条" in answer


def test_the_language_follows_each_message_until_one_is_chosen(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "依据" in assistant.text(sender, "来中国留学需要办什么签证？")
    assert "Source:" in assistant.text(sender, "Which visa do I need to study in China?")
    assert "中文" in assistant.text(sender, "请用中文回答")
    assert "依据" in assistant.text(sender, "Can my wife come with me to China?")


def test_a_named_university_applies_from_then_on_and_is_remembered(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "Jiangsu Normal University" in assistant.text(
        sender, "I study at Jiangsu Normal University")
    general = assistant.text(sender, "I transferred here from another university, what do I do?")
    assert "Xuzhou" in general and "Tell me about your own case" in general
    answer = assistant.text(sender, "1 March 2027")
    expected = transfer_deadline("JSNU", date(2027, 3, 1)).valid_until
    assert expected is not None
    assert format_date(expected, "en") in answer
    assert "Jiangsu Normal University, Article 6" in answer
    sessions = make_session_factory(make_engine(assistant.database_url))
    with sessions.begin() as session:
        person = session.scalars(
            select(Person).where(Person.channel_user_id == rest_id(sender))).one()
        assert person.institution == "JSNU"


def test_a_university_named_in_chinese_switches_the_rules(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "西湖大学" in assistant.text(sender, "我在西湖大学工作")
    assert "西湖大学" in assistant.text(sender, "如何邀请国际访问学者？")


def test_asking_for_a_person_opens_a_handoff_request_with_the_conversation(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "my landlord kept my passport, is that allowed?")
    reply = assistant.text(sender, "I want to talk to a person")
    match = REFERENCE.search(reply)
    assert match, reply
    sessions = make_session_factory(make_engine(assistant.database_url))
    with sessions.begin() as session:
        case = session.scalars(select(Case).where(Case.reference == match.group())).one()
        assert case.type == "talk_to_person"
        assert "landlord" in str(case.facts["question"])


def test_a_question_outside_the_assistant_says_what_it_can_do(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "visas" in assistant.text(sender, "what's the weather like today?")


def test_a_message_not_understood_offers_topics_then_answers_the_one_picked(
    assistant: RunningAssistant, sender: str
) -> None:
    replies = assistant.say(sender, "qwzx plorb")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "/out_of_scope" in payloads
    answer = assistant.text(sender, "/visa_types")
    assert "X1" in answer and "Source:" in answer


@pytest.mark.parametrize("mash", ["fnaglgs imyvn elpj", "镀弋", "慝殰毝 埯镯"])
def test_keyboard_mash_is_not_taken_for_an_answer(
    assistant: RunningAssistant, sender: str, mash: str
) -> None:
    # Words the training data never showed the model: the fallback, not a confident "yes".
    replies = assistant.say(sender, mash)
    assert "/out_of_scope" in [b["payload"] for r in replies for b in r.get("buttons", [])]


@pytest.mark.parametrize("odd", ["", "   ", "👍", "?!…", "12345", "。。。", "a" * 3000])
def test_a_message_without_words_gets_an_answer_and_the_conversation_goes_on(
    assistant: RunningAssistant, sender: str, odd: str
) -> None:
    assistant.say(sender, odd)  # an HTTP error here fails the test
    assert "X1" in assistant.text(sender, "which visa types are there?")


def test_twice_not_understood_offers_a_person(assistant: RunningAssistant, sender: str) -> None:
    assistant.say(sender, "qwzx plorb")
    assert "other words" in assistant.text(sender, "/out_of_scope")
    assistant.say(sender, "zzkq vvtr")
    replies = assistant.say(sender, "/out_of_scope")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "/talk_to_person" in payloads


def test_facts_in_one_chinese_message_are_answered_at_once_in_chinese(
    assistant: RunningAssistant, sender: str
) -> None:
    answer = assistant.text(sender,
                            "我是老生，缴了一学年，出勤率85%，不是毕业班，居留许可能办多久？")
    facts = PermitFacts(student_status="returning", paid="year", attendance_percent=85,
                        final_year=False)
    assert _permit_until(facts, "zh") in answer
    assert "第六条" in answer


def test_the_language_a_channel_reports_wins_over_the_script(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "您好" in assistant.text(sender, "hello", language="zh")


# ----------------------------------------------------------------------------- calculations


def test_a_length_of_study_in_the_question_gives_the_visa_at_once(
    assistant: RunningAssistant, sender: str
) -> None:
    answer = assistant.text(sender, "I'll study for 8 months, which visa?")
    assert "X1 visa" in answer and "8 months is at least" in answer
    assert "Article 6" in answer and "How long will you study" not in answer


def test_the_general_visa_question_gets_the_rule_alone_and_a_length_given_next_decides(
    assistant: RunningAssistant, sender: str
) -> None:
    first = assistant.text(sender, "what visa do I need to study in China?")
    assert "Source:" in first and "Tell me about your own case" in first
    assert "How long will you study" not in first and "could not" not in first
    answer = assistant.text(sender, "5 months")
    assert "X2 visa" in answer and "Source:" in answer


def test_an_overstay_since_yesterday_is_answered_in_chinese(
    assistant: RunningAssistant, sender: str
) -> None:
    answer = assistant.text(sender, "我的签证昨天到期了")
    expected = overstay_penalty_since("CPU", today() - timedelta(days=1), today())
    assert expected.render("zh").splitlines()[0] in answer
    assert "第七十八条" in answer


def test_the_family_questions_ask_only_what_the_rule_needs(
    assistant: RunningAssistant, sender: str
) -> None:
    assert "master's or doctoral student at the university" in assistant.text(
        sender, "can my wife come with me to China? she would stay until 31 August 2027")
    assert "residence permit valid" in assistant.text(sender, "/affirm")
    answer = assistant.text(sender, "30 June 2027")
    assert format_date(date(2027, 6, 30), "en") in answer and "Article 10" in answer


def test_a_deadline_asked_inside_the_permit_questions_is_answered_then_they_resume(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "How long will my residence permit be?")
    assert "paid" in assistant.text(sender, "I'm a returning student")
    answer = assistant.text(sender, "my permit ends on 15 July 2027, by when must I apply to "
                                    "extend it?")
    expected = extension_application_deadline("CPU", date(2027, 7, 15)).valid_until
    assert expected is not None
    assert format_date(expected, "en") in answer and "Article 9" in answer
    assert "paid" in answer  # the permit questions go on where they stopped
    assistant.text(sender, "the whole year")
    assert "final year" in assistant.text(sender, "85%")
    facts = PermitFacts(student_status="returning", paid="year", attendance_percent=85,
                        final_year=False)
    assert _permit_until(facts) in assistant.text(sender, "no")
