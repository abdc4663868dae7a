"""The residence permit form and answer, run as the action server runs them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import today
from actions.permit import PERMIT_SLOTS, ActionPermitDuration, ValidatePermitDurationForm
from knowledge import PermitFacts, residence_permit_validity
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
    assert expected.valid_until == date(today().year + 1, 9, 10)
    [answer] = texts(dispatcher)
    assert expected.valid_until.strftime("%-d %B %Y") in answer
    assert "Article 6" in answer
    assert events == [SlotSet(slot, None) for slot in PERMIT_SLOTS]


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
