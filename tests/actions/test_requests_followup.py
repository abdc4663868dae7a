"""Following up one's own requests: status by reference, cancelling, adding a note."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation import today
from actions.followup import (
    ActionAddCaseNote,
    ActionCancelRequest,
    ActionCaseStatus,
    ActionNewNote,
    ValidateNoteForm,
    inline_note,
)
from actions.store import sessions
from casestore.cases import (
    add_note,
    change_status,
    find_case,
    get_or_create_person,
    open_case,
    reply_to_person,
)
from casestore.models import Case, CaseEvent
from tests.actions.conftest import make_tracker
from tests.actions.test_responses_exist import rendered, uttered


def opened_case(sender: str, case_type: str = "talk_to_person") -> str:
    """Opens a case for the REST user ``sender`` directly in the store; returns its reference."""
    facts = {"question": "When is the office open?"}
    if case_type == "transfer":
        facts = {"previous_university": "Nanjing University", "arrived_on": "2026-09-01"}
    if case_type == "lost_document":
        facts = {"document": "passport", "what_happened": "lost", "noticed_on": "2026-09-01"}
    with sessions().begin() as session:
        person = get_or_create_person(session, channel="rest", channel_user_id=sender)
        case = open_case(session, person=person, case_type=case_type, institution="CPU",
                         facts=facts, today=today())
        return case.reference


def status_of(reference: str) -> str:
    """The stored status of a case."""
    with sessions().begin() as session:
        case = find_case(session, reference)
        assert case is not None
        return case.status


async def say(action: Any, text: str, sender: str, domain: dict[str, Any],
              **slots: Any) -> list[dict[str, Any]]:
    """Runs ``action`` after the message ``text`` of ``sender``; returns what it said."""
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, make_tracker(slots=slots, text=text, sender_id=sender), domain)
    return dispatcher.messages


async def test_status_with_a_reference_shows_that_request_and_its_checklist(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me", "lost_document")
    said = await say(ActionCaseStatus(), f"status of {reference.lower()}?", "me", domain)
    [(response, values)] = uttered(said, domain)
    text = rendered(domain, response, values)
    assert response == "utter_case_detail"
    assert text.startswith(f"{reference} — Lost or damaged passport or permit\n")
    assert re.search(r"\nStatus: submitted \(opened \d{4}-\d\d-\d\d\)\n☐ ", text)
    assert "(CPU Art. 13)" in text and not text.endswith("\n")


async def test_a_request_without_a_checklist_ends_after_its_status(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me", "transfer")  # CPU's regulations list nothing for it
    said = await say(ActionCaseStatus(), f"status of {reference}", "me", domain)
    [(response, values)] = uttered(said, domain)
    assert values["checklist"] == ""
    assert re.fullmatch(rf"{reference} — Transfer from another university\n"
                        r"Status: submitted \(opened \d{4}-\d\d-\d\d\)",
                        rendered(domain, response, values))


async def test_status_shows_the_offices_latest_message_but_not_its_internal_notes(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me", "transfer")
    [before] = await say(ActionCaseStatus(), f"status of {reference}", "me", domain)
    assert before["response"] == "utter_case_detail"
    with sessions().begin() as session:
        case = find_case(session, reference)
        assert case is not None
        change_status(session, case, "needs_information", "staff:Li", "Bring your lease")
        add_note(session, case, actor="staff:Li", text="internal: checked with police")
    said = await say(ActionCaseStatus(), f"status of {reference}", "me", domain)
    [(response, values)] = uttered(said, domain)
    text = rendered(domain, response, values)
    assert response == "utter_case_detail_and_office_message"
    assert f"\nLatest message from the office ({values['at']}, China time): " in text
    assert text.endswith(", China time): Bring your lease")
    assert "internal" not in text
    with sessions().begin() as session:
        case = find_case(session, reference)
        assert case is not None
        reply_to_person(session, case, actor="staff:Li", text="We received the lease, thanks")
    said = await say(ActionCaseStatus(), f"{reference} 进度如何", "me", domain, language="zh")
    [(response, values)] = uttered(said, domain)
    assert values["type"] == "转学" and values["status"] == "需补充信息"
    assert rendered(domain, response, values, "zh").endswith(
        "，北京时间）：We received the lease, thanks")


async def test_status_never_shows_someone_elses_request(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("other")
    said = await say(ActionCaseStatus(), f"what about {reference}", "me", domain)
    assert uttered(said, domain) == [("utter_case_not_yours", {"reference": reference})]
    assert rendered(domain, "utter_case_not_yours", {"reference": reference}) == (
        f"I found no request {reference} among yours.")


async def test_a_person_cancels_their_open_request(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me")
    said = await say(ActionCancelRequest(), f"cancel {reference}", "me", domain)
    assert uttered(said, domain) == [("utter_case_cancelled", {"reference": reference})]
    assert status_of(reference) == "closed"


async def test_a_person_cannot_cancel_someone_elses_request(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("other")
    said = await say(ActionCancelRequest(), f"撤销 {reference}", "me", domain, language="zh")
    assert uttered(said, domain) == [("utter_case_not_yours", {"reference": reference})]
    assert rendered(domain, "utter_case_not_yours", {"reference": reference}, "zh") == (
        f"在您的申请中没有找到 {reference}。")
    assert status_of(reference) == "submitted"


async def test_a_decided_request_can_no_longer_be_cancelled(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me")
    with sessions().begin() as session:
        case = find_case(session, reference)
        assert case is not None
        change_status(session, case, "in_review", "staff:ana")
        change_status(session, case, "approved", "staff:ana")
    said = await say(ActionCancelRequest(), f"cancel {reference}", "me", domain)
    [(response, values)] = uttered(said, domain)
    assert response == "utter_case_too_late_to_cancel"
    assert "already approved" in rendered(domain, response, values)
    assert status_of(reference) == "approved"


async def test_cancel_without_a_reference_lists_the_open_requests(
    database: str, domain: dict[str, Any]
) -> None:
    first, second = opened_case("me"), opened_case("me")
    said = await say(ActionCancelRequest(), "cancel my request", "me", domain)
    [(response, values)] = uttered(said, domain)
    assert response == "utter_case_which_to_cancel" and values["reference"] in (first, second)
    assert first in values["cases"] and second in values["cases"]
    assert status_of(first) == status_of(second) == "submitted"


async def test_cancel_without_open_requests_says_there_is_none(
    database: str, domain: dict[str, Any]
) -> None:
    said = await say(ActionCancelRequest(), "cancel my request", "me", domain)
    assert uttered(said, domain) == [("utter_case_nothing_to_cancel", {})]


async def test_a_note_goes_to_the_persons_only_request_without_naming_it(
    database: str, domain: dict[str, Any]
) -> None:
    reference = opened_case("me")
    dispatcher = CollectingDispatcher()
    events = await ActionNewNote().run(
        dispatcher, make_tracker(text="add a note to my request", sender_id="me"), domain)
    assert {e["name"]: e["value"] for e in events} == {
        "note_reference": reference, "note_text": None}

    messages = await say(ActionAddCaseNote(), "my flight is on 3 May", "me", domain,
                         note_reference=reference, note_text="My flight is E12345678 on 3 May")
    assert uttered(messages, domain) == [("utter_note_added", {"reference": reference})]
    with sessions().begin() as session:
        [note] = session.scalars(select(CaseEvent).where(CaseEvent.field == "note")).all()
        assert note.note == "My flight is [redacted] on 3 May"
        assert note.actor.startswith("person:")


async def test_the_note_form_refuses_a_reference_that_is_not_the_persons(
    database: str, domain: dict[str, Any]
) -> None:
    theirs = opened_case("other")
    mine = opened_case("me")
    validator = ValidateNoteForm()
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(sender_id="me", text=theirs)
    assert await validator.validate_note_reference(theirs, dispatcher, tracker, domain) == {
        "note_reference": None}
    assert uttered(dispatcher.messages, domain) == [("utter_case_not_yours",
                                                     {"reference": theirs})]
    assert await validator.validate_note_reference(f"it is {mine.lower()}", dispatcher,
                                                   tracker, domain) == {"note_reference": mine}


async def test_a_note_is_never_added_to_someone_elses_request(
    database: str, domain: dict[str, Any]
) -> None:
    theirs = opened_case("other")
    said = await say(ActionAddCaseNote(), "hello", "me", domain, note_reference=theirs,
                     note_text="let me in")
    assert uttered(said, domain) == [("utter_case_not_yours", {"reference": theirs})]
    with sessions().begin() as session:
        notes = session.scalars(select(CaseEvent).where(CaseEvent.field == "note")).all()
        assert notes == []
        assert len(session.scalars(select(Case)).all()) == 1


async def test_the_note_form_asks_for_a_reference_and_refuses_a_note_too_long(
    domain: dict[str, Any]
) -> None:
    validator, dispatcher = ValidateNoteForm(), CollectingDispatcher()
    tracker = make_tracker(sender_id="me", text="my request")
    assert await validator.validate_note_reference("my request", dispatcher, tracker,
                                                   domain) == {"note_reference": None}
    assert validator.validate_note_text("x" * 501, dispatcher, tracker, domain) == {
        "note_text": None}
    assert uttered(dispatcher.messages, domain) == [
        ("utter_note_no_reference", {}), ("utter_request_too_long", {"limit": 500})]


def test_a_note_written_after_a_colon_is_taken_as_the_note() -> None:
    assert inline_note("add a note to CPU-2026-000005: my flight changed") == "my flight changed"
    assert inline_note("给 CPU-2026-000005 补充：航班改了") == "航班改了"
    assert inline_note("add a note to CPU-2026-000005") is None
    # Without a reference the note goes to the person's only request (own_reference).
    assert inline_note("add a note: i can come tmrw at 9:30") == "i can come tmrw at 9:30"
    assert inline_note("补充一下：我已经去派出所报案了") == "我已经去派出所报案了"
    assert inline_note("add a note that I come at 9:30") is None  # a time is not a colon
