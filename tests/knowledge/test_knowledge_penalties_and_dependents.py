"""Overstay and illegal-employment penalties; dependents and their permits."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge import (
    dependent_permit,
    illegal_employment_penalty,
    overstay_days,
    overstay_fine,
    overstay_penalty,
    overstay_penalty_since,
)

FINES = {
    "no overstay costs nothing": (0, 0),
    "one day costs RMB 500": (1, 500),
    "nineteen days cost RMB 9,500": (19, 9_500),
    "twenty days reach the RMB 10,000 cap exactly": (20, 10_000),
    "twenty-one days stay at the cap": (21, 10_000),
    "a year stays at the cap": (365, 10_000),
}


@pytest.mark.parametrize(("days", "fine"), FINES.values(), ids=FINES.keys())
def test_overstay_fine(days: int, fine: int) -> None:
    assert overstay_fine(days) == fine


def test_a_negative_overstay_is_rejected() -> None:
    with pytest.raises(ValueError):
        overstay_fine(-1)


OVERSTAY_DAYS = {
    "the expiry day itself is still legal": (date(2025, 9, 10), date(2025, 9, 10), 0),
    "the day after expiry is the first day of illegal stay": (date(2025, 9, 10),
                                                              date(2025, 9, 11), 1),
    "a day before expiry is no overstay": (date(2025, 9, 10), date(2025, 9, 9), 0),
    "across a month end": (date(2025, 1, 31), date(2025, 2, 3), 3),
}


@pytest.mark.parametrize(("expiry", "today", "days"), OVERSTAY_DAYS.values(),
                         ids=OVERSTAY_DAYS.keys())
def test_overstay_days(expiry: date, today: date, days: int) -> None:
    assert overstay_days(expiry, today) == days


def test_an_overstay_answer_names_warning_fine_and_detention_with_citations() -> None:
    decision = overstay_penalty("CPU", 3)
    english = decision.render("en")
    assert "warning" in english and "RMB 1,500" in english and "5 to 15 days" in english
    assert decision.amount_range == (0, 1_500)
    assert {("CPU", "12"), ("CN", "78")} <= {(c.institution, c.article) for c in decision.citations}
    assert "1500元" in decision.render("zh")
    # below the cap, the cap is said too
    assert "at most RMB 10,000" in english and "不超过10000元" in decision.render("zh")


def test_a_long_overstay_says_the_cap_applies() -> None:
    decision = overstay_penalty("JSNU", 40)
    assert "RMB 10,000 (the RMB 10,000 cap)" in decision.render("en")
    assert ("JSNU", "9") in {(c.institution, c.article) for c in decision.citations}


def test_someone_still_within_their_permit_is_told_there_is_no_penalty() -> None:
    decision = overstay_penalty_since("CPU", date(2025, 9, 10), date(2025, 9, 1))
    assert decision.amount_range == (0, 0)
    assert "valid until 10 September 2025" in decision.render("en")


def test_national_law_answers_for_an_institution_that_does_not_restate_it() -> None:
    decision = overstay_penalty("WESTLAKE", 2)
    assert decision.covered
    assert [(c.institution, c.article) for c in decision.citations] == [("CN", "78")]


@given(days=st.integers(min_value=0, max_value=100_000))
def test_no_overstay_fine_exceeds_ten_thousand_yuan(days: int) -> None:
    assert overstay_fine(days) <= 10_000
    decision = overstay_penalty("CPU", days)
    assert decision.amount_range is not None and decision.amount_range[1] <= 10_000
    if days <= 20:
        assert overstay_fine(days) == 500 * days


EMPLOYMENT = {
    "the range when seriousness is unknown": (None, ("RMB 5,000 to 20,000", "detention")),
    "a case that is not serious is only fined": (False, ("RMB 5,000 to 20,000",)),
    "a serious case adds detention": (True, ("detention of 5 to 15 days",)),
}


@pytest.mark.parametrize(("serious", "phrases"), EMPLOYMENT.values(), ids=EMPLOYMENT.keys())
def test_illegal_employment_penalty(serious: bool | None, phrases: tuple[str, ...]) -> None:
    decision = illegal_employment_penalty("JSNU", serious)
    assert all(phrase in decision.render("en") for phrase in phrases)
    assert decision.amount_range == (5_000, 20_000)
    assert ("JSNU", "7") in {(c.institution, c.article) for c in decision.citations}
    if serious is False:
        assert "detention" not in decision.answer.en


@pytest.mark.parametrize("code", ["CPU", "JSNU", "WESTLAKE", "QJNU"])
@pytest.mark.parametrize("serious", [None, False, True])
def test_no_illegal_employment_fine_exceeds_twenty_thousand_yuan(code: str,
                                                                 serious: bool | None) -> None:
    decision = illegal_employment_penalty(code, serious)
    assert decision.amount_range is not None
    assert 5_000 <= decision.amount_range[0] <= decision.amount_range[1] <= 20_000


STUDENT_PERMIT = date(2026, 9, 10)

DEPENDENTS = {
    "a CPU bachelor student may not bring dependents":
        ("CPU", "bachelor", True, None, True, None),
    "a part-time CPU master's student may bring dependents (the Chinese text is followed)":
        ("CPU", "master", False, None, True, STUDENT_PERMIT),
    "a CPU language student may not bring dependents": ("CPU", "language", True, None, True, None),
    "a full-time CPU doctoral student's family stays until the student's permit ends":
        ("CPU", "phd", True, None, True, STUDENT_PERMIT),
    "a requested earlier date is kept": ("CPU", "master", True, date(2026, 1, 1), True,
                                         date(2026, 1, 1)),
    "a requested later date is cut to the student's permit":
        ("CPU", "master", True, date(2027, 1, 1), True, STUDENT_PERMIT),
    "JSNU does not restrict who invites family": ("JSNU", "bachelor", True, date(2027, 1, 1),
                                                  True, STUDENT_PERMIT),
    "Westlake's portal has no rule for students' dependents":
        ("WESTLAKE", "phd", True, None, False, None),
    "Qujing's page has no rule for dependents": ("QJNU", "phd", True, None, False, None),
}


@pytest.mark.parametrize(("code", "level", "full_time", "requested", "covered", "until"),
                         DEPENDENTS.values(), ids=DEPENDENTS.keys())
def test_dependents(code: str, level: str, full_time: bool, requested: date | None,
                    covered: bool, until: date | None) -> None:
    decision = dependent_permit(code, level, full_time, STUDENT_PERMIT, requested)
    assert decision.covered is covered
    assert decision.valid_until == until


CPU_ARTICLE_10BIS = {
    "a full-time master's student": ("master", True, True, ""),
    "a part-time master's student, told about the English version": (
        "master", False, True, "English version says “full-time”"),
    "a doctoral student whose mode of study is unknown": ("phd", None, True, ""),
    "a bachelor's student": ("bachelor", True, False, "only master's and doctoral"),
}


@pytest.mark.parametrize(("level", "full_time", "may", "says"), CPU_ARTICLE_10BIS.values(),
                         ids=CPU_ARTICLE_10BIS.keys())
def test_cpu_article_10bis_follows_the_chinese_text_which_sets_no_full_time_condition(
    level: str, full_time: bool | None, may: bool, says: str
) -> None:
    decision = dependent_permit("CPU", level, full_time, STUDENT_PERMIT)
    assert (decision.valid_until is not None) is may
    english, chinese = decision.render("en"), decision.render("zh")
    assert says in english
    assert "全日制硕士" not in chinese and "仅限全日制" not in chinese
    if not may:
        assert "full-time" not in english


def test_cpu_article_10bis_states_the_choice_of_language_version_next_to_the_rule() -> None:
    from knowledge.institutions import FOLLOWS_ZH, provisions

    dependents = next(p for p in provisions("CPU") if p.article == "10bis")
    assert dependents.follows == FOLLOWS_ZH
    assert "full-time" in dependents.note and "全日制" not in dependents.text.zh


def test_an_unknown_study_level_is_rejected() -> None:
    with pytest.raises(ValueError):
        dependent_permit("CPU", "postdoc", True, STUDENT_PERMIT)


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(code=st.sampled_from(["CPU", "JSNU"]), level=st.sampled_from(["master", "phd", "bachelor"]),
       student=dates, requested=st.none() | dates)
def test_no_dependent_permit_outlives_the_students(code: str, level: str, student: date,
                                                   requested: date | None) -> None:
    decision = dependent_permit(code, level, True, student, requested)
    if decision.valid_until is not None:
        assert decision.valid_until <= student
        assert requested is None or decision.valid_until <= requested
