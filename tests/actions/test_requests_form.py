"""The generic request form: every case type, asked field by field, confirmed, stored once.

The validator and the ask/submit actions run with real SDK trackers built the way the Rasa
server sends them (earlier slots before the user's message, the extracted answer after it),
against a real migrated database.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation import today
from actions.faq import request_payload
from actions.parsing import find_dates
from actions.request_fields import (
    FIELD_OVERRIDES,
    FIELDS,
    UNIVERSITY,
    asked_fields,
    case_type_in,
    field_for,
    is_date_field,
)
from actions.requests import (
    INVALID_ANSWER,
    ActionAskCaseType,
    ActionAskRequestConfirmed,
    ActionAskRequestValue,
    ActionNewRequest,
    ActionSubmitRequest,
    ValidateRequestForm,
    checklist_response,
    open_request,
)
from actions.store import sessions
from casestore.case_types import CASE_TYPES, checklist_for
from casestore.cases import PERSON_DETAILS, get_or_create_person, person_details, set_person_details
from casestore.models import Case, Person
from tests.actions.test_responses_exist import rendered, uttered

REFERENCE = re.compile(r"^[A-Z]+-\d{4}-\d{6}$")


def turn_tracker(
    slots: dict[str, Any],
    text: str,
    *,
    new_slots: dict[str, Any] | None = None,
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    sender_id: str = "student-1",
    message_id: str = "m-1",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker after one user message: ``slots`` from before, ``new_slots`` extracted now."""
    all_slots = {"language": "en", **slots, **(new_slots or {})}
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "message_id": message_id,
        "metadata": metadata or {},
    }
    events: list[dict[str, Any]] = [
        {"event": "slot", "name": k, "value": v} for k, v in {"language": "en", **slots}.items()
    ]
    events.append({"event": "user", "text": text, "parse_data": latest,
                   "metadata": metadata or {}})
    events += [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "request_form"},
        latest_action_name="action_listen",
    )


def apply(slots: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots after the events an action returned."""
    updated = dict(slots)
    for event in events:
        if event.get("event") == "slot":
            updated[event["name"]] = event["value"]
    return updated


async def answer(
    slots: dict[str, Any], text: str, domain: dict[str, Any], **kwargs: Any
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """One answer to the form's requested slot, validated; returns slots and what was said."""
    requested = slots["requested_slot"]
    value = kwargs.pop("value", text)
    tracker = turn_tracker(slots, text, new_slots={requested: value}, **kwargs)
    dispatcher = CollectingDispatcher()
    events = await ValidateRequestForm().run(dispatcher, tracker, domain)
    return apply({**slots, requested: value}, events), dispatcher


async def asked(slots: dict[str, Any], domain: dict[str, Any]) -> dict[str, Any]:
    """The message the form's ask action sends for the requested slot."""
    action = {
        "case_type": ActionAskCaseType(),
        "request_value": ActionAskRequestValue(),
        "request_confirmed": ActionAskRequestConfirmed(),
    }[slots["requested_slot"]]
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, turn_tracker(slots, ""), domain)
    [message] = dispatcher.messages
    return message


def said(message: dict[str, Any], domain: dict[str, Any], language: str = "en") -> str:
    """The text the person reads for a message that names a response."""
    [(response, values)] = uttered([message], domain)
    return rendered(domain, response, values, language)


KNOWN = {"full_name": "Mei Chen", "member_number": "2024000001", "contact": "mei@example.com"}


def known_person(sender_id: str = "student-1") -> None:
    """Stores the person's name, number and contact, as a request they opened before did."""
    with sessions().begin() as session:
        person = get_or_create_person(session, channel="rest", channel_user_id=sender_id)
        set_person_details(person, KNOWN)


async def start(text: str, domain: dict[str, Any], language: str = "en",
                entities: list[dict[str, Any]] | None = None, known: bool = True
                ) -> dict[str, Any]:
    """Slots after "I need ..." started the form and the form chose what to ask first.

    ``known``: the person named their university (CPU) and opened a request before, so
    only the type's own facts are asked."""
    before = {"language": language, **({"institution": "CPU"} if known else {})}
    if known:
        known_person()
    tracker = turn_tracker(before, text, intent="open_request", entities=entities)
    slots = apply(before, await ActionNewRequest().run(CollectingDispatcher(), tracker, domain))
    # On activation the form validates what is already filled and picks the next slot.
    prefilled = {k: v for k, v in slots.items() if k == "case_type" and v}
    validation = turn_tracker(slots, text, new_slots=prefilled)
    events = await ValidateRequestForm().run(CollectingDispatcher(), validation, domain)
    return apply(slots, events)


