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
    format_date,
    medical_examination_deadline,
    new_student_payment_deadline,
    registration_deadline,
    residence_permit_application_deadline,
    stay_permit_request_deadline,
    transfer_deadline,
    zero_entry_travel_deadline,
)
from knowledge.answers import article
from knowledge.core import Period
from knowledge.deadlines import EXTENSION_RULES

WINTER = (Period(date(2026, 1, 20), date(2026, 2, 25)),)


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
        (lambda: extension_application_deadline("JSNU", date(2026, 3, 10), holidays=WINTER),
         date(2026, 1, 19), {("JSNU", "9")}, "19 January 2026"),
    "a JSNU deadline after the holidays stays one month before expiry":
        (lambda: extension_application_deadline("JSNU", date(2026, 4, 10), holidays=WINTER),
         date(2026, 3, 10), {("JSNU", "9")}, "10 March 2026"),
    "a JSNU deadline before the holidays is not moved":
        (lambda: extension_application_deadline("JSNU", date(2026, 2, 10), holidays=WINTER),
         date(2026, 1, 10), {("JSNU", "9")}, "10 January 2026"),
    "holidays do not move a CPU deadline (CPU sets no holiday rule)":
        (lambda: extension_application_deadline("CPU", date(2026, 3, 10), holidays=WINTER),
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
    holidays = (Period(min(start, end), max(start, end)),)
    plain = extension_application_deadline("JSNU", expiry).valid_until
    with_holidays = extension_application_deadline("JSNU", expiry,
                                                   holidays=holidays).valid_until
    assert plain is not None and with_holidays is not None
    assert with_holidays <= plain < expiry
    assert with_holidays not in holidays[0]


JSNU_ARTICLE_9 = {
    "an extension due in the winter holidays is due the day before they start":
        (date(2026, 3, 10), WINTER, date(2026, 1, 19), "finish them before the holidays start"),
    "a permit expiring in the holidays: finish before they start":
        (date(2026, 2, 10), WINTER, date(2026, 1, 10),
         "finish the procedures before the holidays start on 20 January 2026"),
    "last winter's holidays do not bring next year's deadline a year early":
        (date(2027, 3, 10), WINTER, date(2027, 2, 10), ""),
    "a holiday that began before the deadline and ended before it moves nothing":
        (date(2026, 4, 10), WINTER, date(2026, 3, 10), ""),
    "two semesters of holidays: only the one holding the deadline counts":
        (date(2026, 8, 20), (*WINTER, Period(date(2026, 7, 10), date(2026, 8, 31))),
         date(2026, 7, 9), "(10 July 2026 to 31 August 2026)"),
}


@pytest.mark.parametrize(("expiry", "holidays", "deadline", "says"), JSNU_ARTICLE_9.values(),
                         ids=JSNU_ARTICLE_9.keys())
def test_jsnu_article_9_procedures_are_finished_before_the_holidays(
    expiry: date, holidays: tuple[Period, ...], deadline: date, says: str
) -> None:
    decision = extension_application_deadline("JSNU", expiry, date(2026, 1, 5), holidays)
    assert decision.valid_until == deadline
    assert says in decision.render("en")
    if says:
        assert "假期" in decision.render("zh")


@pytest.mark.parametrize("code", ["CPU", "JSNU", "WESTLAKE", "QJNU"])
def test_article_9_in_brief_exists_exactly_where_a_rule_dates_the_extension_and_cites_it(
    code: str,
) -> None:
    decision = extension_application_deadline(code, date(2026, 9, 10))
    rule = EXTENSION_RULES.get(code)
    assert decision.covered is (rule is not None)
    if rule is not None:
        assert decision.citations[0] == rule.citation == article(code, "9")
        assert "one month" in rule.text.en and "一个月" in rule.text.zh


def test_jsnu_article_9_in_brief_says_the_holidays_cpu_article_9_does_not() -> None:
    jsnu, cpu = EXTENSION_RULES["JSNU"].text, EXTENSION_RULES["CPU"].text
    assert "holidays" in jsnu.en and "假期" in jsnu.zh
    assert "holidays" not in cpu.en and "假期" not in cpu.zh


def test_jsnu_article_9_without_configured_holidays_the_rule_is_still_said() -> None:
    decision = extension_application_deadline("JSNU", date(2026, 3, 10))  # no holidays given
    assert any("before the holidays begin" in step.en for step in decision.steps)


def test_jsnu_article_9_a_zero_entry_departure_in_the_holidays_is_prepared_before_them() -> None:
    decision = zero_entry_travel_deadline("JSNU", date(2026, 2, 10), date(2026, 1, 5), WINTER)
    assert "before the holidays start on 20 January 2026" in decision.render("en")
    assert ("JSNU", "9") in articles(decision)


TODAY = date(2026, 6, 1)
PAST: dict[str, tuple[Callable[[date | None], Decision], str]] = {
    "CPU Art. 9: extension": (lambda on: extension_application_deadline(
        "CPU", date(2026, 6, 6), on), "School of International Education"),
    "JSNU Art. 9: extension": (lambda on: extension_application_deadline(
        "JSNU", date(2026, 6, 6), on), "International College"),
    "Exit and Entry Law Art. 30: residence permit after entry": (
        lambda on: residence_permit_application_deadline("CPU", date(2026, 4, 1), on),
        "School of International Education"),
    "JSNU Art. 6: transfer": (lambda on: transfer_deadline("JSNU", date(2026, 5, 1), on),
                              "International College"),
    "JSNU Art. 8: zero-entry travel": (lambda on: zero_entry_travel_deadline(
        "JSNU", date(2026, 6, 20), on), "International College"),
    "CPU Art. 8: stay permit": (lambda on: stay_permit_request_deadline(
        "CPU", date(2026, 6, 20), on), "School of International Education"),
    "Westlake portal: conference": (lambda on: conference_contact_deadline(
        "WESTLAKE", date(2026, 7, 1), on), "Office of International Affairs"),
    "JSNU Art. 11: medical examination": (lambda on: medical_examination_deadline(
        "JSNU", date(2026, 6, 6), on), "International College"),
    "CPU Art. 6(1)(3): new student payment": (lambda on: new_student_payment_deadline(
        "CPU", date(2026, 4, 1), on), "School of International Education"),
    "CPU Art. 4: registration": (lambda on: registration_deadline(
        "CPU", "address_change", date(2026, 5, 1), on), "School of International Education"),
}


@pytest.mark.parametrize(("decide", "office"), PAST.values(), ids=PAST.keys())
def test_cpu_art_9_jsnu_art_6_9_law_art_30_a_deadline_already_past_is_said_to_have_passed(
    decide: Callable[[date | None], Decision], office: str
) -> None:
    decision = decide(TODAY)
    assert decision.valid_until is not None and decision.valid_until < TODAY
    assert not decision.covered  # the sources do not say what follows: the office does
    english, chinese = decision.render("en"), decision.render("zh")
    assert "has passed" in english and "1 June 2026" in english
    assert f"contact the {office} now" in english
    assert "request" in english and "已过" in chinese
    # Without the day of the question the bare rule is given, as before.
    assert decide(None).covered


def test_cpu_article_9_a_deadline_that_is_today_says_so() -> None:
    decision = extension_application_deadline("CPU", date(2026, 7, 1), date(2026, 6, 1))
    assert decision.covered and "That is today." in decision.render("en")


FORWARD: dict[str, Callable[[], Decision]] = {
    "Exit and Entry Law Art. 30 (X1, 30 days)": lambda: residence_permit_application_deadline(
        "CPU", date(2025, 9, 1)),
    "JSNU Art. 6 (transfer, 10 days)": lambda: transfer_deadline("JSNU", date(2025, 9, 25)),
    "CPU Art. 6(1)(3) (payment, 30 days)": lambda: new_student_payment_deadline(
        "CPU", date(2025, 9, 5)),
}


@pytest.mark.parametrize("decide", FORWARD.values(), ids=FORWARD.keys())
def test_civil_code_article_203_a_period_ending_on_a_rest_day_is_named_and_to_be_confirmed(
    decide: Callable[[], Decision],
) -> None:
    decision = decide()
    assert decision.valid_until is not None
    english = decision.render("en")
    assert ("CN", "203") in articles(decision)
    assert "Art. 203" in english and "confirm" in english
    if decision.valid_until.weekday() >= 5:
        assert ("is a Saturday" in english) or ("is a Sunday" in english)
    # The plain date, always safe, is kept: no holiday calendar is guessed.
    assert format_date(decision.valid_until, "en") in english


def test_civil_code_article_203_the_transfer_deadline_on_a_sunday_is_named_a_sunday() -> None:
    decision = transfer_deadline("JSNU", date(2025, 9, 25))  # 5 October 2025, a Sunday
    assert decision.valid_until == date(2025, 10, 5)
    assert "5 October 2025 is a Sunday" in decision.render("en")
    assert "2025年10月5日是星期日" in decision.render("zh")


def test_civil_code_article_203_a_day_counted_back_on_a_weekend_is_not_moved_later() -> None:
    decision = extension_application_deadline("CPU", date(2026, 2, 10))  # 10 January: Saturday
    assert decision.valid_until == date(2026, 1, 10)
    assert "is a Saturday" in decision.render("en")
    assert ("CN", "203") not in articles(decision)


ALL_DEADLINES: dict[str, Callable[[], Decision]] = {
    **{name: decide for name, (decide, *_) in DEADLINES.items()},
    "a JSNU zero-entry departure": lambda: zero_entry_travel_deadline("JSNU", date(2026, 5, 1)),
}


@pytest.mark.parametrize("decide", ALL_DEADLINES.values(), ids=ALL_DEADLINES.keys())
def test_civil_code_article_201_the_chinese_names_the_same_last_day_as_the_english(
    decide: Callable[[], Decision],
) -> None:
    decision = decide()
    assert decision.valid_until is not None
    chinese = decision.answer.zh
    last = format_date(decision.valid_until, "zh")
    assert f"最迟于{last}（含当日）" in chinese
    assert f"{last}前" not in chinese  # "…前" would read as the day before
    assert f"by {format_date(decision.valid_until, 'en')} at the latest" in decision.answer.en


CPU_ARTICLE_4 = {
    "each entry into China": ("entry", "each entry into China"),
    "a new passport": ("new_passport", "receiving a new passport"),
    "a change of address": ("address_change", "changing your address in China"),
}


@pytest.mark.parametrize(("event", "says"), CPU_ARTICLE_4.values(), ids=CPU_ARTICLE_4.keys())
def test_cpu_article_4_registration_counts_from_entry_new_passport_or_address_change(
    event: str, says: str
) -> None:
    english = registration_deadline("CPU", event, datetime(2026, 3, 1, 9, 0)).render("en")
    assert says in english
    assert "accommodation" not in english


def test_jsnu_article_3_the_24_hours_after_an_address_change_are_for_students_off_campus() -> None:
    decision = registration_deadline("JSNU", "address_change", datetime(2026, 3, 1, 9, 0))
    assert "living off campus" in decision.render("en")
    assert "on campus its regulations set no time limit" in decision.render("en")
    assert "住在校外" in decision.render("zh")


STAFF_AFTER_ENTRY = {
    "Westlake: the portal's work and residence permit": (
        "WESTLAKE", "work and residence permit",
        ("WESTLAKE", "Q: How do I get my work visa, work permit, and residence permit?")),
    "Qujing: responsibility 3, foreign experts": ("QJNU", "foreign experts", ("QJNU", "3")),
}


@pytest.mark.parametrize(("code", "says", "cited"), STAFF_AFTER_ENTRY.values(),
                         ids=STAFF_AFTER_ENTRY.keys())
def test_westlake_work_permit_question_and_qjnu_responsibility_3_staff_do_not_get_the_x1_rule(
    code: str, says: str, cited: tuple[str, str]
) -> None:
    decision = residence_permit_application_deadline(code, date(2026, 3, 2))
    english = decision.render("en")
    assert "X1" not in english and "X1" not in decision.render("zh")
    assert says in english and cited in articles(decision)
    assert decision.valid_until == date(2026, 4, 1)  # national law still counts 30 days


@given(event=dates)
def test_forward_deadlines_come_after_the_event(event: date) -> None:
    for decision in (residence_permit_application_deadline("CPU", event),
                     transfer_deadline("JSNU", event), new_student_payment_deadline("CPU", event)):
        assert decision.valid_until is not None and decision.valid_until > event
