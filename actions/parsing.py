"""Reading the facts people type, in English and Chinese: percentages, choices, yes/no, dates
(alone or inside a sentence) and lengths of stay ("8 months", "两年", "一百八十天")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

import dateparser

from knowledge.durations import StayLength

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


_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_integer(text: str) -> int | None:
    """Value of a whole Chinese numeral below 10,000 ("一百八十" -> 180, "两" -> 2), else None.

    Arabic digits pass through ("18" -> 18), so callers can read "18个月" and "十八个月" alike.
    """
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _CHINESE_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0:
                return None  # two digits in a row ("一二") is no number
            digit = _DIGITS[ch] if _DIGITS[ch] else None
        else:
            total += (1 if digit is None else digit) * _CHINESE_UNITS[ch]
            digit = None
    return total + (digit or 0)


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


# Contractions as people type them on a phone, without the apostrophe ("i didnt pay").
_BARE_CONTRACTIONS: Final = re.compile(
    r"\b(did|do|does|have|has|had|is|are|was|were|could|would|should|ca|wo|must)nt\b"
    r"|\b(i)(m|ve)\b", re.IGNORECASE)  # not "id" (an ID card) nor "ill" (being ill)


def as_typed(text: str) -> str:
    """``text`` lower-cased with its contractions written out as the phrase lists write them:
    curly apostrophes straight, and the apostrophe a phone keyboard left out put back
    ("didnt" → "didn't", "cant" → "can't", "im" → "i'm")."""
    lowered = text.lower().replace("\u2019", "'")

    def restored(match: re.Match[str]) -> str:
        if match.group(1):
            return f"{match.group(1)}n't"
        return f"{match.group(2)}'{match.group(3)}"

    return _BARE_CONTRACTIONS.sub(restored, lowered)


def parse_choice(text: str, keywords: Mapping[str, tuple[str, ...]]) -> str | None:
    """The one option whose keywords appear in `text` (case-insensitive), else None.

    When keywords of two options appear, the answer is ambiguous and None is returned.
    """
    lowered = as_typed(text)
    found = {option for option, words in keywords.items() if any(w in lowered for w in words)}
    return found.pop() if len(found) == 1 else None


# What a temporary-registration question counts the 24 hours from (CPU Art. 4: each entry
# into China, a new passport, a change of address); a question naming none counts from entry.
_REGISTRATION_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_passport", re.compile(r"new\s+passport|passport\s+(?:was\s+)?(?:renewed|replaced|"
                                r"reissued)|renew(?:ed|ing)?\s+(?:my\s+)?passport|新护照|换(?:了)?护照|"
                                r"更换护照|护照(?:换|更换|补办)了?", re.IGNORECASE)),
    ("address_change", re.compile(r"\bmov(?:e|ed|ing)\b|new\s+(?:address|flat|apartment)|"
                                  r"change(?:d)?\s+(?:my\s+)?address|address\s+change|"
                                  r"搬家|搬到|换(?:了)?住(?:址|处)|变更(?:在华)?住址|新住址|新地址",
                                  re.IGNORECASE)),
)


def registration_event(text: str) -> str:
    """What "when must I register?" counts from: "new_passport", "address_change" or "entry"."""
    return next((event for event, pattern in _REGISTRATION_EVENTS if pattern.search(text)),
                "entry")


# A question that asks for a time ("by when", "how long", 几号, 多久): only such a question is
# left unanswered where the documents set no deadline; any other gets the topic's rule.
_ASKS_WHEN = re.compile(r"\bwhen\b|\bdeadline|how long|how many days|how soon|how much time|"
                        r"\bby what date|\bwhat date|time limit|什么时候|何时|几号|几月|哪天|多久|"
                        r"多长时间|几天|期限|截止|最晚|之前|以前", re.IGNORECASE)


def asks_when(text: str) -> bool:
    """Whether ``text`` asks for a date, a deadline or a length of time."""
    return bool(_ASKS_WHEN.search(text))


_YES = ("yes", "yeah", "yep", "sure", "correct", "true", "是", "对", "嗯")
_NO = ("no", "not", "nope", "false", "否", "不")


_UNSURE = re.compile(r"not sure|unsure|don'?t know|no idea|maybe|"
                     r"不知道|不清楚|不确定|不一定|说不准")


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no (checked first: "不是" is no), None when unclear.

    "I don't know" / "不知道" is unclear, not no.
    """
    lowered = text.strip().lower()
    if _UNSURE.search(lowered):
        return None
    words = set(re.findall(r"[a-z]+", lowered))
    if words & set(_NO) or any(ch in lowered for ch in ("否", "不", "没")):
        return False
    if words & set(_YES) or any(ch in lowered for ch in ("是", "对", "嗯")):
        return True
    return None