PERSON_ANSWERS = {"university": ("China Pharmaceutical University", "CPU"),
                  "full_name": ("My name is Ali Khan", "Ali Khan"),
                  "member_number": ("2023123456", "2023123456"),
                  "contact": ("ali.khan@example.com please", "ali.khan@example.com")}


def sample_answer(case_type: str, name: str, index: int) -> tuple[str, Any]:
    """A valid answer for a field, and the value the form should store for it."""
    if name in PERSON_ANSWERS:
        return PERSON_ANSWERS[name]
    field = field_for(case_type, name)
    if is_date_field(name):
        day = today() + timedelta(days=30 + 10 * index)
        return day.isoformat(), day.isoformat()
    if field.options:
        return field.options[-1].label.en, field.options[-1].value
    return f"answer {index} for {name}", f"answer {index} for {name}"


async def confirm(slots: dict[str, Any], domain: dict[str, Any], *, intent: str = "affirm",
                  message_id: str = "m-confirm", sender_id: str = "student-1",
                  ) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Answers the summary, then runs the submit action as the rule does."""
    slots, _ = await answer(slots, "yes" if intent == "affirm" else "no", domain,
                            intent=intent, message_id=message_id, sender_id=sender_id)
    assert slots["requested_slot"] is None
    dispatcher = CollectingDispatcher()
    tracker = turn_tracker(slots, "yes", intent=intent, message_id=message_id,
                           sender_id=sender_id)
    slots = apply(slots, await ActionSubmitRequest().run(dispatcher, tracker, domain))
    return slots, dispatcher


def stored_cases() -> list[Case]:
    """Every case in the database, oldest first."""
    with sessions().begin() as session:
        cases = list(session.scalars(select(Case).order_by(Case.id)))
        session.expunge_all()
    return cases


@pytest.mark.parametrize("case_type", sorted(CASE_TYPES))
async def test_every_case_type_is_asked_field_by_field_and_stored_after_confirmation(
    database: str, domain: dict[str, Any], case_type: str
) -> None:
    slots = await start("I want to open a request", domain, known=False)
    assert slots["requested_slot"] == "case_type"
    slots, _ = await answer(slots, "x", domain, value=case_type)
    expected: dict[str, Any] = {}
    # The university first (never named), the type's facts, then who it is for.
    for index, name in enumerate(asked_fields(case_type)):
        assert slots["requested_slot"] == "request_value"
        question = await asked(slots, domain)
        field = field_for(case_type, name)
        assert question["response"] == field.question
        assert [b["title"] for b in question["buttons"]] == [o.label.en for o in field.options]
        text, stored = sample_answer(case_type, name, index)
        slots, _ = await answer(slots, text, domain)
        expected[name] = stored
    assert slots["requested_slot"] == "request_confirmed" and slots["institution"] == "CPU"
    [(response, values)] = uttered([await asked(slots, domain)], domain)
    assert response == "utter_request_summary"  # its yes and no buttons are the response's
    assert CASE_TYPES[case_type].label.en in values["lines"]
    assert "Name: Ali Khan" in values["lines"] and "ali.khan@example.com" in values["lines"]

    slots, dispatcher = await confirm(slots, domain)

    opened, unreachable, *checklist = dispatcher.messages
    assert opened["response"] == "utter_case_opened"
    # A REST caller has no channel the office's answer can be pushed to: they are told so.
    assert unreachable["response"] == "utter_case_not_pushed"
    [case] = stored_cases()
    assert case.reference == opened["reference"] and REFERENCE.match(case.reference)
    who = {"university": "CPU", "full_name": "Ali Khan", "member_number": "2023123456",
           "contact": "ali.khan@example.com"}
    assert case.type == case_type and case.facts == {
        k: v for k, v in expected.items() if k not in who}
    assert case.institution == "CPU"
    with sessions().begin() as session:
        person = session.get(Person, case.person_id)
        assert person is not None and person_details(person) == {
            k: v for k, v in who.items() if k != "university"}
    if case_type == "talk_to_person":  # nothing to bring: a person will answer
        assert checklist == []
    else:
        assert uttered(checklist, domain) == [checklist_response(case_type, "CPU", "en")]
    assert all(slots[s] is None for s in ("case_type", "request_facts", "request_confirmed"))


async def test_the_checklist_cites_each_article_and_says_so_when_no_source_covers_the_type(
    domain: dict[str, Any]
) -> None:
    response, values = checklist_response("lost_document", "CPU", "en")
    covered = rendered(domain, response, values)
    assert covered.startswith("What the CPU regulations ask for:\n• ")
    assert "(CPU Art. 13)" in covered and "police" in covered
    assert not checklist_for("transfer", "QJNU").covered
    response, values = checklist_response("transfer", "QJNU", "zh")
    uncovered = rendered(domain, response, values, "zh")
    assert "不做猜测" in uncovered and "QJNU" in uncovered


def test_the_summary_offers_yes_and_no_in_the_conversations_language(
    domain: dict[str, Any]
) -> None:
    [english, chinese] = domain["responses"]["utter_request_summary"]
    assert [(b["title"], b["payload"]) for b in english["buttons"]] == [
        ("Yes, send it", "/affirm"), ("No", "/deny")]
    assert [(b["title"], b["payload"]) for b in chinese["buttons"]] == [
        ("确认提交", "/affirm"), ("不提交", "/deny")]
    assert rendered(domain, "utter_request_summary", {"lines": "Type: Other"}) == (
        "Please check your request:\nType: Other\nShall I send it to the office?")


async def test_the_type_named_in_the_first_message_is_not_asked_again(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("我要申请家属陪读", domain, language="zh")
    assert slots["case_type"] == "dependent_invitation"
    assert slots["requested_slot"] == "request_value"
    question = await asked(slots, domain)
    assert said(question, domain, "zh") == "家属与您是什么关系：配偶、子女还是父母？"
    assert [b["title"] for b in question["buttons"]] == ["配偶", "子女", "父母"]


@pytest.mark.parametrize(("text", "case_type"), [
    ("帮我开一个居留许可的介绍信吧，我要续签", "residence_permit_extension_letter"),
    ("please open a request so I can renew my permit", "residence_permit_extension_letter"),
    ("我要申请家属陪读", "dependent_invitation"),
    ("护照丢了，还要开介绍信", None),  # two types named: the person chooses
])
def test_the_type_a_message_names_is_read_from_its_words(text: str, case_type: str | None
                                                        ) -> None:
    assert case_type_in(text, []) == case_type


async def test_a_tagged_entity_wins_over_keywords(database: str, domain: dict[str, Any]) -> None:
    entity = {"entity": "case_type", "value": "visiting_scholar", "start": 0, "end": 1}
    slots = await start("invite someone", domain, entities=[entity])
    assert slots["case_type"] == "visiting_scholar"


async def test_an_unknown_type_is_asked_again_with_a_button_per_type(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("I want to open a request", domain)
    slots, dispatcher = await answer(slots, "a pony", domain)
    assert slots["case_type"] is None and slots["requested_slot"] == "case_type"
    assert uttered(dispatcher.messages, domain) == [("utter_request_unknown_type", {})]
    question = await asked(slots, domain)
    assert question["response"] == "utter_request_which_type"
    buttons = question["buttons"]
    assert len(buttons) == len(CASE_TYPES)
    assert '/inform{"case_type":"transfer"}' in [b["payload"] for b in buttons]


async def test_a_request_no_type_fits_goes_to_a_person_with_the_persons_words(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("I want to open a request", domain)
    described = "price of a single room in the international dorm per semester"
    slots, dispatcher = await answer(slots, described, domain)
    assert uttered(dispatcher.messages, domain) == [("utter_request_goes_to_a_person", {})]
    assert slots["case_type"] == "talk_to_person"
    assert slots["request_facts"]["fields"]["question"] == described
    assert (await asked(slots, domain))["response"] != "utter_request_ask_question"
    # in Chinese too; a word or two that names no type is still asked again
    slots = await start("我想提交申请", domain)
    slots, dispatcher = await answer(slots, "邀请印度学者参加研讨会 询问签证材料", domain)
    assert slots["case_type"] == "talk_to_person"
    slots = await start("I want to open a request", domain)
    slots, dispatcher = await answer(slots, "dorm room", domain)
    assert slots["case_type"] is None


async def test_asking_for_a_request_after_an_answer_without_one_asks_the_office_that_question(
    database: str, domain: dict[str, Any]
) -> None:
    known_person()
    question = "How much is a single room in the international students' dorm at CPU?"
    tracker = after_answer(question, {"text": "The office handles ...", "data": {},
                                      "metadata": {}},
                           "can you open a request and ask them?", "open_request")
    tracker.events[1]["parse_data"]["intent"] = {"name": "office_responsibilities"}
    slots = await new_request(tracker, domain)
    assert slots["case_type"] == "talk_to_person"
    assert slots["request_facts"]["fields"]["question"] == question
    # the same words with nothing asked before: the type is asked
    slots = await new_request(turn_tracker({"institution": "CPU"},
                                           "can you open a request and ask them?",
                                           intent="open_request"), domain)
    assert slots["case_type"] is None


async def test_an_unreadable_date_is_asked_again(database: str, domain: dict[str, Any]) -> None:
    slots = await start("I need a re-entry certificate", domain)
    slots, _ = await answer(slots, "Thailand", domain)
    slots, dispatcher = await answer(slots, "whenever it suits", domain)
    assert slots["requested_slot"] == "request_value"
    assert slots["request_facts"]["fields"] == {"university": "CPU", **KNOWN,
                                                 "destination": "Thailand"}
    assert uttered(dispatcher.messages, domain) == [("utter_invalid_date", {})]


async def test_a_return_before_the_departure_is_refused(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("submit an overseas business trip", domain)
    slots, _ = await answer(slots, "Japan", domain)
    slots, _ = await answer(slots, "2027-05-10", domain)
    slots, dispatcher = await answer(slots, "2027-05-01", domain)
    assert "returns_on" not in slots["request_facts"]["fields"]
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert rendered(domain, response, values) == (
        "That is before Departs on (10 May 2027). Please give the date again.")
    slots, _ = await answer(slots, "20 May 2027", domain)
    assert slots["request_facts"]["fields"]["returns_on"] == "2027-05-20"


async def test_chinese_answers_are_read_for_choices_and_dates(
    database: str, domain: dict[str, Any]
) -> None:
    # Chosen from the list of types (not named): the summary asks before sending.
    slots = await start("我要提交一个申请", domain, language="zh")
    slots, _ = await answer(slots, "x", domain, value="residence_permit_extension_letter")
    slots, _ = await answer(slots, "2027年3月1日", domain)
    slots, _ = await answer(slots, "我是老生", domain)
    assert slots["request_facts"]["fields"] == {
        "university": "CPU", **KNOWN, "permit_expires_on": "2027-03-01",
        "student_status": "returning"}
    [(_, values)] = uttered([await asked(slots, domain)], domain)
    summary = rendered(domain, "utter_request_summary", values, "zh")
    assert "居留许可到期日：2027年3月1日" in summary and "学生类别：老生" in summary


async def test_saying_no_at_the_summary_stores_nothing(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("I want to open a request", domain)
    slots, _ = await answer(slots, "x", domain, value="talk_to_person")
    slots, _ = await answer(slots, "Can I travel during the holidays?", domain)
    slots, dispatcher = await confirm(slots, domain, intent="deny")
    assert stored_cases() == []
    assert uttered(dispatcher.messages, domain) == [("utter_request_discarded", {})]


async def test_the_confirming_message_delivered_twice_opens_one_case(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("I want to talk to a person", domain)
    slots, _ = await answer(slots, "Where do I pay the fee?", domain)
    references = []
    for _ in range(2):  # the channel re-delivers the same "yes"
        _, dispatcher = await confirm(dict(slots), domain, message_id="tg-77")
        references.append(dispatcher.messages[0]["reference"])
    assert references[0] == references[1]
    [case] = stored_cases()
    assert case.idempotency_key == "rest:student-1:tg-77"


async def test_each_confirmation_opens_its_own_case(
    database: str, domain: dict[str, Any]
) -> None:
    for message_id in ("m-yes-1", "m-yes-2"):
        slots = await start("I want to talk to a person", domain)
        slots, _ = await answer(slots, "A question", domain, message_id="m-question")
        await confirm(slots, domain, message_id=message_id)
    assert [c.idempotency_key for c in stored_cases()] == [
        "rest:student-1:m-yes-1", "rest:student-1:m-yes-2"]


async def test_a_new_request_forgets_the_answers_of_an_abandoned_one(
    database: str, domain: dict[str, Any]
) -> None:
    tracker = turn_tracker(
        {"case_type": "transfer", "request_confirmed": True,
         "request_facts": {"case_type": "transfer", "fields": {"previous_university": "X"}}},
        "I want to open a request", intent="open_request",
    )
    events = await ActionNewRequest().run(CollectingDispatcher(), tracker, domain)
    assert events == [SlotSet("case_type", None), SlotSet("request_value", None),
                      SlotSet("request_facts", None), SlotSet("request_confirmed", None)]


async def test_answers_given_for_another_type_are_not_reused(
    database: str, domain: dict[str, Any]
) -> None:
    slots = {"requested_slot": "case_type", "institution": "CPU",
             "request_facts": {"case_type": "transfer",
                               "fields": {"previous_university": "X", **KNOWN}}}
    slots, _ = await answer(slots, "x", domain, value="dependent_invitation")
    # Who the person is and their university hold for any request; the transfer's facts not.
    assert slots["request_facts"] == {"case_type": "dependent_invitation",
                                      "fields": {"university": "CPU", **KNOWN}}
    question = await asked(slots, domain)
    assert said(question, domain).startswith("Who is the family member")


async def test_submitting_without_a_confirmation_stores_nothing(
    database: str, domain: dict[str, Any]
) -> None:
    slots = {"case_type": "talk_to_person", "request_confirmed": None,
             "request_facts": {"case_type": "talk_to_person", "fields": {"question": "Q"}}}
    dispatcher = CollectingDispatcher()
    await ActionSubmitRequest().run(dispatcher, turn_tracker(slots, "ok"), domain)
    assert stored_cases() == []


async def test_the_date_example_follows_a_date_question(
    database: str, domain: dict[str, Any]
) -> None:
    slots = await start("我要办理转学手续", domain, language="zh")
    slots, _ = await answer(slots, "南京大学", domain)
    question = await asked(slots, domain)
    assert said(question, domain, "zh") == "您是哪天到校的？例如：2026年5月3日。"
    assert date.fromisoformat(sample_answer("transfer", "arrived_on", 0)[1]) > today()


# Every field the form can ask, by the name of its question's response; an override asks
# the field of one type in that type's words.
FIELD_QUESTIONS = {
    **{f"utter_request_ask_{name}": (name, field) for name, field in FIELDS.items()},
    **{f"utter_request_ask_{kind}_{name}": (name, field)
       for (kind, name), field in FIELD_OVERRIDES.items()},
}


def test_each_field_is_asked_by_the_response_named_after_it() -> None:
    """Not utter_ask_<field>, which Rasa's forms would take for a slot of the same name."""
    assert {response: field.question for response, (_, field) in FIELD_QUESTIONS.items()
            if field.question != response} == {}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_date_question_and_only_a_date_question_shows_how_to_write_the_date(
    domain: dict[str, Any], language: str
) -> None:
    examples = set()
    for response, (name, _) in FIELD_QUESTIONS.items():
        text = rendered(domain, response, {}, language)
        written = find_dates(text, today(), language)
        assert bool(written) == is_date_field(name), response
        if written:  # the example, read as the form reads the answer
            examples.add((text[written[0].start:], tuple(d.day for d in written)))
    assert len(examples) == 1  # the same example after every date question


