"""Deadlines computed from the user's dates, one case per rule and edge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import (
    Decision,
    conference_contact_deadline,
    extension_application_deadline,
    medical_examination_deadline,
    new_student_payment_deadline,
    registration_deadline,
    residence_permit_application_deadline,
    stay_permit_request_deadline,
    transfer_deadline,
    zero_entry_travel_deadline,
)


def articles(decision: Decision) -> set[tuple[str, str]]:
    return {(c.institution, c.article) for c in decision.citations}


DEADLINES: dict[str, tuple[Callable[[], Decision], date, set[tuple[str, str]], str]] = {
    "an X1 student entering on 1 September applies for the permit by 1 October":
        (lambda: residence_permit_application_deadline("CPU", date(2025, 9, 1)),
         date(2025, 10, 1), {("CPU", "2"), ("CN", "30")}, "1 October 2025"),
    "an X1 student at JSNU gets the same national 30 days":
        (lambda: residence_permit_application_deadline("JSNU", date(2025, 9, 20)),
         date(2025, 10, 20), {("JSNU", "1"), ("JSNU", "2"), ("CN", "30")}, "20 October 2025"),
    "an X1 entrant to Westlake is told the national 30 days":
        (lambda: residence_permit_application_deadline("WESTLAKE", date(2025, 1, 31)),
         date(2025, 3, 2), {("CN", "30")}, "2 March 2025"),
    "a CPU extension is due one month before expiry":
        (lambda: extension_application_deadline("CPU", date(2026, 9, 10)),
         date(2026, 8, 10), {("CPU", "9")}, "10 August 2026"),
    "a permit expiring on 31 March is extended by the last day of February":
        (lambda: extension_application_deadline("JSNU", date(2026, 3, 31)),
         date(2026, 2, 28), {("JSNU", "9")}, "28 February 2026"),
    "a JSNU deadline inside the holidays moves to the day before they start":
        (lambda: extension_application_deadline("JSNU", date(2026, 3, 10), date(2026, 1, 20),
                                                 date(2026, 2, 25)),
         date(2026, 1, 19), {("JSNU", "9")}, "19 January 2026"),
    "a JSNU deadline after the holidays stays one month before expiry":
        (lambda: extension_application_deadline("JSNU", date(2026, 4, 10), date(2026, 1, 20),
                                                 date(2026, 2, 25)),
         date(2026, 3, 10), {("JSNU", "9")}, "10 March 2026"),
    "a JSNU deadline before the holidays is not moved":
        (lambda: extension_application_deadline("JSNU", date(2026, 2, 10), date(2026, 1, 20),
                                                 date(2026, 2, 25)),
         date(2026, 1, 10), {("JSNU", "9")}, "10 January 2026"),
    "holidays do not move a CPU deadline (CPU sets no holiday rule)":
        (lambda: extension_application_deadline("CPU", date(2026, 3, 10), date(2026, 1, 20),
                                                 date(2026, 2, 25)),
         date(2026, 2, 10), {("CPU", "9")}, "10 February 2026"),
    "a stay permit request is due one month before the fee deadline":
        (lambda: stay_permit_request_deadline("CPU", date(2026, 3, 5)),
         date(2026, 2, 5), {("CPU", "8"), ("CPU", "3")}, "5 February 2026"),
    "a transfer student changes the permit within 10 days of arrival":
        (lambda: transfer_deadline("JSNU", date(2025, 9, 25)),
         date(2025, 10, 5), {("JSNU", "6")}, "5 October 2025"),
    "a zero-entry X visa holder applies one month before leaving":
        (lambda: zero_entry_travel_deadline("JSNU", date(2026, 1, 15)),
         date(2025, 12, 15), {("JSNU", "8")}, "15 December 2025"),
    "a Westlake conference is filed two to three months before its announcement":
        (lambda: conference_contact_deadline("WESTLAKE", date(2026, 5, 31)),
         date(2026, 3, 31), {("CN", "202")}, "28 February 2026"),
    "the JSNU medical examination is due before the extension application":
        (lambda: medical_examination_deadline("JSNU", date(2026, 7, 15)),
         date(2026, 6, 15), {("JSNU", "11"), ("JSNU", "9")}, "15 June 2026"),
    "a new CPU student pays a semester within 30 days of arrival":
        (lambda: new_student_payment_deadline("CPU", date(2025, 9, 5)),
         date(2025, 10, 5), {("CPU", "6(1)(3)")}, "5 October 2025"),
}


@pytest.mark.parametrize(("decide", "deadline", "cited", "says"), DEADLINES.values(),
                         ids=DEADLINES.keys())
def test_deadline(decide: Callable[[], Decision], deadline: date, cited: set[tuple[str, str]],
                  says: str) -> None:
    decision = decide()
    assert decision.covered
    assert decision.valid_until == deadline
    assert cited <= articles(decision)
    assert says in decision.render("en")


NOT_COVERED = {
    "Westlake sets no extension timing": lambda: extension_application_deadline(
        "WESTLAKE", date(2026, 1, 1)),
    "JSNU sets no date for a stay permit request": lambda: stay_permit_request_deadline(
        "JSNU", date(2026, 1, 1)),
    "Qujing sets no stay permit rule": lambda: stay_permit_request_deadline(
        "QJNU", date(2026, 1, 1)),
    "CPU has no transfer rule": lambda: transfer_deadline("CPU", date(2026, 1, 1)),
    "CPU has no zero-entry travel rule": lambda: zero_entry_travel_deadline(
        "CPU", date(2026, 1, 1)),
    "Qujing gives no conference lead time": lambda: conference_contact_deadline(
        "QJNU", date(2026, 1, 1)),
    "CPU has no conference rule": lambda: conference_contact_deadline("CPU", date(2026, 1, 1)),
    "CPU has no yearly medical examination rule": lambda: medical_examination_deadline(
        "CPU", date(2026, 1, 1)),
    "JSNU has no 30-day payment rule": lambda: new_student_payment_deadline(
        "JSNU", date(2026, 1, 1)),
    "JSNU gives no hour limit after a new passport": lambda: registration_deadline(
        "JSNU", "new_passport", date(2026, 1, 1)),
    "Westlake has no new-passport registration rule": lambda: registration_deadline(
        "WESTLAKE", "new_passport", date(2026, 1, 1)),
}


@pytest.mark.parametrize("decide", NOT_COVERED.values(), ids=NOT_COVERED.keys())
def test_uncovered_deadlines_say_so_and_give_no_date(decide: Callable[[], Decision]) -> None:
    decision = decide()
    assert not decision.covered
    assert decision.valid_until is None
    assert "request" in decision.render("en")


REGISTRATION = {
    "CPU: 24 hours after entry at 14:30": ("CPU", "entry", datetime(2025, 9, 1, 14, 30),
                                           date(2025, 9, 2), "14:30 on 2 September 2025",
                                           {("CPU", "4"), ("CN", "39")}),
    "CPU: 24 hours after a new passport, late in the evening":
        ("CPU", "new_passport", datetime(2025, 12, 31, 23, 0), date(2026, 1, 1),
         "23:00 on 1 January 2026", {("CPU", "4")}),
    "CPU: with only a date, the same time of day the next day":
        ("CPU", "address_change", date(2025, 9, 1), date(2025, 9, 2),
         "the same time of day on 2 September 2025", {("CPU", "4")}),
    "JSNU: off-campus address change in the mini program":
        ("JSNU", "address_change", datetime(2025, 9, 1, 8, 0), date(2025, 9, 2),
         "mini program", {("JSNU", "3"), ("CN", "39")}),
    "Qujing: national law counts from moving in": ("QJNU", "entry", datetime(2025, 9, 1, 9, 0),
                                                   date(2025, 9, 2), "moving into",
                                                   {("CN", "39")}),
}


@pytest.mark.parametrize(("code", "event", "at", "day", "says", "cited"), REGISTRATION.values(),
                         ids=REGISTRATION.keys())
def test_registration_deadline(code: str, event: str, at: datetime | date, day: date, says: str,
                               cited: set[tuple[str, str]]) -> None:
    decision = registration_deadline(code, event, at)
    assert decision.covered
    assert decision.valid_until == day
    assert says in decision.render("en")
    assert cited <= articles(decision)


def test_an_unknown_registration_event_is_rejected() -> None:
    with pytest.raises(ValueError):
        registration_deadline("CPU", "birthday", date(2025, 1, 1))


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
BACKWARD: dict[str, Callable[[date], Decision]] = {
    "extension at CPU": lambda d: extension_application_deadline("CPU", d),
    "extension at JSNU": lambda d: extension_application_deadline("JSNU", d),
    "stay permit request": lambda d: stay_permit_request_deadline("CPU", d),
    "zero-entry travel": lambda d: zero_entry_travel_deadline("JSNU", d),
    "conference filing": lambda d: conference_contact_deadline("WESTLAKE", d),
    "medical examination": lambda d: medical_examination_deadline("JSNU", d),
}


@pytest.mark.parametrize("decide", BACKWARD.values(), ids=BACKWARD.keys())
@given(protected=dates)
def test_no_deadline_falls_after_the_date_it_protects(decide: Callable[[date], Decision],
                                                      protected: date) -> None:
    decision = decide(protected)
    assert decision.valid_until is not None
    assert decision.valid_until < protected


@given(expiry=dates, start=dates, end=dates)
def test_holidays_only_ever_bring_a_jsnu_deadline_forward(expiry: date, start: date,
                                                          end: date) -> None:
    plain = extension_application_deadline("JSNU", expiry).valid_until
    with_holidays = extension_application_deadline("JSNU", expiry, start, end).valid_until
    assert plain is not None and with_holidays is not None
    assert with_holidays <= plain < expiry


@given(event=dates)
def test_forward_deadlines_come_after_the_event(event: date) -> None:
    for decision in (residence_permit_application_deadline("CPU", event),
                     transfer_deadline("JSNU", event), new_student_payment_deadline("CPU", event)):
        assert decision.valid_until is not None and decision.valid_until > event
