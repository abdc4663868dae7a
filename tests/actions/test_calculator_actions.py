"""Calculations for the person's own case: facts read from the question, only the facts that
matter asked for, the rule's decision with its articles, corrections and interrupted forms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.calculators import (
    CALCULATORS,
    FACTS_SLOT,
    ActionAnswerCalculation,
    ActionAskCalculatorAnswer,
    ActionCorrectCalculation,
    ActionNewCalculation,
    ValidateCalculatorForm,
)
from actions.conversation import today
from actions.facts import (
    FACTS,
    Fact,
    assign_dates,
    cued_dates,
    decode,
    encode,
    phrase_answer,
    read_facts,
)
from actions.loops import interrupted_form
from actions.parsing import DateMention
from knowledge import dependent_permit, overstay_penalty_since, visiting_scholar_stay
from knowledge.calculations import FACT_KINDS
from knowledge.dependents import MASTER
from knowledge.durations import StayLength
from tests.actions.conftest import make_tracker

TODAY = date(2026, 11, 23)


def tracker_for(
    text: str,
    intent: str = "inform",
    facts: dict[str, Any] | None = None,
    topic: str | None = None,
    loops: tuple[str | None, ...] = (),
    **slots: Any,
) -> Tracker:
    """The tracker after ``text``, with a calculation of ``topic`` under way (if given) and
    the active-loop events of ``loops`` before the message."""
    if topic is not None:
        slots[FACTS_SLOT] = {"topic": topic, "facts": encode(facts or {})}
    active = loops[-1] if loops else None
    tracker = make_tracker(slots=slots, text=text, intent=intent, active_loop=active)
    tracker.events[:0] = [{"event": "active_loop", "name": loop} for loop in loops]
    return tracker


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or m.get("response") or "" for m in dispatcher.messages]


# ----------------------------------------------------------------------------- reading facts


def test_each_date_goes_to_the_fact_its_words_name() -> None:
    facts = (FACTS["permit_expiry"], FACTS["family_until"])
    mentions = [DateMention(date(2027, 6, 30), 0, "my permit ends on "),
                DateMention(date(2027, 7, 1), 40, " and my wife wants to stay until ")]
    assert assign_dates(facts, mentions) == {"permit_expiry": date(2027, 6, 30),
                                             "family_until": date(2027, 7, 1)}


def test_dates_without_words_follow_the_order_of_the_facts() -> None:
    facts = (FACTS["arrival"], FACTS["departure"])
    mentions = [DateMention(date(2027, 3, 1), 0, "他"), DateMention(date(2027, 6, 30), 9, "，")]
    assert assign_dates(facts, mentions) == {"arrival": date(2027, 3, 1),
                                             "departure": date(2027, 6, 30)}


def test_a_bare_date_answers_the_fact_just_asked() -> None:
    facts = (FACTS["arrival"], FACTS["departure"])
    mentions = [DateMention(date(2027, 6, 30), 0, "")]
    assert assign_dates(facts, mentions, asked="departure") == {"departure": date(2027, 6, 30)}


@pytest.mark.parametrize(
    ("fact", "text", "answer"),
    [
        ("fees_paid", "what happens if I don't pay my tuition?", False),
        ("fees_paid", "I have already paid", True),
        ("fees_paid", "我还没交学费", False),
        ("university_consent", "未经学校同意可以打工吗", False),
        ("university_consent", "经学校同意后可以吗", True),
        ("within_limits", "没有超出规定时间", True),
        ("graduate_full_time", "I'm a full-time PhD student", True),
        ("graduate_full_time", "我是本科生", False),
        # CPU Art. 10bis follows the Chinese text: master's and doctoral students, full-time
        # or not (this case used to read as unknown, and "part-time" as no).
        ("graduate_full_time", "I'm a PhD student", True),
        ("graduate_full_time", "I'm a part-time master's student", True),
        ("graduate_full_time", "我是非全日制硕士", True),
        ("work_annotation", "I'm not sure", None),
        # Typed on a phone: the apostrophe left out.
        ("fees_paid", "i still didnt pay for next year", False),
        ("withdrawal_applied", "and i didnt submit anything", False),
        ("withdrawal_applied", "i havent applied to withdraw", False),
        ("work_annotation", "im not sure", None),
        # Mixed-language: the English word inside a Chinese sentence.
        ("withdrawal_applied", "学费还是没交上，也没办withdrawal", False),
        ("withdrawal_applied", "我没办退学手续", False),
    ],
)
def test_yes_and_no_are_read_only_from_clear_phrases(
    fact: str, text: str, answer: bool | None
) -> None:
    assert phrase_answer(FACTS[fact], text) is answer


def test_a_message_can_carry_several_facts() -> None:
    calc = CALCULATORS["dependents"]
    text = ("I'm a full-time PhD student, my permit ends on 30 June 2027 and my wife wants "
            "to stay until 1 July 2027")
    assert read_facts(calc.facts, text, TODAY, "en") == {
        "graduate_full_time": True, "permit_expiry": date(2027, 6, 30),
        "family_until": date(2027, 7, 1)}


def test_stored_facts_read_back() -> None:
    facts = {"permit_expiry": date(2027, 6, 30), "stay_length": StayLength(months=8),
             "fees_paid": False}
    assert decode(encode(facts)) == facts
    assert decode({"permit_expiry": "not a date", "unknown": 1}) == {}


# ----------------------------------------------------------------------------- the domain


def test_every_fact_read_from_messages_is_a_fact_the_rules_know() -> None:
    assert set(FACTS) == set(FACT_KINDS)


def test_every_question_and_calculation_is_in_the_domain(domain: dict[str, Any]) -> None:
    for calc in CALCULATORS.values():
        assert calc.topic in domain["intents"]
        for fact in calc.calculation.asks:
            assert calc.question(fact) in domain["responses"]
        assert calc.impossible in domain["responses"]


# ----------------------------------------------------------------------------- the question


async def test_facts_in_the_question_answer_at_once(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("I'll study for 8 months, which visa?", intent="visa_types")
    events = await ActionNewCalculation().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert events == [SlotSet(FACTS_SLOT, {"topic": "visa_types",
                                           "facts": {"stay_length": "P8M0D"}}),
                      SlotSet("calculator_answer", None)]


async def test_a_question_without_facts_gets_the_general_rule_and_asks_nothing(
    domain: dict[str, Any],
) -> None:
    """"Which visa do I need?" is answered; a person who gives no facts is not questioned."""
    tracker = tracker_for("what visa do I need to study in China?", intent="visa_types")
    dispatcher = CollectingDispatcher()
    events = await ActionNewCalculation().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    started = tracker_for("what visa do I need to study in China?", intent="visa_types",
                          topic="visa_types")
    assert await ValidateCalculatorForm().required_slots(
        [], CollectingDispatcher(), started, domain) == []
    await ActionAnswerCalculation().run(dispatcher, started, domain)
    general, invitation = texts(dispatcher)
    assert "X1" in general and "180 days" in general and "Source:" in general
    assert invitation == "utter_tell_me_your_case"
    assert events[0] == SlotSet(FACTS_SLOT, {"topic": "visa_types", "facts": {}})


async def test_a_question_with_some_facts_gets_the_general_rule_then_the_questions(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("can my wife come with me? I'm a master's student",
                          intent="dependents")
    events = await ActionNewCalculation().run(dispatcher, tracker, domain)
    general, offer = texts(dispatcher)
    assert "Source:" in general and offer == "utter_for_your_case"
    assert events[0]["value"]["facts"]  # what the question said is kept, the rest asked


async def test_the_general_rule_is_in_chinese_for_a_chinese_question(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("来中国读书要什么签证？", intent="visa_types", language="zh",
                          topic="visa_types")
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    assert "依据：" in texts(dispatcher)[0]


async def test_asking_again_while_the_form_runs_keeps_the_answers(
    domain: dict[str, Any],
) -> None:
    tracker = tracker_for("my permit ends on 30 June 2027, can my wife come?", intent="dependents",
                          topic="dependents", facts={"graduate_full_time": True},
                          loops=("calculator_form",))
    events = await ActionNewCalculation().run(CollectingDispatcher(), tracker, domain)
    assert events[0] == SlotSet(FACTS_SLOT, {"topic": "dependents", "facts": {
        "graduate_full_time": True, "permit_expiry": "2027-06-30"}})


async def test_a_new_question_does_not_reuse_an_old_answer(domain: dict[str, Any]) -> None:
    tracker = tracker_for("how much is the fine for overstaying?", intent="overstay_penalty",
                          topic="overstay_penalty", facts={"permit_expiry": date(2026, 3, 3)})
    events = await ActionNewCalculation().run(CollectingDispatcher(), tracker, domain)
    assert events[0] == SlotSet(FACTS_SLOT, {"topic": "overstay_penalty", "facts": {}})


async def test_the_form_asks_the_next_fact_in_its_own_words(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("/affirm", topic="dependents", facts={"graduate_full_time": True})
    await ActionAskCalculatorAnswer().run(dispatcher, tracker, domain)
    assert texts(dispatcher) == ["utter_ask_own_permit_end"]


async def test_the_form_is_done_when_no_fact_can_change_the_answer(
    domain: dict[str, Any],
) -> None:
    tracker = tracker_for("I'm an undergraduate", topic="dependents",
                          facts={"graduate_full_time": False})
    required = await ValidateCalculatorForm().required_slots(
        ["calculator_answer"], CollectingDispatcher(), tracker, domain)
    assert required == []


# ----------------------------------------------------------------------------- the answers


def validate(text: str, intent: str = "inform", **kwargs: Any) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for(text, intent=intent, **kwargs)
    result = ValidateCalculatorForm().validate_calculator_answer(text, dispatcher, tracker, {})
    return result, texts(dispatcher)


def test_an_answer_is_read_and_stored() -> None:
    result, said = validate("两年", topic="visa_types", language="zh")
    assert result == {"calculator_answer": None,
                      FACTS_SLOT: {"topic": "visa_types", "facts": {"stay_length": "P24M0D"}}}
    assert said == []


def test_a_yes_button_answers_a_yes_no_question() -> None:
    result, _ = validate("/affirm", intent="affirm", topic="automatic_withdrawal",
                         facts={"fees_paid": False})
    assert result[FACTS_SLOT]["facts"] == {"fees_paid": False, "withdrawal_applied": True}


@pytest.mark.parametrize(
    ("topic", "text", "response"),
    [
        ("visa_types", "a semester", "utter_invalid_stay_length"),
        ("visa_types", "5 months and 28 days", "utter_invalid_stay_length"),
        ("overstay_penalty", "a while ago", "utter_invalid_date"),
        ("work_study", "hmm, no idea", "utter_invalid_choice"),
    ],
)
def test_an_unreadable_answer_is_asked_again_with_an_example(
    topic: str, text: str, response: str
) -> None:
    result, said = validate(text, topic=topic, institution="JSNU")
    assert result[FACTS_SLOT]["facts"] == {}
    assert said == [response]


def test_a_departure_before_the_arrival_is_refused() -> None:
    result, said = validate("1 February 2027", topic="invite_visiting_scholar",
                            facts={"arrival": date(2027, 3, 1)}, institution="WESTLAKE")
    assert result[FACTS_SLOT]["facts"] == {"arrival": "2027-03-01"}
    assert said == ["utter_departure_before_arrival"]


def test_a_length_instead_of_the_departure_date_is_used() -> None:
    result, said = validate("4 months", topic="invite_visiting_scholar",
                            facts={"arrival": date(2027, 3, 1)}, institution="WESTLAKE")
    assert result[FACTS_SLOT]["facts"] == {"arrival": "2027-03-01", "stay_length": "P4M0D"}
    assert said == []


def test_a_correction_of_an_earlier_fact_in_the_middle_is_taken_without_complaint() -> None:
    result, said = validate("actually I'm a bachelor student", topic="dependents",
                            facts={"graduate_full_time": True})
    assert result[FACTS_SLOT]["facts"] == {"graduate_full_time": False}
    assert said == []


async def test_the_answer_cites_the_article(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    expiry = today() - timedelta(days=3)
    tracker = tracker_for("3 days ago", topic="overstay_penalty", facts={"permit_expiry": expiry})
    events = await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    expected = overstay_penalty_since("CPU", expiry, today())
    assert texts(dispatcher) == [expected.render("en")]
    assert "Article 78" in texts(dispatcher)[0]
    assert events == []


async def test_the_answer_is_in_chinese_for_a_chinese_conversation(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("2027年6月30日", topic="dependents", language="zh", institution="JSNU",
                          facts={"permit_expiry": date(2027, 6, 30)})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    expected = dependent_permit("JSNU", MASTER, True, date(2027, 6, 30))
    assert texts(dispatcher) == [expected.render("zh"), "utter_offer_case"]
    [button] = dispatcher.messages[-1]["buttons"]
    assert button == {"title": "家属陪读申请",
                      "payload": '/open_request{"case_type":"dependent_invitation"}'}
    assert "2027年6月30日" in texts(dispatcher)[0] and "第五条" in texts(dispatcher)[0]


@pytest.mark.parametrize(
    ("length", "visa"),
    [(StayLength(months=6), "X1"), (StayLength(months=5), "X2"), (StayLength(days=180), "X2"),
     (StayLength(days=181), "X1"), (StayLength(months=24), "X1")],
)
async def test_the_visa_follows_the_length_counted_on_the_calendar(
    domain: dict[str, Any], length: StayLength, visa: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="visa_types", facts={"stay_length": length})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    assert f"an {visa} visa" in texts(dispatcher)[0]


async def test_months_are_said_as_the_days_they_are_at_least(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="visa_types", facts={"stay_length": StayLength(months=6)})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    # The answer names the university whose rules it applies, then the days.
    assert texts(dispatcher)[0].startswith(
        "At China Pharmaceutical University, 6 months is at least 181 days. For 181 days")


async def test_a_scholar_stay_given_as_a_length_ends_on_the_calendar_day(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="invite_visiting_scholar", institution="WESTLAKE",
                          facts={"arrival": date(2027, 3, 1), "stay_length": StayLength(months=3)})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    expected = visiting_scholar_stay("WESTLAKE", date(2027, 3, 1), date(2027, 6, 1))
    assert texts(dispatcher) == [expected.render("en"), "utter_offer_case"]


async def test_a_university_without_the_rule_gets_an_offer_of_a_request(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("can I work part-time?", topic="work_study", institution="CPU")
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    # One offer: the rules do not settle it, and the button opens the request.
    assert texts(dispatcher)[1:] == ["utter_uncovered_offer_case"]
    assert dispatcher.messages[1]["buttons"][0]["payload"] == (
        '/open_request{"case_type":"work_study_annotation"}')
    assert "Jiangsu Normal University, Article 7" in texts(dispatcher)[0]


async def test_a_correction_after_the_answer_keeps_the_other_facts(
    domain: dict[str, Any],
) -> None:
    tracker = tracker_for("actually my permit ends on 31 August 2027", topic="dependents",
                          facts={"graduate_full_time": True, "permit_expiry": date(2027, 6, 30)})
    events = await ActionCorrectCalculation().run(CollectingDispatcher(), tracker, domain)
    assert events[0] == SlotSet(FACTS_SLOT, {"topic": "dependents", "facts": {
        "graduate_full_time": True, "permit_expiry": "2027-08-31"}})


# ----------------------------------------------------------------------------- interruptions


def test_a_form_that_replaced_another_one_names_it_once_it_is_done(
    domain: dict[str, Any],
) -> None:
    tracker = tracker_for("15 July 2027", loops=("permit_duration_form", "deadline_form", None))
    assert interrupted_form(tracker, domain, "deadline_form") == "permit_duration_form"


@pytest.mark.parametrize(
    "loops",
    [
        ("deadline_form", None),  # started on its own
        ("permit_duration_form", None, "deadline_form", None),  # the other one had finished
        ("permit_duration_form", "deadline_form", None, "permit_duration_form", None),  # later
        ("action_two_stage_fallback", "deadline_form", None),  # not a form
    ],
)
def test_nothing_is_resumed_unless_a_form_was_interrupted(
    domain: dict[str, Any], loops: tuple[str | None, ...]
) -> None:
    assert interrupted_form(tracker_for("", loops=loops), domain, "deadline_form") is None


async def test_a_calculation_asked_inside_the_permit_questions_resumes_them(
    domain: dict[str, Any],
) -> None:
    tracker = tracker_for("two years", topic="visa_types",
                          facts={"stay_length": StayLength(months=24)},
                          loops=("permit_duration_form", "calculator_form", None))
    events = await ActionAnswerCalculation().run(CollectingDispatcher(), tracker, domain)
    assert events == [ActiveLoop("permit_duration_form")]



async def test_cpu_article_7_on_the_expiry_day_itself_the_student_is_told_to_pay_today(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="automatic_withdrawal", facts={
        "fees_paid": False, "withdrawal_applied": False, "permit_expiry": today()})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)[0]
    assert "you can still pay or apply for withdrawal today" in answer
    assert "expired on" not in answer


async def test_jsnu_article_15_unpaid_fees_at_jsnu_are_not_covered_and_a_person_is_offered(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="automatic_withdrawal", institution="JSNU")
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    assert "do not say" in texts(dispatcher)[0]
    assert texts(dispatcher)[-1] == "utter_offer_request"


async def test_cpu_article_10bis_the_chinese_text_sets_no_full_time_condition(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_for("", topic="dependents", facts={
        "graduate_full_time": True, "permit_expiry": date(2027, 6, 30)})
    await ActionAnswerCalculation().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)[0]
    assert "may stay until 30 June 2027" in answer
    assert "full-time" not in answer


def test_a_cue_written_right_after_a_date_names_it_as_chinese_puts_it() -> None:
    leaving = Fact("leaving", cues=("leave",), cues_after=("离校",))
    on = date(2026, 12, 7)
    said = "我7月1号离校，居留许可到7月15号"
    assert cued_dates((leaving,), said, on, "zh") == {"leaving": date(2027, 7, 1)}
    assert cued_dates((leaving,), "I leave on 1 July 2027, permit until 15 July 2027", on,
                      "en") == {"leaving": date(2027, 7, 1)}
    assert cued_dates((leaving,), "居留许可到7月15号", on, "zh") == {}