def after_answer(earlier: str, offer: dict[str, Any], text: str, intent: str,
                 slots: dict[str, Any] | None = None) -> Tracker:
    """The tracker after ``text``, sent once the assistant answered ``earlier`` with ``offer``
    (a bot event: the button of a request type, or the offer of a person); the person named
    CPU as their university unless ``slots`` say otherwise."""
    tracker = turn_tracker({"institution": "CPU"} if slots is None else slots, text,
                           intent=intent)
    first = {"event": "user", "text": earlier, "parse_data": {"text": earlier}}
    answer_event = {"event": "bot", "text": "The rule's answer.", "data": {}, "metadata": {}}
    tracker.events[1:1] = [first, answer_event, {"event": "bot", **offer}]
    return tracker


LOST_DOCUMENT_BUTTON = {"text": "I can open the request for you now:", "metadata": {},
                        "data": {"buttons": [{"title": "Lost or damaged passport or permit",
                                              "payload": '/open_request{"case_type":'
                                                         '"lost_document"}'}]}}
PERSON_OFFER = {"text": "Say \"talk to a person\" ...", "data": {},
                "metadata": {"utter_action": "utter_offer_request"}}


async def new_request(tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
    return apply({}, await ActionNewRequest().run(CollectingDispatcher(), tracker, domain))


async def test_yes_to_an_offered_request_opens_that_type_with_the_facts_already_given(
    database: str, domain: dict[str, Any]
) -> None:
    known_person()
    tracker = after_answer("someone stole my passport on the metro yesterday",
                           LOST_DOCUMENT_BUTTON, "yes please", "affirm")
    slots = await new_request(tracker, domain)
    assert slots["case_type"] == "lost_document"
    assert slots["request_facts"] == {"case_type": "lost_document", "fields": {
        "university": "CPU", **KNOWN, "document": "passport", "what_happened": "stolen",
        "noticed_on": (today() - timedelta(days=1)).isoformat()}, "asked": True}
    form = turn_tracker(slots, "yes please")
    required = await ValidateRequestForm().required_slots([], CollectingDispatcher(), form,
                                                           domain)
    assert required == ["case_type", "request_confirmed"]  # nothing left to ask: the summary


REENTRY_BUTTON = {"text": "I can open the request for you now:", "metadata": {},
                  "data": {"buttons": [{"title": "Re-entry certificate (zero-entry X visa)",
                                        "payload": '/open_request{"case_type":'
                                                   '"reentry_certificate"}'}]}}


async def test_a_trip_request_takes_the_destination_the_question_named(
    database: str, domain: dict[str, Any]
) -> None:
    known_person()
    tracker = after_answer("I'm from Pakistan and I have a zero-entry X visa, flying to "
                           "Bangkok on 15 January 2028", REENTRY_BUTTON, "yes", "affirm",
                           slots={"institution": "JSNU"})
    fields = (await new_request(tracker, domain))["request_facts"]["fields"]
    assert fields["destination"] == "Bangkok"  # where the trip goes, not where they are from
    assert fields["leaving_on"] == "2028-01-15"
    assert "reason" not in fields


async def test_a_request_after_the_rules_do_not_settle_a_case_goes_to_a_person_with_the_question(
    database: str, domain: dict[str, Any]
) -> None:
    known_person()
    question = "returning student, paid one semester, attendance 91%: how long is my permit?"
    tracker = after_answer(question, PERSON_OFFER, "ok open a request to the office pls",
                           "open_request")
    dispatcher = CollectingDispatcher()
    slots = apply({}, await ActionNewRequest().run(dispatcher, tracker, domain))
    assert slots["case_type"] == "talk_to_person"
    assert slots["request_facts"]["fields"]["question"] == question
    # Asked for, with nothing missing: sent at once, showing what is sent.
    assert slots["request_confirmed"] is True
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == "utter_request_sending" and question in values["lines"]


async def test_a_first_request_asks_the_university_and_takes_who_it_is_for_from_the_message(
    database: str, domain: dict[str, Any]
) -> None:
    tracker = after_answer("I lost my passport yesterday", LOST_DOCUMENT_BUTTON,
                           "yes, I'm Ali Khan, student number 2023123456, ali@example.com",
                           "affirm", slots={})
    slots = await new_request(tracker, domain)
    assert slots["request_facts"]["fields"] == {
        "full_name": "Ali Khan", "member_number": "2023123456", "contact": "ali@example.com",
        "document": "passport", "what_happened": "lost",
        "noticed_on": (today() - timedelta(days=1)).isoformat()}
    assert slots["request_confirmed"] is None  # the university is still to be asked
    slots["requested_slot"] = "request_value"
    question = await asked(slots, domain)
    assert said(question, domain) == "Which university is this request for?"
    assert len(question["buttons"]) == 4
    slots, dispatcher = await answer(slots, "Jiangsu Normal", domain)
    assert slots["institution"] == "JSNU"
    assert slots["request_facts"]["fields"]["university"] == "JSNU"
    # The person said yes to this request: with nothing left to ask it is sent, not asked
    # again, and they see what is sent.
    assert slots["request_confirmed"] is True and slots["requested_slot"] is None
    [sending] = dispatcher.messages
    assert sending["response"] == "utter_request_sending"
    assert "Jiangsu Normal University" in sending["lines"]


async def test_an_answer_that_gives_several_details_at_once_answers_the_next_questions(
    database: str, domain: dict[str, Any]
) -> None:
    fields = {"university": "CPU", "question": "Where do I pay?"}
    slots = {"case_type": "talk_to_person", "requested_slot": "request_value",
             "institution": "CPU",
             "request_facts": {"case_type": "talk_to_person", "fields": fields}}
    slots, _ = await answer(
        slots, "My name is Ali Khan, student number 2023123456, email ali@example.com", domain)
    assert slots["request_facts"]["fields"] == {
        **fields, "full_name": "Ali Khan", "member_number": "2023123456",
        "contact": "ali@example.com"}
    assert slots["requested_slot"] == "request_confirmed"


@pytest.mark.parametrize(("name", "text", "complaint"), [
    ("full_name", "12345", "just your name"),
    ("member_number", "I don't know", "student or staff number"),
    ("contact", "you can find me on campus", "e-mail address or a phone number"),
])
async def test_a_detail_that_is_not_one_is_asked_again_with_what_is_needed(
    database: str, domain: dict[str, Any], name: str, text: str, complaint: str
) -> None:
    fields = {"university": "CPU", **{k: v for k, v in KNOWN.items() if k != name},
              "question": "Where do I pay?"}
    slots = {"case_type": "talk_to_person", "requested_slot": "request_value",
             "institution": "CPU",
             "request_facts": {"case_type": "talk_to_person", "fields": fields}}
    slots, dispatcher = await answer(slots, text, domain)
    assert name not in slots["request_facts"]["fields"]
    [(response, values)] = uttered(dispatcher.messages, domain)
    assert response == INVALID_ANSWER[name] and complaint in rendered(domain, response, values)


def test_every_question_about_who_the_request_is_for_has_its_complaint() -> None:
    assert set(INVALID_ANSWER) == {UNIVERSITY, *PERSON_DETAILS}


async def test_a_type_the_message_names_wins_over_the_offered_one(
    database: str, domain: dict[str, Any]
) -> None:
    tracker = after_answer("my passport is lost", LOST_DOCUMENT_BUTTON,
                           "actually I need to invite a visiting scholar", "open_request")
    assert (await new_request(tracker, domain))["case_type"] == "visiting_scholar"


async def test_without_an_offer_the_type_is_asked(database: str, domain: dict[str, Any]) -> None:
    plain = {"text": "Hello!", "data": {}, "metadata": {"utter_action": "utter_greet"}}
    tracker = after_answer("hello", plain, "please open a request", "open_request")
    slots = await new_request(tracker, domain)
    assert slots["case_type"] is None and slots["request_facts"] is None


async def test_asking_for_the_request_just_opened_gives_its_reference_instead_of_a_second(
    database: str, domain: dict[str, Any]
) -> None:
    opened = {"text": "I have opened request CPU-2026-000002 with the office.", "data": {},
              "metadata": {"utter_action": "utter_case_opened"}}
    tracker = after_answer("I want to talk to someone at the office", opened,
                           "ok please open a request for me", "open_request")
    tracker.events.insert(2, {"event": "action", "name": "action_talk_to_person"})
    dispatcher = CollectingDispatcher()
    events = await ActionNewRequest().run(dispatcher, tracker, domain)
    assert uttered(dispatcher.messages, domain) == [
        ("utter_request_already_opened", {"reference": "CPU-2026-000002"})]
    assert any(e.get("event") == "followup" and e.get("name") == "action_listen"
               for e in events)
    # Another type named in so many words is still opened.
    tracker = after_answer("I want to talk to someone at the office", opened,
                           "and I need to invite a visiting scholar", "open_request")
    tracker.events.insert(2, {"event": "action", "name": "action_talk_to_person"})
    assert (await new_request(tracker, domain))["case_type"] == "visiting_scholar"


async def test_a_request_of_a_type_already_open_offers_a_note_to_it_or_another_request(
    database: str, domain: dict[str, Any]
) -> None:
    first = after_answer("someone stole my passport yesterday", LOST_DOCUMENT_BUTTON,
                         "yes please", "affirm")
    reference = await open_request(first, CollectingDispatcher(), "lost_document",
                                   {"document": "passport", "what_happened": "stolen",
                                    "noticed_on": "2026-03-01"})
    again = after_answer("I lost my passport", LOST_DOCUMENT_BUTTON, "yes", "affirm")
    dispatcher = CollectingDispatcher()
    events = await ActionNewRequest().run(dispatcher, again, domain)
    [offer] = dispatcher.messages
    assert reference is not None
    assert uttered([offer], domain) == [("utter_request_already_open", {
        "reference": reference, "type": "Lost or damaged passport or permit"})]
    assert [(b["title"], b["payload"]) for b in offer["buttons"]] == [
        (f"Add a note to {reference}", f'/add_case_note{{"reference":"{reference}"}}'),
        ("Open another request", request_payload("lost_document"))]
    assert any(e.get("event") == "followup" and e.get("name") == "action_listen"
               for e in events)
    # "Open another request" right after that offer starts the second one.
    another = after_answer("I lost my passport", {**offer, "data": {"buttons": offer["buttons"]}},
                           request_payload("lost_document"), "open_request")
    slots = await new_request(another, domain)
    assert slots["case_type"] == "lost_document"


async def test_a_date_answer_inside_a_sentence_is_read(database: str, domain: dict[str, Any]
                                                       ) -> None:
    fields = {"university": "CPU", **KNOWN, "document": "passport", "what_happened": "damaged"}
    slots = {"case_type": "lost_document", "requested_slot": "request_value",
             "institution": "CPU",
             "request_facts": {"case_type": "lost_document", "fields": fields}}
    slots, dispatcher = await answer(slots, "washed it by accident yesterday", domain)
    assert dispatcher.messages == []
    assert slots["request_facts"]["fields"]["noticed_on"] == (
        today() - timedelta(days=1)).isoformat()


async def test_the_request_button_pressed_last_is_not_read_as_a_fact(
    database: str, domain: dict[str, Any]
) -> None:
    tracker = after_answer("Someone stole my passport on the metro this morning",
                           LOST_DOCUMENT_BUTTON, request_payload("lost_document"),
                           "open_request")
    facts = (await new_request(tracker, domain))["request_facts"]["fields"]
    assert facts["what_happened"] == "stolen"  # not "lost" from the payload's "lost_document"
    assert facts["noticed_on"] == today().isoformat()


async def test_asking_again_right_after_the_form_sent_a_request_gives_its_reference(
    database: str, domain: dict[str, Any]
) -> None:
    opened = {"text": "I have opened request CPU-2026-000007 with the office.", "data": {},
              "metadata": {"utter_action": "utter_case_opened"}}
    tracker = after_answer("yes", opened,
                           "ok please open a request with the office so they prepare the letter",
                           "open_request")
    tracker.events[1:1] = [{"event": "slot", "name": "case_type", "value": "lost_document"}]
    tracker.events.insert(4, {"event": "action", "name": "action_submit_request"})
    dispatcher = CollectingDispatcher()
    await ActionNewRequest().run(dispatcher, tracker, domain)
    [said] = dispatcher.messages
    assert said["response"] == "utter_request_already_opened"
    assert said["reference"] == "CPU-2026-000007"


def test_a_chinese_checklist_cites_its_articles_in_chinese() -> None:
    _response, values = checklist_response("lost_document", "CPU", "zh")
    assert "中国药科大学 第十三条" in values["items"] and "CPU Art." not in values["items"]
