"""Reading the facts people type: percentages, choices, yes/no and dates, in English and Chinese."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import dateparser

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百点]+")
_ARABIC_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _chinese_whole(text: str) -> int | None:
    """Value of a whole Chinese numeral from 0 to 100 ("七十五" -> 75, "十" -> 10), else None."""
    if text in ("百", "一百"):
        return 100
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    tens, ten, units = text.partition("十")
    if not ten or len(tens) > 1 or len(units) > 1:
        return None
    if (tens and tens not in _DIGITS) or (units and units not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def chinese_number(text: str) -> float | None:
    """Value of a Chinese numeral up to 100 ("七十五" -> 75, "八十点五" -> 80.5), else None."""
    whole, _, fraction = text.partition("点")
    value = _chinese_whole(whole)
    if value is None or any(ch not in _DIGITS for ch in fraction):
        return None
    decimals = "".join(str(_DIGITS[ch]) for ch in fraction)
    return float(f"{value}.{decimals}") if decimals else float(value)


def parse_percentage(text: str) -> float | None:
    """A rate between 0 and 100 from "85%", "85 percent", "0.85", "百分之八十五", "八十五%".

    Returns None when the text holds no number or the number is not a rate.
    """
    cleaned = text.strip().replace("％", "%")
    match = _ARABIC_NUMBER.search(cleaned)
    if match:
        value = float(match.group().replace(",", "."))
        # "0.85" is a fraction when no percent sign says otherwise.
        is_fraction = "." in match.group() and value <= 1
        if is_fraction and "%" not in cleaned and "percent" not in cleaned.lower():
            value *= 100
    else:
        chinese = _CHINESE_NUMBER.search(cleaned.replace("百分之", ""))
        value_or_none = chinese_number(chinese.group()) if chinese else None
        if value_or_none is None:
            return None
        value = value_or_none
    return round(value, 2) if 0 <= value <= 100 else None


def parse_choice(text: str, keywords: Mapping[str, tuple[str, ...]]) -> str | None:
    """The one option whose keywords appear in `text` (case-insensitive), else None.

    When keywords of two options appear, the answer is ambiguous and None is returned.
    """
    lowered = text.lower()
    found = {option for option, words in keywords.items() if any(w in lowered for w in words)}
    return found.pop() if len(found) == 1 else None


_YES = ("yes", "yeah", "yep", "sure", "correct", "true", "是", "对", "嗯")
_NO = ("no", "not", "nope", "false", "否", "不")


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no (checked first: "不是" is no), None when unclear."""
    lowered = text.strip().lower()
    words = set(re.findall(r"[a-z]+", lowered))
    if words & set(_NO) or any(ch in lowered for ch in ("否", "不", "没")):
        return False
    if words & set(_YES) or any(ch in lowered for ch in ("是", "对", "嗯")):
        return True
    return None


_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEK = re.compile(r"(下|本|这)(?:个)?(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?")
_ZH_DAYS = {"今天": 0, "明天": 1, "后天": 2}


def _chinese_relative(text: str, today: date) -> date | str:
    """Resolves the Chinese relative words dateparser misses ("下周五", "明年3月5日").

    Returns a date when the text is only a relative day, else the text with
    relative years made absolute, for dateparser to read.
    """
    stripped = text.strip()
    if stripped in _ZH_DAYS:
        return today + timedelta(days=_ZH_DAYS[stripped])
    week = _ZH_WEEK.search(stripped)
    if week:
        monday = today - timedelta(days=today.weekday())
        if week.group(1) == "下":
            monday += timedelta(days=7)
        return monday + timedelta(days=_WEEKDAYS_ZH[week.group(2)])
    month_day = _ZH_MONTH_DAY.fullmatch(stripped)
    if month_day:
        month, day = int(month_day.group(1)), int(month_day.group(2))
        try:
            this_year = date(today.year, month, day)
        except ValueError:
            return stripped
        return this_year if this_year >= today else this_year.replace(year=today.year + 1)
    for word, offset in (("明年", 1), ("后年", 2), ("今年", 0), ("去年", -1)):
        stripped = stripped.replace(word, f"{today.year + offset}年")
    return stripped


def parse_date(text: str, today: date, language: str = "en") -> date | None:
    """A calendar date from free text ("3 March 2026", "next Friday", "2026年12月20日").

    Relative dates count from `today`; None when no date can be read.
    """
    resolved = _chinese_relative(text, today)
    if isinstance(resolved, date):
        return resolved
    text = resolved
    languages = ["zh", "en"] if language == "zh" else ["en", "zh"]
    parsed = dateparser.parse(
        text,
        languages=languages,
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY" if language == "en" else "YMD",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None
