"""Calculations for the person's own case: only the facts that can change the rule's answer are
asked, contradictory or unclear facts are refused, and the rule decides once none is missing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from knowledge import overstay_penalty, visiting_scholar_stay
from knowledge.calculations import (
    CALCULATIONS,
    FACT_KINDS,
    Problem,
    check,
    decide,
    merge,
    needed_facts,
)
from knowledge.durations import StayLength

TODAY = date(2026, 11, 23)
ARRIVAL = date(2027, 3, 1)


def test_every_fact_a_calculation_uses_has_a_kind() -> None:
    used = {fact for calc in CALCULATIONS.values() for fact in calc.facts}
    assert used == set(FACT_KINDS)


@pytest.mark.parametrize(
    ("topic", "code", "facts", "needed"),
    [
        ("visa_types", "QJNU", {}, ["stay_length"]),
        ("overstay_penalty", "CPU", {}, ["permit_expiry"]),
        ("overstay_penalty", "CPU", {"stay_length": StayLength(days=3)}, []),
        ("dependents", "CPU", {}, ["graduate_full_time", "permit_expiry"]),
        ("dependents", "CPU", {"graduate_full_time": False}, []),
        ("dependents", "JSNU", {}, ["permit_expiry"]),
        ("dependents", "QJNU", {}, []),
        ("work_study", "JSNU", {}, ["work_annotation", "university_consent", "within_limits"]),
        # an annotation is granted only with the university's consent: not asked again
        ("work_study", "JSNU", {"work_annotation": True}, ["within_limits"]),
        ("work_study", "CPU", {}, []),
        ("invite_visiting_scholar", "WESTLAKE", {}, ["arrival", "departure"]),
        ("invite_visiting_scholar", "WESTLAKE",
         {"arrival": date(2027, 3, 1), "stay_length": StayLength(months=3)}, []),
        ("invite_visiting_scholar", "CPU", {}, []),
        # a length alone settles it when no day it could start changes the answer
        ("invite_visiting_scholar", "WESTLAKE", {"stay_length": StayLength(months=18)}, []),
        ("invite_visiting_scholar", "WESTLAKE", {"stay_length": StayLength(days=10)}, []),
        ("invite_visiting_scholar", "WESTLAKE", {"stay_length": StayLength(months=6)}, []),
        ("invite_visiting_scholar", "WESTLAKE", {"stay_length": StayLength(days=366)},
         ["arrival"]),
        ("automatic_withdrawal", "CPU", {}, ["fees_paid", "withdrawal_applied", "permit_expiry"]),
        ("automatic_withdrawal", "CPU", {"fees_paid": True}, []),
        ("automatic_withdrawal", "JSNU", {}, []),
    ],
)
def test_only_facts_that_can_change_the_answer_are_asked(
    topic: str, code: str, facts: dict[str, Any], needed: list[str]
) -> None:
    assert needed_facts(CALCULATIONS[topic], code, facts, TODAY) == needed


def test_a_corrected_departure_replaces_the_length_given_before() -> None:
    calc = CALCULATIONS["invite_visiting_scholar"]
    facts = {"arrival": date(2027, 3, 1), "stay_length": StayLength(months=3)}
    assert merge(calc, facts, {"departure": date(2027, 7, 1)}) == {
        "arrival": date(2027, 3, 1), "departure": date(2027, 7, 1)}


@pytest.mark.parametrize(
    ("topic", "code", "known", "new", "kept", "problem"),
    [
        # 5 months and 28 days are 179 to 181 days: X2 or X1 depending on the first day.
        ("visa_types", "QJNU", {}, {"stay_length": StayLength(months=5, days=28)}, {},
         Problem.UNCLEAR),
        ("visa_types", "QJNU", {}, {"stay_length": StayLength(months=6)},
         {"stay_length": StayLength(months=6)}, None),
        ("invite_visiting_scholar", "WESTLAKE", {"arrival": ARRIVAL},
         {"departure": date(2027, 2, 1)}, {"arrival": ARRIVAL}, Problem.IMPOSSIBLE),
        ("invite_visiting_scholar", "WESTLAKE", {"arrival": ARRIVAL},
         {"stay_length": StayLength(months=4)},
         {"arrival": ARRIVAL, "stay_length": StayLength(months=4)}, None),
        ("overstay_penalty", "CPU", {"permit_expiry": date(2026, 11, 1)},
         {"stay_length": StayLength(days=3)}, {"stay_length": StayLength(days=3)}, None),
        ("dependents", "CPU", {"graduate_full_time": True}, {"graduate_full_time": False},
         {"graduate_full_time": False}, None),
    ],
)
def test_new_facts_are_kept_unless_unclear_or_contradictory(
    topic: str, code: str, known: dict[str, Any], new: dict[str, Any],
    kept: dict[str, Any], problem: Problem | None,
) -> None:
    assert check(CALCULATIONS[topic], code, known, new, TODAY) == (kept, problem)


@pytest.mark.parametrize(
    ("topic", "code", "facts"),
    [
        ("dependents", "CPU", {}),
        ("dependents", "CPU", {"graduate_full_time": True}),
        ("automatic_withdrawal", "CPU", {"fees_paid": False}),
        ("invite_visiting_scholar", "WESTLAKE", {"arrival": ARRIVAL}),
    ],
)
def test_nothing_is_decided_while_a_fact_that_matters_is_missing(
    topic: str, code: str, facts: dict[str, Any]
) -> None:
    assert decide(CALCULATIONS[topic], code, facts, TODAY) is None


def test_a_departure_before_the_arrival_decides_nothing() -> None:
    facts = {"arrival": ARRIVAL, "departure": date(2027, 2, 1)}
    assert decide(CALCULATIONS["invite_visiting_scholar"], "WESTLAKE", facts, TODAY) is None


@pytest.mark.parametrize(
    ("topic", "code"),
    [("dependents", "QJNU"), ("work_study", "CPU"), ("automatic_withdrawal", "JSNU")],
)
def test_a_university_whose_rules_do_not_decide_is_answered_without_questions(
    topic: str, code: str
) -> None:
    decision = decide(CALCULATIONS[topic], code, {}, TODAY)
    assert decision is not None and not decision.covered


def test_a_scholar_stay_given_as_a_length_ends_on_the_calendar_day() -> None:
    facts = {"arrival": ARRIVAL, "stay_length": StayLength(months=3)}
    assert decide(CALCULATIONS["invite_visiting_scholar"], "WESTLAKE", facts, TODAY) == \
        visiting_scholar_stay("WESTLAKE", ARRIVAL, date(2027, 6, 1))


@pytest.mark.parametrize(("length", "topic", "covered"), [
    (StayLength(days=14), "invite_short_term_visitor", True),
    (StayLength(days=15), "invite_visiting_scholar", True),
    (StayLength(months=12), "invite_visiting_scholar", True),
    (StayLength(days=365), "invite_visiting_scholar", True),
    (StayLength(months=12, days=1), "invite_visiting_scholar", False),
    (StayLength(months=18), "invite_visiting_scholar", False),
    (StayLength(days=367), "invite_visiting_scholar", False),
])
def test_a_scholar_stay_given_only_as_a_length_is_decided_by_it(
        length: StayLength, topic: str, covered: bool) -> None:
    decision = decide(CALCULATIONS["invite_visiting_scholar"], "WESTLAKE",
                      {"stay_length": length}, TODAY)
    assert decision is not None
    assert (decision.topic, decision.covered) == (topic, covered)
    assert length.render("en") in decision.answer.en
    assert length.render("zh") in decision.answer.zh


def test_an_overstay_given_as_a_length_is_fined_for_its_days() -> None:
    facts = {"stay_length": StayLength(days=3)}
    assert decide(CALCULATIONS["overstay_penalty"], "CPU", facts, TODAY) == \
        overstay_penalty("CPU", 3)


def test_a_visa_for_months_says_the_days_they_are_at_least() -> None:
    facts = {"stay_length": StayLength(months=6)}
    decision = decide(CALCULATIONS["visa_types"], "CPU", facts, TODAY)
    assert decision is not None
    assert "6 months is at least 181 days." in decision.render("en")
    assert "6个月至少为181天。" in decision.render("zh")


def test_a_visa_for_days_says_no_more_than_the_rule() -> None:
    facts = {"stay_length": StayLength(days=181)}
    decision = decide(CALCULATIONS["visa_types"], "CPU", facts, TODAY)
    assert decision is not None and "at least" not in decision.render("en")