_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_WEEK = re.compile(r"(上|下|本|这)(?:个)?(?:周|星期|礼拜)([一二三四五六日天])")
_ZH_WEEK_OFFSET = {"上": -7, "下": 7, "本": 0, "这": 0}
_ZH_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?")
_ZH_HAO = re.compile(r"(\d)\s*号")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_ZH_DAYS = {"今天": 0, "明天": 1, "后天": 2, "昨天": -1, "前天": -2, "大前天": -3}
_ZH_DAYS_AWAY = re.compile(r"([\d零〇一二两三四五六七八九十百]+)\s*天(以前|之前|前|以后|之后|后)")


def _chinese_relative(text: str, today: date) -> date | str:
    """Resolves the Chinese relative words dateparser misses ("下周五", "三天前", "明年3月5日").

    Returns a date when the text is only a relative day, else the text with
    relative years made absolute, for dateparser to read.
    """
    stripped = text.strip()
    if stripped in _ZH_DAYS:
        return today + timedelta(days=_ZH_DAYS[stripped])
    away = _ZH_DAYS_AWAY.fullmatch(stripped)
    count = chinese_integer(away.group(1)) if away else None
    if away and count is not None:
        return today + timedelta(days=-count if "前" in away.group(2) else count)
    week = _ZH_WEEK.search(stripped)
    if week:
        monday = today - timedelta(days=today.weekday())
        monday += timedelta(days=_ZH_WEEK_OFFSET[week.group(1)])
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


_ZH_TODAY = re.compile(r"今早|今晚")


def parse_date(text: str, today: date, language: str = "en") -> date | None:
    """A calendar date from free text ("3 March 2026", "next Friday", "2026年12月20日").

    Relative dates count from `today`; None when no date can be read.
    """
    text = _ZH_HAO.sub(r"\1日", text)  # "9月5号": 号 is the spoken 日
    text = _ZH_TODAY.sub("今天", text)  # "今早" (this morning), "今晚" (tonight)
    numeric = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if numeric:  # "05/03/2027" is the 5th of March, as written outside the US
        day, month, year = (int(part) for part in numeric.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
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


# ------------------------------------------------------------------ dates inside a sentence

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_YEAR = r"(?:,?\s*\d{4})?"
_ZH_COUNT = r"[\d零〇一二两三四五六七八九十百]+"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}",
    r"(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.]\d{4}(?![\d/.])",
    r"(?:\d{4}\s*年\s*|明年|今年|去年|后年)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b{_YEAR}",
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b{_YEAR}",
    r"\b(?:today|tomorrow|yesterday|tonight|this\s+(?:morning|afternoon|evening))\b|"
    r"大前天|今天|明天|后天|昨天|前天|今早|今晚",
    r"\b(?:next|this|last)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    r"(?:上|下|本|这)个?(?:周|星期|礼拜)[一二三四五六日天]",
    r"\b(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:days?|weeks?)\s+ago\b",
    r"\bin\s+(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?:days?|weeks?)(?!\s+(?:of|after|before|from))\b",
    rf"{_ZH_COUNT}\s*天(?:以前|之前|前|以后|之后|后)",
))
_HAS_YEAR = re.compile(r"\d{4}|明年|今年|去年|后年")
# Days named relative to today: never moved to another year.
_RELATIVE = re.compile(r"ago|today|tomorrow|yesterday|tonight|next|this|last|days?\b|weeks?\b|"
                       r"前|昨天|今天|明天|后天|今早|今晚|周|星期|礼拜|天后|天之后|天以后",
                       re.IGNORECASE)


