"""Lengths of stay as people say them, counted on the calendar (Civil Code Art. 202)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.durations import StayLength


def test_six_months_are_always_more_than_180_days_and_five_never() -> None:
    assert StayLength(months=6).shortest_days() == 181
    assert StayLength(months=5).longest_days() == 153


def test_a_length_ends_on_the_corresponding_day_or_the_months_last_day() -> None:
    assert StayLength(months=3).end(date(2027, 3, 1)) == date(2027, 6, 1)
    assert StayLength(months=1).end(date(2027, 1, 31)) == date(2027, 2, 28)
    assert StayLength(days=10).end(date(2027, 3, 1)) == date(2027, 3, 11)


def test_a_stored_length_reads_back() -> None:
    length = StayLength(months=18, days=3)
    assert StayLength.fromisoformat(length.isoformat()) == length
    with pytest.raises(ValueError):
        StayLength.fromisoformat("two years")


def test_a_length_is_written_in_each_language() -> None:
    assert StayLength(months=18).render("en") == "1 year and 6 months"
    assert StayLength(days=1).render("en") == "1 day"
    assert StayLength(months=8).render("zh") == "8个月"

@pytest.mark.parametrize(
    ("length", "shortest", "longest"),
    [
        (StayLength(days=180), 180, 180),
        (StayLength(months=1), 28, 31),
        (StayLength(months=1, days=2), 30, 33),
        (StayLength(months=12), 365, 366),
        (StayLength(months=24), 730, 731),
    ],
)
def test_months_last_between_their_fewest_and_most_days(
    length: StayLength, shortest: int, longest: int
) -> None:
    assert (length.shortest_days(), length.longest_days()) == (shortest, longest)


@pytest.mark.parametrize(
    ("length", "en", "zh"),
    [
        (StayLength(months=24), "2 years", "2年"),
        (StayLength(months=13, days=2), "1 year and 1 month and 2 days", "1年1个月2天"),
        (StayLength(days=180), "180 days", "180天"),
    ],
)
def test_years_months_and_days_are_each_written_once(length: StayLength, en: str, zh: str) -> None:
    assert (length.render("en"), length.render("zh")) == (en, zh)


@pytest.mark.parametrize(("months", "days"), [(0, 0), (-1, 5), (3, -1)])
def test_a_length_of_nothing_or_less_is_refused(months: int, days: int) -> None:
    with pytest.raises(ValueError):
        StayLength(months=months, days=days)


@given(start=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
       months=st.integers(0, 60), days=st.integers(1, 400))
def test_a_length_from_any_day_lasts_between_its_fewest_and_most_days(
    start: date, months: int, days: int
) -> None:
    length = StayLength(months=months, days=days)
    lasts = (length.end(start) - start).days
    assert length.shortest_days() <= lasts <= length.longest_days()


def test_a_span_across_a_century_year_without_a_leap_day_is_within_the_range() -> None:
    """2100 is not a leap year: 38 months and a day from 1 January 2097 hold no 29 February
    (hypothesis found it once)."""
    length = StayLength(months=38, days=1)
    lasts = (length.end(date(2097, 1, 1)) - date(2097, 1, 1)).days
    assert length.shortest_days() <= lasts <= length.longest_days()
