"""The dialogue's actions: FAQ answers, deadlines, language, university, fallback and handoff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation import conversation_summary, institution, today
from actions.deadlines import (
    DEADLINE_TOPICS,
    ActionAnswerDeadline,
    ActionAskEventDate,
    ValidateDeadlineForm,
    find_date,
)
from actions.fallback import ActionAskAffirmation, ActionTalkToPerson
from actions.faq import (
    INTENT_TOPICS,
    TOPIC_CASE_TYPES,
    ActionAnswerFaq,
    answer_for,
    general_answer,
)
from actions.institution import ActionChooseInstitution, ActionSessionStart
from actions.permit import ActionRestorePermitFacts, answered_facts
from actions.store import sessions
from casestore.case_types import CASE_TYPES
from casestore.models import Case, Person
from knowledge import (
    FAQ_TOPICS,
    Decision,
    extension_application_deadline,
    format_date,
    medical_examination_deadline,
    new_student_payment_deadline,
    registration_deadline,
    transfer_deadline,
)
from knowledge.core import Period
from tests.actions.conftest import make_tracker


def conversation(
    *texts: str,
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    ranking: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    sender_id: str = "student-1",
    input_channel: str = "rest",
) -> Tracker:
    """A tracker after the person typed ``texts`` on ``input_channel``; the last one is the
    latest message."""
    all_slots = {"language": "en", **(slots or {})}
    latest = {
        "text": texts[-1],
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [],
        "entities": entities or [],
        "message_id": f"m-{len(texts)}",
        "metadata": metadata or {},
    }
    events: list[dict[str, Any]] = [{"event": "user", "text": t, "input_channel": input_channel}
                                    for t in texts[:-1]]
    events.append({"event": "user", "text": texts[-1], "parse_data": latest,
                   "input_channel": input_channel})
    return Tracker(sender_id=sender_id, slots=all_slots, latest_message=latest, events=events,
                   paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


# ----------------------------------------------------------------------------- FAQ


def test_every_knowledge_topic_has_an_intent() -> None:
    assert set(FAQ_TOPICS) <= set(INTENT_TOPICS.values())


def test_every_topic_intent_is_in_the_domain(domain: dict[str, Any]) -> None:
    intents = set(domain["intents"])
    missing = [i for i, t in INTENT_TOPICS.items() if i not in intents
               and t != "residence_permit_validity"]
    assert missing == []


async def test_a_faq_answer_cites_the_article_of_the_chosen_university(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("can my wife come?", intent="dependents",
                           slots={"institution": "JSNU"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert "Jiangsu Normal University, Article 5" in dispatcher.messages[0]["text"]


async def test_a_faq_answer_is_in_chinese_for_a_chinese_conversation(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("签证类型", intent="visa_types", slots={"language": "zh"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert "依据：" in dispatcher.messages[0]["text"]


async def test_a_topic_the_university_does_not_cover_offers_a_request(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("how do I invite a visiting scholar", intent="invite_visiting_scholar",
                           slots={"institution": "CPU"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    # One offer, not two: the request button, saying first that the rules do not settle it.
    assert [m.get("response") for m in dispatcher.messages] == [
        None, "utter_uncovered_offer_case"]
    assert dispatcher.messages[1]["buttons"][0]["payload"] == (
        '/open_request{"case_type":"visiting_scholar"}')


async def test_an_uncovered_topic_without_a_request_of_its_own_offers_a_person(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("can I travel to Tibet", intent="closed_area_travel",
                           slots={"institution": "CPU"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == [None, "utter_offer_request"]


async def test_a_procedure_the_office_runs_ends_with_a_button_that_opens_its_request(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("how do I invite a foreign guest for a talk",
                           intent="invite_short_term_visitor", slots={"institution": "WESTLAKE"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    offer = dispatcher.messages[-1]
    assert offer["response"] == "utter_offer_case"
    assert [b["payload"] for b in offer["buttons"]] == [
        '/open_request{"case_type":"short_term_visitor_invitation"}']


async def test_a_rule_without_a_request_has_no_request_button(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("must I carry my passport", intent="carry_passport")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == [None]


def test_every_request_button_opens_a_known_request_type() -> None:
    assert set(TOPIC_CASE_TYPES) <= set(FAQ_TOPICS)
    assert set(TOPIC_CASE_TYPES.values()) <= set(CASE_TYPES)


async def test_who_does_what_is_read_from_the_question(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("who handles foreign expert recruitment?",
                           intent="office_responsibilities", slots={"institution": "QJNU"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert "responsibility 3" in dispatcher.messages[0]["text"]


# ----------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my permit expires on 15 July 2027, when do I apply?", date(2027, 7, 15)),
        ("我的居留许可2027年7月15日到期", date(2027, 7, 15)),
        ("it ends 2027-07-15", date(2027, 7, 15)),
        ("July 15, 2027", date(2027, 7, 15)),
    ],
)
def test_a_date_written_in_a_sentence_is_found(text: str, expected: date) -> None:
    assert find_date(text, date(2026, 11, 23), "en") == expected


def test_a_question_without_a_date_has_none() -> None:
    assert find_date("when should I apply to extend my residence permit?", date(2026, 11, 23)) \
        is None


def test_an_arrival_without_a_year_is_the_last_one_not_the_next() -> None:
    assert find_date("I arrived on 1 September", date(2026, 11, 23), "en", in_past=True) \
        == date(2026, 9, 1)


def test_every_deadline_topic_has_its_date_question(domain: dict[str, Any]) -> None:
    for topic in DEADLINE_TOPICS:
        assert f"utter_ask_date_{topic}" in domain["responses"]


async def test_the_date_in_the_question_answers_the_form_at_once(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("I arrived at JSNU on 2027-03-01, when must I change my permit?",
                           intent="transfer", slots={"deadline_topic": "transfer",
                                                     "institution": "JSNU"})
    extracted = await ValidateDeadlineForm().extract_event_date(
        CollectingDispatcher(), tracker, domain)
    assert extracted == {"event_date": "2027-03-01"}


async def test_a_deadline_the_university_does_not_set_needs_no_date(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("I transferred here", intent="transfer",
                           slots={"deadline_topic": "transfer", "institution": "CPU"})
    required = await ValidateDeadlineForm().required_slots(
        ["event_date"], CollectingDispatcher(), tracker, domain)
    assert required == []


def test_an_unreadable_date_is_asked_again_with_an_example(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("sometime soon", slots={"deadline_topic": "extension_application"})
    result = ValidateDeadlineForm().validate_event_date("sometime soon", dispatcher, tracker,
                                                         domain)
    assert result == {"event_date": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_date"


async def test_the_date_question_names_the_topic(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("when do I renew", slots={"deadline_topic": "extension_application"})
    await ActionAskEventDate().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_date_extension_application"


async def test_the_deadline_answer_gives_the_date_and_the_article(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("15 July 2027", slots={"deadline_topic": "extension_application",
                                                  "event_date": "2027-07-15"})
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    expected = extension_application_deadline("CPU", date(2027, 7, 15))
    assert expected.valid_until is not None
    text = dispatcher.messages[0]["text"]
    assert format_date(expected.valid_until, "en") in text
    assert "China Pharmaceutical University, Article 9" in text


async def test_a_corrected_date_after_the_answer_gives_the_new_deadline(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("actually I arrived on 2027-03-05",
                           slots={"deadline_topic": "transfer", "institution": "JSNU",
                                  "event_date": "2027-03-01"})
    events = await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    expected = transfer_deadline("JSNU", date(2027, 3, 5)).valid_until
    assert expected is not None
    assert format_date(expected, "en") in dispatcher.messages[0]["text"]
    assert events == [SlotSet("event_date", "2027-03-05")]


async def test_a_deadline_question_without_a_date_gets_the_general_rule_and_asks_nothing(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("when should I apply to extend my residence permit?",
                           intent="extension_application",
                           slots={"deadline_topic": "extension_application"})
    assert await ValidateDeadlineForm().required_slots(
        ["event_date"], CollectingDispatcher(), tracker, domain) == []
    dispatcher = CollectingDispatcher()
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    general, *_, invitation = dispatcher.messages
    assert "China Pharmaceutical University, Article 9" in general["text"]
    assert invitation["response"] == "utter_tell_me_your_case"
    # With a date the form takes it at once; asked inside the form, the date is asked for.
    dated = conversation("my permit expires on 15 July 2027, when should I apply?",
                         intent="extension_application",
                         slots={"deadline_topic": "extension_application"})
    assert await ValidateDeadlineForm().required_slots(
        ["event_date"], CollectingDispatcher(), dated, domain) == ["event_date"]
    asked = CollectingDispatcher()
    await ActionAskEventDate().run(asked, tracker, domain)
    assert [m["response"] for m in asked.messages] == ["utter_ask_date_extension_application"]


async def test_a_date_in_a_deadline_question_asked_inside_another_form_is_used(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("my permit expires on 15 July 2027, when do I apply to extend it?",
                           intent="extension_application",
                           slots={"deadline_topic": "extension_application",
                                  "requested_slot": "attendance_percent"})
    extracted = await ValidateDeadlineForm().extract_event_date(
        CollectingDispatcher(), tracker, domain)
    assert extracted == {"event_date": "2027-07-15"}


async def test_a_deadline_asked_again_without_a_date_is_worked_out_for_the_earlier_date(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("got my new passport on 1 December 2026, I'm at CPU",
                           "so do I have to register again? by when?",
                           intent="temporary_registration",
                           slots={"deadline_topic": "temporary_registration"})
    tracker.events[0]["parse_data"] = {"intent": {"name": "temporary_registration"}}
    form = ValidateDeadlineForm()
    assert await form.required_slots(["event_date"], CollectingDispatcher(), tracker,
                                     domain) == ["event_date"]
    assert await form.extract_event_date(CollectingDispatcher(), tracker, domain) == \
        {"event_date": "2026-12-01"}
    tracker.slots["event_date"] = "2026-12-01"
    dispatcher = CollectingDispatcher()
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    # counted from the new passport the earlier message named, not from an entry
    expected = registration_deadline("CPU", "new_passport", date(2026, 12, 1), today())
    assert dispatcher.messages[0]["text"] == expected.render("en")
    # an earlier date about another topic is not taken
    tracker.events[0]["parse_data"] = {"intent": {"name": "lost_passport"}}
    assert await form.extract_event_date(CollectingDispatcher(), tracker, domain) == \
        {"event_date": None}


async def test_a_deadline_the_documents_do_not_set_still_answers_a_question_that_asks_no_time(
    domain: dict[str, Any],
) -> None:
    slots = {"deadline_topic": "stay_permit", "institution": "JSNU"}
    what = conversation("I am suspending my studies for a year, what happens to my permit?",
                        intent="stay_permit", slots=slots)
    dispatcher = CollectingDispatcher()
    await ActionAnswerDeadline().run(dispatcher, what, domain)
    rule = general_answer("stay_permit", "JSNU")
    assert rule is not None and rule.covered
    assert dispatcher.messages[0]["text"] == rule.render("en")
    assert "utter_tell_me_your_case" not in [m.get("response") for m in dispatcher.messages]
    # asked when, it says the documents set no date
    when = conversation("by when must I apply for the stay permit?", intent="stay_permit",
                        slots=slots)
    dispatcher = CollectingDispatcher()
    await ActionAnswerDeadline().run(dispatcher, when, domain)
    assert dispatcher.messages[0]["text"] != rule.render("en")
    assert "Article 15" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("topic", "code", "day", "compute"),
    [
        ("medical_examination", "JSNU", date(2027, 7, 15), medical_examination_deadline),
        ("payment_before_visa", "CPU", date(2026, 9, 1), new_student_payment_deadline),
    ],
)
async def test_the_medical_examination_and_payment_deadlines_use_the_date_form(
    domain: dict[str, Any], topic: str, code: str, day: date,
    compute: Callable[[str, date, date | None], Decision],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation(day.isoformat(), slots={"deadline_topic": topic, "institution": code,
                                                   "event_date": day.isoformat()})
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == compute(code, day, today()).render("en")
    assert any(m.get("intent") == topic for m in domain["slots"]["deadline_topic"]["mappings"])


async def test_a_university_without_the_deadline_gets_what_its_documents_say(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("do I have to pay before my visa?", intent="payment_before_visa",
                           slots={"deadline_topic": "payment_before_visa",
                                  "institution": "JSNU"})
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == [None]
    assert "Jiangsu Normal University, Article 4" in dispatcher.messages[0]["text"]


async def test_a_deadline_asked_inside_the_permit_questions_resumes_them(
    domain: dict[str, Any],
) -> None:
    tracker = conversation("15 July 2027", slots={"deadline_topic": "extension_application",
                                                  "event_date": "2027-07-15"})
    tracker.events[:0] = [{"event": "active_loop", "name": "permit_duration_form"},
                          {"event": "active_loop", "name": "deadline_form"},
                          {"event": "active_loop", "name": None}]
    events = await ActionAnswerDeadline().run(CollectingDispatcher(), tracker, domain)
    assert events == [SlotSet("event_date", "2027-07-15"), ActiveLoop("permit_duration_form")]


def deadline_question(question: str, topic: str, day: date, **slots: Any) -> Tracker:
    """The tracker after the person asked ``question`` (intent ``topic``), then gave ``day``."""
    tracker = conversation(day.isoformat(), slots={"deadline_topic": topic,
                                                   "event_date": day.isoformat(), **slots})
    tracker.events.insert(0, {"event": "user", "text": question,
                              "parse_data": {"intent": {"name": topic}, "text": question}})
    return tracker


async def test_jsnu_article_9_the_deadline_answer_applies_the_configured_holidays(
    domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    expiry = today() + timedelta(days=90)
    holiday = Period(today() + timedelta(days=50), today() + timedelta(days=70))
    monkeypatch.setenv("SEMESTER_HOLIDAYS", f"{holiday.first}..{holiday.last}")
    dispatcher = CollectingDispatcher()
    tracker = deadline_question("when do I apply to extend?", "extension_application", expiry,
                                institution="JSNU")
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    answer = dispatcher.messages[0]["text"]
    assert "finish them before the holidays start" in answer
    assert format_date(holiday.first - timedelta(days=1), "en") in answer


async def test_cpu_article_9_a_past_extension_deadline_says_so_and_offers_the_request(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = deadline_question("when do I apply to extend?", "extension_application",
                                today() + timedelta(days=5))
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert "That day has passed" in dispatcher.messages[0]["text"]
    offer = dispatcher.messages[1]
    assert offer["response"] == "utter_uncovered_offer_case"
    assert offer["buttons"][0]["payload"] == (
        '/open_request{"case_type":"residence_permit_extension_letter"}')


async def test_exit_entry_law_art_30_a_past_deadline_without_a_request_type_offers_a_person(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = deadline_question("when must I apply for my residence permit?",
                                "residence_permit_application", today() - timedelta(days=40))
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert "That day has passed" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["response"] == "utter_offer_request"


@pytest.mark.parametrize(
    ("question", "says"),
    [("I got a new passport, when must I register?", "receiving a new passport"),
     ("我搬家了，什么时候要做住宿登记？", "changing your address in China"),
     ("when must I register my temporary residence?", "each entry into China")],
)
async def test_cpu_article_4_registration_counts_from_what_the_question_names(
    domain: dict[str, Any], question: str, says: str,
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = deadline_question(question, "temporary_registration", today())
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    assert says in dispatcher.messages[0]["text"]


async def test_westlake_portal_staff_asking_about_their_permit_after_entry_get_no_x1_rule(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = deadline_question("I arrived, when do I apply for my residence permit?",
                                "residence_permit_application", today(), institution="WESTLAKE")
    await ActionAnswerDeadline().run(dispatcher, tracker, domain)
    answer = dispatcher.messages[0]["text"]
    assert "X1" not in answer and "work and residence permit" in answer


async def test_qjnu_responsibility_3_international_students_permits_are_not_the_experts_duty(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("who handles residence permits for international students?",
                           intent="office_responsibilities", slots={"institution": "QJNU"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    answer = dispatcher.messages[0]["text"]
    assert "does not say who handles it for students" in answer
    assert "recruits, onboards and serves foreign experts" not in answer
    assert dispatcher.messages[1]["response"] == "utter_offer_request"


async def test_cpu_articles_a_rule_answer_names_the_default_university_it_applies(
    database: str, domain: dict[str, Any],
) -> None:
    """No university named: the default's rules are applied, under its name (issue 22 item 11)."""
    dispatcher = CollectingDispatcher()
    tracker = conversation("which visa do I need?", intent="visa_types")
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("At China Pharmaceutical University, ")
    dispatcher = CollectingDispatcher()
    tracker = conversation("我需要什么签证？", intent="visa_types", slots={"language": "zh"})
    await ActionAnswerFaq().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("根据中国药科大学的规定，")