_APPOSITION = re.compile(r"\s*[(（,，:：-]\s*(?:i\.e\.\s*|即|也就是)?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date written in a sentence, and the words between it and the date before it."""

    day: date
    start: int
    before: str
    end: int = -1  # where the date's words end in the sentence


def _nearest_year(day: date, near: date) -> date:
    """``day`` moved to the year that puts it closest to ``near``."""
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February in a common year
            continue
    return min(candidates, key=lambda candidate: abs(candidate - near), default=day)


def find_dates(text: str, on: date, lang: str = "en", in_past: bool = False,
               near: date | None = None) -> list[DateMention]:
    """Every explicit date written in a sentence, in the order they are written.

    Only explicit dates and named relative days count ("1 September", "2027-03-01",
    "yesterday", "三天前"), so a question without one gives an empty list. Without a year,
    ``in_past`` reads a date as the last such day, not the next one; and ``near`` (the date a
    correction replaces: "no, the 12th of September" after 2 September 2027) reads it in the
    year that puts it closest to that date.
    """
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in spans):
                spans.append((match.start(), match.end()))
    mentions: list[DateMention] = []
    previous_end = 0
    for start, end in sorted(spans):
        written = text[start:end]
        found = parse_date(written, on, lang)
        if found is None:
            continue
        calendar_day = not _HAS_YEAR.search(written) and not _RELATIVE.search(written)
        if near is not None and calendar_day:
            found = _nearest_year(found, near)
        elif in_past and found > on and calendar_day:
            found = found.replace(year=found.year - 1)
        mentions.append(DateMention(found, start, text[previous_end:start], end))
        previous_end = end
    # "today (3 March 2027)", "昨天（3月2日）": the calendar date says which day the relative
    # word means, and is kept alone.
    return [mention for index, mention in enumerate(mentions)
            if not (index + 1 < len(mentions)
                    and _RELATIVE.search(text[mention.start:mention.end])
                    and _APPOSITION.fullmatch(mentions[index + 1].before))]


def find_date(text: str, on: date, lang: str = "en", in_past: bool = False,
              near: date | None = None) -> date | None:
    """The first date written in a sentence ("I entered on 1 September", "我9月1日入境")."""
    mentions = find_dates(text, on, lang, in_past, near)
    return mentions[0].day if mentions else None


def read_date(text: str, on: date, lang: str = "en", in_past: bool = False) -> date | None:
    """A date from an answer: a date inside the sentence, else the whole answer read as one."""
    return find_date(text, on, lang, in_past) or parse_date(text, on, lang)


# ------------------------------------------------------------------ lengths of stay
# What they are and how they are counted on the calendar: ``knowledge.durations``.

_EN_NUMBERS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}
_EN_NUMBERS.update({"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                    "seventy": 70, "eighty": 80, "ninety": 90})
_EN_UNIT_MONTHS = {"year": 12, "month": 1}
_EN_UNIT_DAYS = {"fortnight": 14, "week": 7, "day": 1}
_EN_NUMBER = (r"\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
              r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
              + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)))
_EN_LENGTH = re.compile(
    rf"\b({_EN_NUMBER})(\s+and\s+a\s+half)?[\s-]*(year|month|fortnight|week|day)s?\b"
    r"(\s+and\s+a\s+half)?(?!\s+(?:ago|later|before|after|from\s+now))",
    re.IGNORECASE)
_EN_RATE = re.compile(
    r"\b(?:once|twice|times|per|each|every|yuan|rmb|fine|costs?|pay|paid|charged?)\s*$",
    re.IGNORECASE)
