"""CPU Article 6, one case per row and edge of the residence-permit table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import PermitFacts, format_date, missing_permit_facts, residence_permit_validity

TODAY = date(2025, 9, 1)


@dataclass(frozen=True)
class Row:
    facts: PermitFacts
    covered: bool
    valid_until: date | None
    article: str
    days: int | None = None
    says: str = ""  # a phrase the English answer or its steps must contain


def returning(paid: str | None, attendance: float | None, final: bool | None = None) -> PermitFacts:
    return PermitFacts("returning", None, paid, attendance, final)


def delayed(approval: date, lease: date, insurance: date) -> PermitFacts:
    return PermitFacts("delayed_graduation", needs_courses_or_lab=True, approval_date=approval,
                       lease_end=lease, insurance_end=insurance)


SEMESTER_END = TODAY + timedelta(days=180)  # 28 February 2026

ROWS = {
    "a new degree student who paid a year is covered until next September 10":
        Row(PermitFacts("new", "degree", "year"), True, date(2026, 9, 10), "6(1)(1)"),
    "a new language student who paid a year is covered until next July 15":
        Row(PermitFacts("new", "language", "year"), True, date(2026, 7, 15), "6(1)(1)"),
    "a preparatory student counts as a language student":
        Row(PermitFacts("new", "preparatory", "year"), True, date(2026, 7, 15), "6(1)(1)"),
    "a new degree student who paid a semester gets 180 days and a March 5 commitment":
        Row(PermitFacts("new", "degree", "semester"), True, SEMESTER_END, "6(1)(2)", 180,
            "5 March 2026"),
    "a new language student who paid a semester gets 180 days and a January 5 commitment":
        Row(PermitFacts("new", "language", "semester"), True, SEMESTER_END, "6(1)(2)", 180,
            "5 January 2026"),
    "a new student who has not paid gets no extension":
        Row(PermitFacts("new", None, "none"), True, None, "6(1)(3)", None, "within 30 days"),
    "a new student who has not paid but is within 30 days is told the last day":
        Row(PermitFacts("new", None, "none", arrival_date=date(2025, 8, 15)), True, None,
            "6(1)(3)", None, "14 September 2025"),
    "a new student on the thirtieth day after arrival may still pay today":
        Row(PermitFacts("new", None, "none", arrival_date=date(2025, 8, 2)), True, None,
            "6(1)(3)", None, "pay at least one semester by 1 September 2025"),
    "a new student past the thirty days gets no extension":
        Row(PermitFacts("new", None, "none", arrival_date=date(2025, 8, 1)), True, None,
            "6(1)(3)", None, "ended on 31 August 2025"),
    "a returning student with a year paid and attendance just over 80% gets next September 10":
        Row(returning("year", 80.1, False), True, date(2026, 9, 10), "6(2)(1)"),
    "a final-year student with a year paid and full attendance gets next July 15":
        Row(returning("year", 100, True), True, date(2026, 7, 15), "6(2)(1)"),
    "exactly 80% attendance is not over 80% and gets 180 days":
        Row(returning("year", 80, False), True, SEMESTER_END, "6(2)(2)", 180),
    "a semester paid with 80% attendance gets 180 days":
        Row(returning("semester", 80), True, SEMESTER_END, "6(2)(2)", 180),
    "exactly 70% attendance is not below 70% and gets 180 days":
        Row(returning("semester", 70), True, SEMESTER_END, "6(2)(2)", 180),
    "a year paid counts as at least a semester in the 70 to 80% band":
        Row(returning("year", 75), True, SEMESTER_END, "6(2)(2)", 180),
    "attendance just below 70% gets no extension and must leave":
        Row(returning("semester", 69.9), True, None, "6(2)(3)", None, "must leave"),
    "attendance below 70% ends the case even with a year paid":
        Row(returning("year", 0), True, None, "6(2)(3)"),
    "a semester paid with attendance over 80% is not covered by the regulation":
        Row(returning("semester", 85), False, None, "6(2)(1)", None, "do not cover"),
    "a returning student who has not paid gets nothing under Article 5":
        Row(returning("none", 90), True, None, "5"),
    "a returning student who has not paid needs no attendance to be decided":
        Row(returning("none", None), True, None, "5"),
    "a delayed graduate without courses or lab gets no extension":
        Row(PermitFacts("delayed_graduation", needs_courses_or_lab=False), True, None, "6(3)",
            None, "must leave"),
    "a delayed graduate is bounded by the lease when it ends first":
        Row(delayed(date(2026, 1, 1), date(2025, 12, 1), date(2026, 2, 1)), True,
            date(2025, 12, 1), "6(3)", 91, "the end of your lease"),
    "a delayed graduate is bounded by the approved date when it comes first":
        Row(delayed(date(2025, 11, 1), date(2025, 12, 1), date(2026, 2, 1)), True,
            date(2025, 11, 1), "6(3)", 61, "approved by your academic department"),
    "a delayed graduate is bounded by the insurance when it ends first":
        Row(delayed(date(2026, 1, 1), date(2025, 12, 1), date(2025, 10, 15)), True,
            date(2025, 10, 15), "6(3)", 44, "the end of your insurance"),
    "a delayed graduate never gets more than 180 days":
        Row(delayed(date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 1)), True, SEMESTER_END,
            "6(3)", 180, "180 days from today"),
    "a delayed graduate who gave no dates is told the 180-day limit and what ends it sooner":
        Row(PermitFacts("delayed_graduation", needs_courses_or_lab=True), True, None, "6(3)",
            None, "until 28 February 2026 at the latest (180 days from today); it ends sooner "
                  "if the date approved by your academic department, the end of your lease or "
                  "the end of your insurance comes first"),
    "a delayed graduate who gave only the lease is bounded by it and asked for the rest":
        Row(PermitFacts("delayed_graduation", needs_courses_or_lab=True,
                        lease_end=date(2025, 12, 1)), True, None, "6(3)", None,
            "until 1 December 2025 at the latest (the end of your lease); it ends sooner if "
            "the date approved by your academic department or the end of your insurance"),
    "a delayed graduate whose lease already ended gets no permit from it":
        Row(delayed(date(2026, 1, 1), date(2025, 8, 31), date(2026, 2, 1)), True, None, "6(3)",
            None, "renew"),
    "Jiangsu Normal University sets no permit durations":
        Row(PermitFacts("new", "degree", "year", institution="JSNU"), False, None, "4", None,
            "do not cover"),
    "Westlake's portal sets no student permit durations":
        Row(PermitFacts("new", "degree", "year", institution="WESTLAKE"), False, None, "",
            None, "do not cover"),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_article_6_row(row: Row) -> None:
    decision = residence_permit_validity(row.facts, TODAY)
    assert decision.topic == "residence_permit_validity"
    assert decision.covered is row.covered
    assert decision.valid_until == row.valid_until
    assert decision.days == row.days
    if row.article:
        assert row.article in [c.article for c in decision.citations]
    english = decision.render("en")
    assert row.says in english
    if decision.valid_until is not None:
        assert f"{decision.valid_until.day} " in english


@dataclass(frozen=True)
class AcademicYear:
    facts: PermitFacts
    today: date
    covered: bool
    valid_until: date | None
    says: str = ""
    never_says: str = ""


NEXT_YEAR = {
    "a new degree student paying a year in September: next September 10":
        AcademicYear(PermitFacts("new", "degree", "year"), date(2026, 9, 5), True,
                     date(2027, 9, 10), "2026–2027 academic year"),
    "a new student paying a year in March is not given 18 months: not covered":
        AcademicYear(PermitFacts("new", "degree", "year"), date(2026, 3, 1), False, None,
                     "autumn start", "2027"),
    "a returning student paying in March: the September ending this academic year":
        AcademicYear(returning("year", 90, False), date(2027, 3, 1), True, date(2027, 9, 10),
                     "2026–2027 academic year"),
    "a returning student paying in August: the September a year on":
        AcademicYear(returning("year", 90, False), date(2026, 8, 1), True, date(2027, 9, 10)),
    "a final-year student paying on 15 July: the next July 15, not today":
        AcademicYear(returning("year", 90, True), date(2026, 7, 15), True, date(2027, 7, 15)),
    "a final-year student paying on 14 July: the July 15 ending this academic year":
        AcademicYear(returning("year", 90, True), date(2026, 7, 14), True, date(2026, 7, 15)),
    "an autumn semester payer commits to the March 5 that follows":
        AcademicYear(PermitFacts("new", "degree", "semester"), date(2026, 9, 15), True,
                     date(2027, 3, 14), "before 5 March 2027"),
    "a spring semester payer gets no commitment date after the 180-day permit ends":
        AcademicYear(PermitFacts("new", "degree", "semester"), date(2026, 2, 20), True,
                     date(2026, 8, 19), "spring start", "5 March 2027"),
}


@pytest.mark.parametrize("row", NEXT_YEAR.values(), ids=NEXT_YEAR.keys())
def test_cpu_article_6_next_year_is_counted_from_the_academic_year_not_the_question(
    row: AcademicYear,
) -> None:
    decision = residence_permit_validity(row.facts, row.today)
    assert decision.covered is row.covered
    assert decision.valid_until == row.valid_until
    english = decision.render("en")
    assert row.says in english
    if row.never_says:
        assert row.never_says not in english


def test_cpu_article_6_1_2_a_language_students_commitment_falls_within_the_permit_all_year(
) -> None:
    for month in range(1, 13):
        today = date(2026, month, 20)
        decision = residence_permit_validity(PermitFacts("new", "language", "semester"), today)
        assert decision.valid_until is not None
        for year in (2026, 2027, 2028):
            for day in (date(year, 1, 5), date(year, 3, 5)):
                if format_date(day, "en") in decision.render("en"):
                    assert today < day <= decision.valid_until


CPU_ARTICLE_5 = {
    "a delayed graduate who has not paid gets no permit":
        Row(PermitFacts("delayed_graduation", paid="none", needs_courses_or_lab=True), True,
            None, "5", None, "no visa extension"),
    "a delayed graduate whose payment is unknown is told the permit needs it":
        Row(delayed(date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 1)), True,
            date(2026, 1, 1), "5", 122, "once you have paid at least one semester"),
    "a delayed graduate who has paid gets the permit":
        Row(PermitFacts("delayed_graduation", paid="semester", needs_courses_or_lab=True,
                        approval_date=date(2026, 1, 1), lease_end=date(2026, 1, 1),
                        insurance_end=date(2026, 1, 1)), True, date(2026, 1, 1), "6(3)", 122),
}


@pytest.mark.parametrize("row", CPU_ARTICLE_5.values(), ids=CPU_ARTICLE_5.keys())
def test_cpu_article_5_applies_to_delayed_graduates_too(row: Row) -> None:
    test_article_6_row(row)


def test_cpu_article_5_a_delayed_graduate_who_has_not_paid_is_asked_no_dates() -> None:
    assert missing_permit_facts(
        PermitFacts("delayed_graduation", paid="none", needs_courses_or_lab=True)) == ()


def test_cpu_article_6_3_the_180_days_are_a_limit_in_principle() -> None:
    decision = residence_permit_validity(
        delayed(date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 1)), TODAY)
    assert "in principle" in decision.render("en")
    assert "原则上" in decision.render("zh")


def test_the_chinese_answer_restores_the_month_the_chinese_text_lost() -> None:
    decision = residence_permit_validity(PermitFacts("new", "degree", "year"), TODAY)
    assert "2026年9月10日" in decision.render("zh")
    assert "第六条（一）（一）" in decision.render("zh")


MISSING = {
    "nothing known asks for the student's status first": (PermitFacts(), ("student_status",)),
    "a new student is asked programme then payment": (PermitFacts("new"), ("programme", "paid")),
    "a new student who has not paid needs no programme": (PermitFacts("new", paid="none"), ()),
    "a new degree student is asked only for payment": (PermitFacts("new", "degree"), ("paid",)),
    "a returning student is asked payment then attendance":
        (PermitFacts("returning"), ("paid", "attendance_percent")),
    "attendance below 70% needs nothing more": (returning(None, 60), ()),
    "no payment needs nothing more": (returning("none", None), ()),
    "a year paid with attendance over 80% asks about the final year":
        (returning("year", 85), ("final_year",)),
    "a year paid with exactly 80% does not ask about the final year": (returning("year", 80), ()),
    "a semester paid with attendance over 80% needs nothing more": (returning("semester", 85), ()),
    "a delayed graduate is asked about courses first":
        (PermitFacts("delayed_graduation"), ("needs_courses_or_lab",)),
    "a delayed graduate without courses needs nothing more":
        (PermitFacts("delayed_graduation", needs_courses_or_lab=False), ()),
    "a delayed graduate with courses is answered without being asked the three dates":
        (PermitFacts("delayed_graduation", needs_courses_or_lab=True), ()),
    "another institution needs no facts at all": (PermitFacts(institution="QJNU"), ()),
}


@pytest.mark.parametrize(("facts", "expected"), MISSING.values(), ids=MISSING.keys())
def test_missing_permit_facts(facts: PermitFacts, expected: tuple[str, ...]) -> None:
    assert missing_permit_facts(facts) == expected


INVALID = {
    "attendance above 100% is rejected": PermitFacts("returning", None, "year", 120),
    "negative attendance is rejected": PermitFacts("returning", None, "year", -1),
    "an unknown status is rejected": PermitFacts("alumni"),
    "an unknown programme is rejected": PermitFacts("new", "mba", "year"),
    "an unknown payment is rejected": PermitFacts("new", "degree", "half"),
    "an unknown institution is rejected": PermitFacts("new", "degree", "year", institution="MIT"),
}


@pytest.mark.parametrize("facts", INVALID.values(), ids=INVALID.keys())
def test_invalid_facts_raise(facts: PermitFacts) -> None:
    with pytest.raises(ValueError):
        residence_permit_validity(facts, TODAY)


def test_deciding_with_facts_still_missing_raises() -> None:
    with pytest.raises(ValueError, match="attendance_percent"):
        residence_permit_validity(PermitFacts("returning", paid="year"), TODAY)


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(today=dates, approval=dates, lease=dates, insurance=dates)
def test_a_delayed_graduates_permit_never_outlives_any_of_its_bounds(
    today: date, approval: date, lease: date, insurance: date
) -> None:
    decision = residence_permit_validity(delayed(approval, lease, insurance), today)
    assert decision.covered
    if decision.valid_until is not None:
        assert today < decision.valid_until <= min(approval, lease, insurance,
                                                   today + timedelta(days=180))
    else:
        assert min(approval, lease, insurance) <= today


@given(today=dates, attendance=st.floats(min_value=0, max_value=100),
       paid=st.sampled_from(["year", "semester"]), final=st.booleans())
def test_every_returning_case_is_decided_or_explicitly_uncovered(
    today: date, attendance: float, paid: str, final: bool
) -> None:
    decision = residence_permit_validity(returning(paid, attendance, final), today)
    assert decision.citations
    assert decision.covered is not (paid == "semester" and attendance > 80)
    if decision.valid_until is not None:
        assert decision.valid_until > today


NAMED_YEAR = {
    "a new degree student who registered for 2027-2028 in December 2026":
        (PermitFacts("new", "degree", "year", academic_year=2027), date(2028, 9, 10),
         "2027–2028 academic year"),
    "a new language student who names 2027-2028":
        (PermitFacts("new", "language", "year", academic_year=2027), date(2028, 7, 15),
         "2027–2028 academic year"),
    "a returning final-year student who paid 2027-2028":
        (PermitFacts("returning", None, "year", 88, True, academic_year=2027),
         date(2028, 7, 15), "2027–2028 academic year"),
    "the year the question falls in when none is named":
        (PermitFacts("returning", None, "year", 88, False), date(2027, 9, 10),
         "2026–2027 academic year"),
}


@pytest.mark.parametrize(("facts", "until", "says"), NAMED_YEAR.values(), ids=NAMED_YEAR.keys())
def test_cpu_article_6_counts_next_year_from_the_academic_year_the_person_names(
    facts: PermitFacts, until: date, says: str,
) -> None:
    """Asked in December 2026 about the year the person has paid for, 2027-2028."""
    decision = residence_permit_validity(facts, date(2026, 12, 7))
    assert decision.valid_until == until
    assert says in decision.render("en")