# ----------------------------------------------------------------------------- university


async def test_the_chosen_university_is_remembered_for_the_person(
    database: str, domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("I study at JSNU", intent="choose_institution",
                           slots={"institution": "JSNU"}, sender_id="student-7")
    await ActionChooseInstitution().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_institution_chosen"
    assert dispatcher.messages[0]["university"] == "Jiangsu Normal University"
    with sessions().begin() as session:
        person = session.scalars(select(Person).where(Person.channel_user_id == "student-7")).one()
        assert person.institution == "JSNU"
    restart = conversation("hello", intent="greet", sender_id="student-7")
    events = await ActionSessionStart().run(CollectingDispatcher(), restart, domain)
    assert SlotSet("institution", "JSNU") in events


async def test_a_name_that_is_no_university_keeps_the_one_chosen_before(
    domain: dict[str, Any],
) -> None:
    # "I study at the big one" (a button's entity slips into the slot): unreadable, so the
    # university chosen before this message stays.
    tracker = conversation("I study at JSNU", "I study at the big one",
                           intent="choose_institution", slots={"institution": "the big one"})
    tracker.events.insert(1, {"event": "slot", "name": "institution", "value": "JSNU"})
    tracker.events.append({"event": "slot", "name": "institution", "value": "the big one"})
    dispatcher = CollectingDispatcher()
    events = await ActionChooseInstitution().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_institution_unknown"
    assert events == [SlotSet("institution", "JSNU")]


async def test_an_unknown_university_lists_the_known_ones(
    database: str, domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("I study at Harvard", intent="choose_institution")
    await ActionChooseInstitution().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_institution_unknown"


# ----------------------------------------------------------------------------- permit


def test_the_facts_of_the_last_answer_are_found_in_the_history() -> None:
    events: list[dict[str, Any]] = [
        {"event": "slot", "name": "student_status", "value": "returning"},
        {"event": "slot", "name": "attendance_percent", "value": 85.0},
        {"event": "action", "name": "action_permit_duration"},
        {"event": "slot", "name": "student_status", "value": None},
        {"event": "slot", "name": "attendance_percent", "value": None},
    ]
    tracker = Tracker("s", {}, {}, events, False, None, {}, "action_listen")
    assert answered_facts(tracker) == {"student_status": "returning", "attendance_percent": 85.0}


async def test_a_correction_after_the_answer_keeps_the_other_facts(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker(slots={"attendance_percent": "78%"},
                           text="actually my attendance is 78%")
    tracker.events[:0] = [
        {"event": "slot", "name": "student_status", "value": "returning"},
        {"event": "slot", "name": "attendance_percent", "value": 85.0},
        {"event": "action", "name": "action_permit_duration"},
    ]
    events = await ActionRestorePermitFacts().run(CollectingDispatcher(), tracker, domain)
    assert events == [SlotSet("student_status", "returning")]


# ----------------------------------------------------------------------------- fallback


async def test_a_misunderstood_message_offers_the_likely_topics_in_its_language(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    ranking = [{"name": "nlu_fallback", "confidence": 0.55},
               {"name": "extension_application", "confidence": 0.4},
               {"name": "affirm", "confidence": 0.3},
               {"name": "holidays", "confidence": 0.2}]
    tracker = conversation("续签放假", intent="nlu_fallback", ranking=ranking,
                           slots={"language": "zh"})
    await ActionAskAffirmation().run(dispatcher, tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_did_you_mean"
    assert [b["payload"] for b in message["buttons"]] == [
        "/extension_application", "/holidays", "/out_of_scope"]
    assert message["buttons"][0]["title"] == "何时申请延期"


def test_the_summary_holds_the_last_typed_messages_before_the_handoff() -> None:
    texts = [f"message {n}" for n in range(7)] + ["/affirm", "talk to a person"]
    tracker = conversation(*texts, intent="talk_to_person")
    assert conversation_summary(tracker) == [f"message {n}" for n in range(2, 7)]


def test_a_button_pressed_last_leaves_the_typed_message_before_it_in_the_summary() -> None:
    tracker = conversation("hello", "I lost my passport yesterday",
                           '/open_request{"case_type":"lost_document"}', intent="open_request")
    assert conversation_summary(tracker) == ["hello", "I lost my passport yesterday"]


def test_a_message_replayed_after_the_fallback_counts_once() -> None:
    tracker = conversation("my landlord kept my passport", "talk to a person",
                           "talk to a person", intent="talk_to_person")
    tracker.events.insert(2, {"event": "rewind"})
    assert conversation_summary(tracker) == ["my landlord kept my passport"]


async def test_talking_to_a_person_opens_a_handoff_request_with_the_summary(
    database: str, domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("my landlord kept my passport", "转人工", intent="talk_to_person",
                           slots={"language": "zh"}, input_channel="telegram")
    await ActionTalkToPerson().run(dispatcher, tracker, domain)
    opened = dispatcher.messages[0]
    assert opened["response"] == "utter_case_opened"
    with sessions().begin() as session:
        case = session.scalars(select(Case).where(Case.reference == opened["reference"])).one()
        assert case.type == "talk_to_person"
        assert "landlord" in str(case.facts["question"])
        assert "转人工" in str(case.facts["details"])
    assert [m["response"] for m in dispatcher.messages[1:]] == ["utter_handoff_next"]


async def test_on_the_rest_channel_a_handoff_says_the_answer_cannot_be_pushed(
    database: str, domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = conversation("my landlord kept my passport", "talk to a person",
                           intent="talk_to_person")
    await ActionTalkToPerson().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_case_opened", "utter_case_not_pushed"]


def test_the_china_date_is_used_for_relative_dates() -> None:
    assert find_date("tomorrow", today()) == today() + timedelta(days=1)


def test_a_university_name_in_the_slot_is_read_as_its_code(database: str) -> None:
    assert institution(make_tracker(slots={"institution": "西湖大学"})) == "WESTLAKE"
    assert institution(make_tracker(slots={"institution": "Hogwarts"})) == "CPU"


@pytest.mark.parametrize(("question", "day", "says"), [
    ("I graduate in June 2028, my permit is valid till 15 July 2028 and I'll move out of the "
     "dorm on 25 June. Can I travel until my permit ends?", date(2028, 6, 25), "graduation"),
    ("我2028年6月毕业，打算7月1号离校，居留许可到7月15号，离校后能在国内玩吗",
     date(2028, 7, 1), "graduation"),
    ("I withdraw and leave on 3 March 2027", date(2027, 3, 3), "withdrawal"),
])
def test_the_permit_is_cancelled_from_the_leaving_day_the_question_gives(
    question: str, day: date, says: str,
) -> None:
    decision = answer_for("permit_cancellation", question, "CPU")
    assert decision is not None and decision.valid_until == day
    assert says in decision.render("en") and "Article 10" in decision.render("en")
    # without a leaving day, the rule itself
    undated = answer_for("permit_cancellation", "what happens to my permit after graduation?",
                         "CPU")
    assert undated is not None and undated.valid_until is None
