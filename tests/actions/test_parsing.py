"""Facts typed in free text, in English and Chinese, are read exactly or not at all."""

from __future__ import annotations

from datetime import date

import pytest

from actions.parsing import parse_choice, parse_date, parse_percentage, parse_yes_no

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("85%", 85.0), ("85 ％", 85.0), ("85 percent", 85.0), ("0.85", 85.0), ("78", 78.0),
        ("百分之八十五", 85.0), ("八十%", 80.0), ("百分之七十九点五", 79.5), ("一百", 100.0),
        ("出勤率是72%", 72.0), ("quite good", None), ("150%", None), ("", None),
    ],
    ids=lambda value: repr(value),
)
def test_attendance_rates_are_read_in_both_languages(text: str, rate: float | None) -> None:
    assert parse_percentage(text) == rate


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("3 March 2026", "en", date(2026, 3, 3)),
        ("2026-12-20", "en", date(2026, 12, 20)),
        ("next Friday", "en", date(2026, 11, 27)),
        ("tomorrow", "en", date(2026, 11, 24)),
        ("2026年12月20日", "zh", date(2026, 12, 20)),
        ("明年3月5日", "zh", date(2027, 3, 5)),
        ("3月5日", "zh", date(2027, 3, 5)),
        ("12月20号", "zh", date(2026, 12, 20)),
        ("下周五", "zh", date(2026, 12, 4)),
        ("明天", "zh", date(2026, 11, 24)),
        ("whenever", "en", None),
        ("2月30日", "zh", None),
    ],
)
def test_dates_are_read_relative_to_today(text: str, language: str, expected: date | None) -> None:
    assert parse_date(text, TODAY, language) == expected


@pytest.mark.parametrize(
    ("text", "answer"),
    [("yes", True), ("yeah sure", True), ("是的", True), ("no", False), ("not really", False),
     ("不是", False), ("没有", False), ("maybe", None)],
)
def test_yes_and_no_are_read_with_no_winning_over_yes(text: str, answer: bool | None) -> None:
    assert parse_yes_no(text) is answer


def test_a_choice_naming_two_options_is_not_guessed() -> None:
    options = {"year": ("year",), "semester": ("semester",)}
    assert parse_choice("one semester", options) == "semester"
    assert parse_choice("a year or a semester", options) is None