_EN_HALF_YEAR = re.compile(r"\bhalf\s+(?:a\s+)?year\b", re.IGNORECASE)
# A length the sentence says it is not ("a fortnight, not eight days", "不是八天，是两周"): the
# correction's old value, left out.
_NEGATED = re.compile(r"(?:\bnot|n't|\bno)\s+(?:a\s+|an\s+|just\s+|only\s+)?$|不是\s*$",
                      re.IGNORECASE)
_ZH_LENGTH = re.compile(
    rf"({_ZH_COUNT})\s*(个半|个)?\s*(年|月|星期|礼拜|周|天)(半)?(?![前后级底初])")
_ZH_HALF_YEAR = re.compile(r"(?<![\d零〇一二两三四五六七八九十百个])半年")
_ZH_UNIT_MONTHS = {"年": 12, "月": 1}
_ZH_UNIT_DAYS = {"星期": 7, "礼拜": 7, "周": 7, "天": 1}


def _english_number(word: str) -> float | None:
    word = word.lower().replace("-", " ")
    if word in _EN_NUMBERS:
        return float(_EN_NUMBERS[word])
    tens, _, units = word.partition(" ")
    if tens in _EN_NUMBERS and units in _EN_NUMBERS:
        return float(_EN_NUMBERS[tens] + _EN_NUMBERS[units])
    try:
        return float(word)
    except ValueError:
        return None


def _as_length(amount: float, unit_months: int, unit_days: int) -> StayLength | None:
    """``amount`` units as whole months or days; None when it is not whole ("1.5 months")."""
    amount = float(amount)
    if unit_months:
        months = amount * unit_months
        return StayLength(months=int(months)) if months.is_integer() and months else None
    days = amount * unit_days
    return StayLength(days=int(days)) if days.is_integer() and days else None


def _english_lengths(text: str) -> list[StayLength | None]:
    found: list[StayLength | None] = [StayLength(months=6) for _ in _EN_HALF_YEAR.finditer(text)]
    text = _EN_HALF_YEAR.sub(" ", text)
    for match in _EN_LENGTH.finditer(text):
        amount = _english_number(match.group(1))
        if amount is None or (match.group(1).lower() in ("a", "an")
                              and _EN_RATE.search(text[:match.start()])):
            continue  # "once a day", "500 yuan per day": a rate, not a length
        if _NEGATED.search(text[:match.start()]):
            continue
        if match.group(2) or match.group(4):
            amount += 0.5
        unit = match.group(3).lower()
        found.append(_as_length(amount, _EN_UNIT_MONTHS.get(unit, 0), _EN_UNIT_DAYS.get(unit, 0)))
    return found


def _chinese_lengths(text: str) -> list[StayLength | None]:
    found: list[StayLength | None] = []
    if _ZH_HALF_YEAR.search(text):
        found.append(StayLength(months=6))
    for match in _ZH_LENGTH.finditer(text):
        count, measure, unit, half = match.groups()
        value = chinese_integer(count)
        if value is None or (unit == "月" and not measure) or (unit == "年" and value >= 1000):
            continue  # "3月" is March and "2026年" a year, not lengths
        if _NEGATED.search(text[:match.start()]):
            continue
        amount = value + (0.5 if half or measure == "个半" else 0)
        found.append(_as_length(amount, _ZH_UNIT_MONTHS.get(unit, 0), _ZH_UNIT_DAYS.get(unit, 0)))
    return found


def parse_stay_length(text: str) -> StayLength | None:
    """How long someone stays, from "8 months", "two years", "1.5 years", "180 days", "6 weeks",
    "a year and a half", "半年", "两年", "一年半", "三个月", "一百八十天".

    Parts are added up ("1 year and 3 months", "一年零三个月"). Dates ("3 days ago",
    "3月", "两年后") are no lengths. None when there is no length, or when a part cannot be
    counted exactly in months or days ("1.5 months", "一个学期": a semester has no set length).
    """
    parts = _english_lengths(text) + _chinese_lengths(text)
    if not parts or any(part is None for part in parts):
        return None
    months = sum(part.months for part in parts if part is not None)
    days = sum(part.days for part in parts if part is not None)
    return StayLength(months=months, days=days)
