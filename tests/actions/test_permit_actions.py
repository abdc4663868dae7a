"""The residence permit form and answer, run as the action server runs them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import today
from actions.facts import FACTS, phrase_answer
from actions.parsing import parse_choice
from actions.permit import (
    CHOICES,
    PERMIT_SLOTS,
    ActionPermitDuration,
    ValidatePermitDurationForm,
)
from actions.permit_text import stated_permit_dates, stated_permit_facts
from knowledge import PermitFacts, residence_permit_validity
from knowledge.permits import academic_year_start
from tests.actions.conftest import make_tracker


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or m.get("response") or "" for m in dispatcher.messages]


async def test_returning_student_with_a_full_year_paid_is_told_the_date_and_article(
    domain: dict[str, Any],
) -> None:
    slots = {"student_status": "returning", "paid": "year", "attendance_percent": 85.0,
             "final_year": False}
    dispatcher = CollectingDispatcher()
    events = await ActionPermitDuration().run(dispatcher, make_tracker(slots), domain)
    expected = residence_permit_validity(PermitFacts(**slots), today())  # type: ignore[arg-type]
    # "next September 10": the year after the one the paid academic year begins in.
    assert expected.valid_until == date(academic_year_start(today()) + 1, 9, 10)
    [answer] = texts(dispatcher)
    assert expected.valid_until.strftime("%-d %B %Y") in answer
    assert "Article 6" in answer
    assert events == [SlotSet(slot, None) for slot in PERMIT_SLOTS]


async def test_cpu_article_5_a_delayed_graduate_who_says_they_have_not_paid_gets_no_permit(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker({"student_status": "delayed_graduation",
                            "needs_courses_or_lab": True},
                           text="I have to redo a lab course but I haven't paid yet")
    form = ValidatePermitDurationForm()
    events = await form.run(CollectingDispatcher(), tracker, domain)
    assert SlotSet("paid", "none") in events
    tracker.add_slots(events)
    dispatcher = CollectingDispatcher()
    await ActionPermitDuration().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)[0]
    assert "no visa extension" in answer and "Article 5" in answer


async def test_a_delayed_graduate_with_lab_work_is_answered_at_once_then_narrowed_by_dates(
    domain: dict[str, Any],
) -> None:
    """CPU Art. 6(3): the limit comes without asking three dates; dates given later narrow it."""
    form = ValidatePermitDurationForm()
    tracker = make_tracker({}, text="my graduation is delayed and I still have lab work",
                           active_loop="permit_duration_form")
    events = await form.run(CollectingDispatcher(), tracker, domain)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["needs_courses_or_lab"] is True
    assert values.get("requested_slot") is None  # nothing asked: the answer comes now
    tracker.add_slots(events)
    dispatcher = CollectingDispatcher()
    await ActionPermitDuration().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)[0]
    assert "at the latest (180 days from today)" in answer and "lease" in answer

    lease_end = today() + timedelta(days=40)
    later = make_tracker({"student_status": "delayed_graduation", "needs_courses_or_lab": True},
                         text=f"my lease ends on {lease_end:%-d %B %Y}",
                         active_loop="permit_duration_form")
    events = await form.run(CollectingDispatcher(), later, domain)
    later.add_slots(events)
    dispatcher = CollectingDispatcher()
    await ActionPermitDuration().run(dispatcher, later, domain)
    assert f"{lease_end:%-d %B %Y} at the latest (the end of your lease)" in texts(dispatcher)[0]


async def test_a_new_permit_question_keeps_the_facts_given_for_the_last_answer(
    domain: dict[str, Any],
) -> None:
    """After an answer (which forgets the facts) another permit question in the same
    conversation asks nothing already said; what the new message says wins."""
    tracker = make_tracker({}, text="ok so with the delayed graduation, how long can it be?",
                           active_loop="permit_duration_form")
    earlier = [{"event": "slot", "name": "student_status", "value": "delayed_graduation"},
               {"event": "slot", "name": "needs_courses_or_lab", "value": True},
               {"event": "slot", "name": "paid", "value": "year"},
               {"event": "action", "name": "action_permit_duration"},
               *({"event": "slot", "name": slot, "value": None} for slot in PERMIT_SLOTS)]
    tracker.events[:0] = earlier
    tracker.slots["paid"] = "semester"  # this message's own fact
    events = await ValidatePermitDurationForm().run(CollectingDispatcher(), tracker, domain)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["student_status"] == "delayed_graduation"
    assert values["needs_courses_or_lab"] is True
    assert "paid" not in values or values["paid"] == "semester"
    assert values.get("requested_slot") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("the department approved my delay until 30 June 2027, my lease ends on 31 July 2027 and "
     "my insurance on 31 August 2027",
     {"approval_date": "2027-06-30", "lease_end": "2027-07-31", "insurance_end": "2027-08-31"}),
    ("学院批复延期到2027年6月30日，租房合同到2027年7月31日，保险到2027年8月31日",
     {"approval_date": "2027-06-30", "lease_end": "2027-07-31", "insurance_end": "2027-08-31"}),
    ("insurance until 31 August 2027", {"insurance_end": "2027-08-31"}),
    ("I arrived on 1 March 2027", {}),  # a date nothing says is a bound
])
def test_the_bounds_of_a_delayed_graduates_permit_are_read_by_the_words_before_them(
    text: str, expected: dict[str, str]
) -> None:
    assert stated_permit_dates(text, date(2026, 12, 7), "zh" if "学" in text else "en") == \
        expected


async def test_the_answer_is_in_chinese_when_the_conversation_is(domain: dict[str, Any]) -> None:
    slots = {"language": "zh", "student_status": "returning", "paid": "semester",
             "attendance_percent": 75.0}
    dispatcher = CollectingDispatcher()
    await ActionPermitDuration().run(dispatcher, make_tracker(slots), domain)
    assert "第六条" in texts(dispatcher)[0]


async def test_a_case_the_regulation_does_not_cover_offers_a_request(
    domain: dict[str, Any],
) -> None:
    slots = {"student_status": "returning", "paid": "semester", "attendance_percent": 90.0}
    dispatcher = CollectingDispatcher()
    await ActionPermitDuration().run(dispatcher, make_tracker(slots), domain)
    assert "utter_offer_request" in texts(dispatcher)


async def test_the_form_asks_a_returning_student_for_payment_not_programme(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker({"student_status": "returning"}, active_loop="permit_duration_form")
    required = await ValidatePermitDurationForm().required_slots(
        list(domain["forms"]["permit_duration_form"]["required_slots"]),
        CollectingDispatcher(), tracker, domain,
    )
    assert required[0] == "paid"
    assert "programme" not in required


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("85%", 85.0), ("my attendance is 78 percent", 78.0), ("百分之七十五", 75.0), ("70", 70.0)],
)
async def test_attendance_typed_in_free_text_is_read(
    typed: str, stored: float, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(text=typed)
    result = ValidatePermitDurationForm().validate_attendance_percent(
        typed, CollectingDispatcher(), tracker, domain
    )
    assert result == {"attendance_percent": stored}


async def test_unreadable_attendance_is_asked_again_with_an_example(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    result = ValidatePermitDurationForm().validate_attendance_percent(
        "quite good", dispatcher, make_tracker(text="quite good"), domain
    )
    assert result == {"attendance_percent": None}
    assert texts(dispatcher) == ["utter_invalid_attendance"]


@pytest.mark.parametrize(
    ("slot", "typed", "stored"),
    [
        ("student_status", "I'm a returning student", "returning"),
        ("student_status", "我是新生", "new"),
        ("programme", "master programme", "degree"),
        ("programme", "预科", "language"),
        ("paid", "one semester", "semester"),
        ("paid", "还没交", "none"),
    ],
)
def test_choices_typed_in_free_text_are_read(
    slot: str, typed: str, stored: str, domain: dict[str, Any]
) -> None:
    validate = getattr(ValidatePermitDurationForm(), f"validate_{slot}")
    assert validate(typed, CollectingDispatcher(), make_tracker(text=typed), domain) == {
        slot: stored
    }


def test_a_date_that_cannot_be_read_is_asked_again(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    result = ValidatePermitDurationForm().validate_lease_end(
        "whenever", dispatcher, make_tracker(text="whenever"), domain
    )
    assert result == {"lease_end": None}
    assert texts(dispatcher) == ["utter_invalid_date"]


def test_a_chinese_date_is_stored_as_a_calendar_date(domain: dict[str, Any]) -> None:
    tracker = make_tracker({"language": "zh"}, text="2027年6月30日")
    result = ValidatePermitDurationForm().validate_approval_date(
        "2027年6月30日", CollectingDispatcher(), tracker, domain
    )
    assert result == {"approval_date": "2027-06-30"}


# ------------------------------------------------------------------ facts stated in the question


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm a returning student, paid the whole year, attendance 85%, not final year, how long "
     "is my residence permit?",
     {"student_status": "returning", "paid": "year", "attendance_percent": 85.0,
      "final_year": False}),
    ("new master student, I have not paid yet", {"student_status": "new", "programme": "degree",
                                                 "paid": "none"}),
    ("returning, paid for one semester only, my attendance was 92 percent, final year",
     {"student_status": "returning", "paid": "semester", "attendance_percent": 92.0,
      "final_year": True}),
    ("I'm in my last year and paid the year's tuition", {"final_year": True, "paid": "year"}),
    ("annual fees are paid, I'm a language student",
     {"paid": "year", "programme": "language"}),
    ("我是老生，交了一学年的学费，出勤率85%，不是毕业年级，居留许可能办多久？",
     {"student_status": "returning", "paid": "year", "attendance_percent": 85.0,
      "final_year": False}),
    ("我是新生，读硕士，还没交学费", {"student_status": "new", "programme": "degree",
                                  "paid": "none"}),
    ("在读生，只交了一个学期，出勤百分之七十八，今年毕业",
     {"student_status": "returning", "paid": "semester", "attendance_percent": 78.0,
      "final_year": True}),
    ("语言生，延期毕业", {"programme": "language", "student_status": "delayed_graduation"}),
    # As people write them (issue 19): possessives, arrivals, years of study, 的钱, 这学年.
    ("I'm a new master's student and paid the whole first academic year",
     {"student_status": "new", "programme": "degree", "paid": "year"}),
    ("I'm a 语言生, arrived this September. Already paid 一整年",
     {"student_status": "new", "programme": "language", "paid": "year"}),
    ("药大语言生 新来的 一年的钱都交了", {"student_status": "new", "programme": "language",
                                   "paid": "year"}),
    ("预科班的新生，目前只交了第一个学期的钱", {"student_status": "new", "programme": "language",
                                      "paid": "semester"}),
    ("博二，2027-2028学年的学费已经全部交了", {"student_status": "returning", "paid": "year",
                                      "academic_year": 2027}),
    ("老生 这学年的费用都交清了", {"student_status": "returning", "paid": "year"}),
    ("in my 4th year, I paid the full 2027-2028 year", {"student_status": "returning",
                                                        "paid": "year", "academic_year": 2027}),
    ("新生，2027年9月报到的，一整年的学费已经交清", {"student_status": "new", "paid": "year",
                                         "academic_year": 2027}),
    ("new student, I registered on 6 September 2027 and paid for the whole year",
     {"student_status": "new", "paid": "year", "academic_year": 2027}),
    ("My graduation got delayed, I still need around four months of lab work",
     {"student_status": "delayed_graduation", "needs_courses_or_lab": True}),
    ("my graduation is delayed, I don't have any courses or lab work left",
     {"student_status": "delayed_graduation", "needs_courses_or_lab": False}),
    ("延期毕业了，还有两组实验要在学校实验室做完", {"student_status": "delayed_graduation",
                                         "needs_courses_or_lab": True}),
    ("延毕了 课和实验都弄完了", {"student_status": "delayed_graduation",
                          "needs_courses_or_lab": False}),
    # Both semesters are the year; a semester said in the passive is still one semester.
    ("I paid for both semesters", {"paid": "year"}), ("两个学期都交了", {"paid": "year"}),
    ("交了两个学期", {"paid": "year"}), ("only the first semester is paid", {"paid": "semester"}),
    ("只交了上学期", {"paid": "semester"}), ("the whole year is paid", {"paid": "year"}),
    ("paid everything for 2026-2027", {"paid": "year", "academic_year": 2026}),
])
def test_facts_stated_in_the_question_are_read(text: str, expected: dict[str, Any]) -> None:
    assert stated_permit_facts(text) == expected


@pytest.mark.parametrize("text", [
    "how long is my residence permit?",
    "I paid 100% of the fee",  # a rate, but not of attendance
    "attendance 85% last term and 90% this term",  # two rates: which one is meant?
    "not sure which year",
    "居留许可能办多久？",
])
def test_what_a_sentence_does_not_say_clearly_is_not_read(text: str) -> None:
    facts = stated_permit_facts(text)
    assert "attendance_percent" not in facts and "paid" not in facts
    assert "final_year" not in facts


async def test_stated_facts_win_over_a_mistagged_entity(domain: dict[str, Any]) -> None:
    text = ("I'm a returning student, paid the whole year, attendance 85%, not final year, "
            "how long is my residence permit?")
    # What a tagger made of it: "year" of "not final year" as the payment, "not" as final year.
    tracker = make_tracker({"student_status": "returning", "paid": "true", "final_year": "not",
                            "attendance_percent": "85%"}, text=text,
                           active_loop="permit_duration_form")
    events = await ValidatePermitDurationForm().run(CollectingDispatcher(), tracker, domain)
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["paid"] == "year" and values["final_year"] is False
    assert values["attendance_percent"] == 85.0
    assert values.get("requested_slot") is None  # nothing left to ask: the answer comes at once


@pytest.mark.parametrize("said", ["I didn't pay", "fees unpaid", "我欠学费", "还没有交", "没付",
                                  "i didnt pay", "I haven’t paid", "i still havent paid"])
def test_every_reader_of_the_fees_takes_a_not_paid_statement_alike(said: str) -> None:
    # The permit form's short answer, a statement inside a question, and the calculators.
    assert parse_choice(said, CHOICES["paid"]) == "none"
    assert stated_permit_facts(f"how long is my permit? {said}")["paid"] == "none"
    assert phrase_answer(FACTS["fees_paid"], said) is False


@pytest.mark.parametrize(("answer", "paid"), [
    ("I paid for both semesters", "year"), ("两个学期都交了", "year"),
    ("only the first semester is paid", "semester"), ("one semester", "semester"),
    ("the whole year", "year"), ("还没交", "none"),
])
def test_the_answer_about_fees_is_read_as_a_statement_first(answer: str, paid: str) -> None:
    tracker = make_tracker(text=answer, requested_slot="paid")
    dispatcher = CollectingDispatcher()
    assert ValidatePermitDurationForm().validate_paid(answer, dispatcher, tracker, {}) == \
        {"paid": paid}
    assert dispatcher.messages == []
