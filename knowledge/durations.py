"""Lengths of time as people say them ("8 months", "1 year and 3 days"), counted on the calendar.

Months are counted as the Civil Code counts them (Art. 202, see ``knowledge.core``): a period
of months ends on the corresponding date of the last month, so a length in months is a range
of days. Six months are 181 to 184 days, never 180.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.core import add_months

# Every start day from 2096 to 2104: leap years four years apart (2096, 2104) and the
# Gregorian calendar's longest gap without one (2100 is not a leap year: none from 2097 to
# 2103), so both the most and the fewest leap days a span can hold occur among them.
_SPAN_FIRST = date(2096, 1, 1)
_SPAN_DAYS = (date(2105, 1, 1) - _SPAN_FIRST).days


@functools.cache
def _month_span(months: int) -> tuple[int, int]:
    """The fewest and the most days ``months`` calendar months can last."""
    lengths = [(add_months(start, months) - start).days
               for start in (_SPAN_FIRST + timedelta(days=n) for n in range(_SPAN_DAYS))]
    return min(lengths), max(lengths)


@dataclass(frozen=True)
class StayLength:
    """A length of time as people say it: whole months (years are 12) plus days."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0 or not (self.months or self.days):
            raise ValueError("a length of stay must be positive")

    def isoformat(self) -> str:
        """E.g. "P18M0D": how the dialogue stores it."""
        return f"P{self.months}M{self.days}D"

    @classmethod
    def fromisoformat(cls, text: str) -> StayLength:
        """The length stored by `isoformat`; ValueError for anything else."""
        match = re.fullmatch(r"P(\d+)M(\d+)D", text)
        if match is None:
            raise ValueError(f"not a stored length of stay: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def shortest_days(self) -> int:
        """The fewest days this length can be, whichever day it starts."""
        return (_month_span(self.months)[0] if self.months else 0) + self.days

    def longest_days(self) -> int:
        """The most days this length can be, whichever day it starts."""
        return (_month_span(self.months)[1] if self.months else 0) + self.days

    def end(self, start: date) -> date:
        """The day this length ends when it starts on ``start`` (the start day not counted)."""
        return add_months(start, self.months) + timedelta(days=self.days)

    def render(self, lang: str) -> str:
        """ "1 year and 6 months", "180 days" / "1年6个月", "180天"."""
        years, months = divmod(self.months, 12)
        if lang == "zh":
            parts_zh = [f"{years}年" if years else "", f"{months}个月" if months else "",
                        f"{self.days}天" if self.days else ""]
            return "".join(parts_zh)
        parts = [f"{n} {unit}{'s' if n != 1 else ''}"
                 for n, unit in ((years, "year"), (months, "month"), (self.days, "day")) if n]
        return " and ".join(parts)
