"""The shared vocabulary of the knowledge base: bilingual text, citations, decisions, legal days.

Everything here is pure: no file, clock or network access. "Today" is always an argument.

Day counting follows the Civil Code of the People's Republic of China:

* Art. 201: a period counted in days, months or years starts the day *after* the event;
  the day of the event itself is not counted.
* Art. 202: a period counted in months or years ends on the corresponding date of the last
  month; when that month has no such date, it ends on the month's last day.

Art. 203 (a period whose last day is a statutory rest day ends on the day after the rest)
is stated, not applied: no source gives a calendar of public holidays and of the weekends
China works instead, and the knowledge base never guesses one. A deadline answer keeps the
plain date, which is always safe, names its weekday when it is a Saturday or Sunday, and
tells the person to confirm it (``knowledge.deadlines``).

Art. 1259 ("以上", "以下", "以内" include the number itself; "超过", "不满" do not) is how
the regulations' Chinese limits are read: CPU Art. 3 "180天以上" includes 180 days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from types import MappingProxyType
from typing import Final

LANGUAGES: Final[tuple[str, ...]] = ("en", "zh")


def normalise_language(lang: str | None) -> str:
    """Map any language tag ("zh-CN", "ZH", "en_US", None) to "en" or "zh"; unknown -> "en"."""
    if lang and lang.strip().lower().startswith("zh"):
        return "zh"
    return "en"


@dataclass(frozen=True)
class Text:
    """A user-facing text that exists in English and Chinese."""

    en: str
    zh: str

    def get(self, lang: str | None) -> str:
        """Return the text in ``lang`` ("zh", "zh-CN"…: Chinese; anything else English)."""
        return self.zh if normalise_language(lang) == "zh" else self.en

    def chosen(self, lang: str | None) -> str:
        """The text in the language a person chose; both, English first, before they chose
        one (what a channel says before it knows whom it talks to)."""
        tag = (lang or "").strip().lower()
        if tag.startswith(("zh", "en")):
            return self.get(tag)
        return f"{self.en}\n\n{self.zh}"

    def join(self, other: Text, en_sep: str = " ", zh_sep: str = "") -> Text:
        """Concatenate two texts language by language (Chinese needs no space)."""
        return Text(self.en + en_sep + other.en, self.zh + zh_sep + other.zh)


# Names used when citing a source. Profiles in ``knowledge.institutions`` reuse them so that
# a citation and a profile can never spell an institution differently.
SOURCE_NAMES: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "CPU": Text("China Pharmaceutical University", "中国药科大学"),
        "JSNU": Text("Jiangsu Normal University", "江苏师范大学"),
        "WESTLAKE": Text("Westlake University", "西湖大学"),
        "QJNU": Text("Qujing Normal University", "曲靖师范学院"),
        "CN": Text("National law", "国家法律"),
    }
)
UNIVERSITY_CODES: Final = frozenset(code for code in SOURCE_NAMES if code != "CN")

# National documents a citation with institution "CN" may name in ``Citation.document``.
NATIONAL_DOCUMENTS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "exit_entry_law": Text(
            "Exit and Entry Administration Law of the People's Republic of China",
            "《中华人民共和国出境入境管理法》",
        ),
        "entry_exit_regulations": Text(
            "Regulations of the People's Republic of China on Administration of the Entry "
            "and Exit of Foreigners",
            "《中华人民共和国外国人入境出境管理条例》",
        ),
        "civil_code": Text(
            "Civil Code of the People's Republic of China", "《中华人民共和国民法典》"
        ),
    }
)

_CHINESE_DIGITS: Final[str] = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write 1..9999 the way Chinese laws number articles (6 六, 13 十三, 201 二百零一,
    1259 一千二百五十九)."""
    if not 1 <= n <= 9999:
        raise ValueError(f"article numbers run from 1 to 9999, got {n}")
    written = ""
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(written)
            continue
        if zero_pending:
            written += "零"
            zero_pending = False
        # 十三 on its own, but 一百一十三 after hundreds.
        written += ("" if unit == "十" and digit == 1 and not written else _CHINESE_DIGITS[digit])
        written += unit
    return written


_ARTICLE_PATTERN: Final[re.Pattern[str]] = re.compile(r"^(\d+)((?:\(\d+\))*)$")


def _article_label(institution: str, article: str, *, short: bool = False) -> Text | None:
    """Render an article reference such as "6(2)(1)" for regulations and laws.

    ``short``: "Art. 6(2)(1)" and "staff portal" (for a Westlake question) rather than
    "Article 6(2)(1)" and the question itself. None when ``article`` is not a number.
    """
    if article.startswith("Q:"):
        if short:
            return Text("staff portal", "教职工门户")
        question = article[2:].strip()
        return Text(f"Faculty/Staff Portal, “{question}”", f"教职工门户“{question}”")
    match = _ARTICLE_PATTERN.match(article)
    if match is None:
        return None
    main = int(match.group(1))
    parts = re.findall(r"\((\d+)\)", match.group(2))
    if institution == "QJNU":
        return Text(f"responsibility {main}", f"职责第{chinese_number(main)}项")
    zh_parts = "".join(f"（{chinese_number(int(p))}）" for p in parts)
    word = "Art." if short else "Article"
    return Text(f"{word} {article}", f"第{chinese_number(main)}条{zh_parts}")


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: an institution (or "CN" for national law) and an article.

    ``article`` is "6(2)(1)" style for regulations and laws, a responsibility number for
    Qujing Normal University and "Q: <question>" for Westlake University portal entries.
    ``document`` names the national law when ``institution`` is "CN" (a key of
    ``NATIONAL_DOCUMENTS``). ``label`` overrides the rendered article part when the source
    numbers something unusually (CPU prints Article 10 twice) or a question needs its
    Chinese translation; ``short_label`` does the same for the short form.
    """

    institution: str
    article: str
    document: str = ""
    label: Text | None = None
    short_label: Text | None = None

    def render(self, lang: str) -> str:
        """E.g. "China Pharmaceutical University, Article 6" / "中国药科大学 第六条"."""
        if self.institution == "CN" and self.document in NATIONAL_DOCUMENTS:
            source = NATIONAL_DOCUMENTS[self.document]
        else:
            source = self._source_name()
        label = (self.label or _article_label(self.institution, self.article)
                 or Text(self.article, self.article))
        if normalise_language(lang) == "zh":
            # A law's title in 《》 runs straight into the article: 《…》第七十八条.
            separator = "" if source.zh.endswith("》") else " "
            return f"{source.zh}{separator}{label.zh}"
        return f"{source.en}, {label.en}"

    def short(self, lang: str) -> str:
        """The citation where many are listed (a request's checklist): "CPU Art. 13" /
        "中国药科大学 第十三条".

        English names a university by its code, Chinese by its name (as short as the code
        is to an English reader). A Westlake portal question is "staff portal" / "教职工门户";
        a national law, which has no short title here, is cited in full. ``short_label``
        names the article, else ``label`` where the source does not number it plainly.
        """
        if self.institution == "CN":
            return self.render(lang)
        label = self.short_label
        if label is None and not self.article.startswith("Q:"):
            label = self.label
        if label is None:
            label = (_article_label(self.institution, self.article, short=True)
                     or Text(self.article, self.article))
        if normalise_language(lang) == "zh":
            return f"{self._source_name().zh} {label.zh}"
        return f"{self.institution} {label.en}"

    def _source_name(self) -> Text:
        return SOURCE_NAMES.get(self.institution, Text(self.institution, self.institution))


@dataclass(frozen=True)
class Step:
    """One step or document a procedure requires, with the article that requires it.

    A decision lists a procedure's steps as texts (``step_texts``); the office builds its
    request checklists from the same steps, so the two cannot say different things.
    """

    text: Text
    citation: Citation


def step_texts(steps: tuple[Step, ...]) -> tuple[Text, ...]:
    """The texts of ``steps``, in order, as ``Decision.steps`` lists them."""
    return tuple(step.text for step in steps)


@dataclass(frozen=True)
class Decision:
    """The outcome of applying a rule to one person's facts.

    ``covered`` is False when the sources do not decide the case; the answer then says so
    and names who does cover the topic, and the assistant offers to open a request with the
    office instead of guessing.
    """

    topic: str
    covered: bool
    answer: Text
    citations: tuple[Citation, ...]
    steps: tuple[Text, ...] = ()
    valid_until: date | None = None
    days: int | None = None
    amount_range: tuple[int, int] | None = None  # RMB, (lowest, highest) where a rule sets one

    def applied_institution(self) -> str | None:
        """The university whose rules the answer applies: the first one its citations name."""
        return next((c.institution for c in self.citations if c.institution in UNIVERSITY_CODES),
                    None)

    def render(self, lang: str) -> str:
        """The answer, its numbered steps and a "Source:" / "依据：" line.

        The answer names the university whose rules it applies ("At China Pharmaceutical
        University, …" / "根据中国药科大学的规定，…") unless it already does: a person who never
        said where they study sees which university's rules they were given.
        """
        zh = normalise_language(lang) == "zh"
        lines = [self._answer_naming_the_university(lang)]
        lines.extend(f"{n}. {step.get(lang)}" for n, step in enumerate(self.steps, start=1))
        if self.citations:
            rendered = [citation.render(lang) for citation in self.citations]
            lines.append("依据：" + "；".join(rendered) if zh else "Source: " + "; ".join(rendered))
        return "\n".join(lines)

    def _answer_naming_the_university(self, lang: str) -> str:
        answer = self.answer.get(lang)
        code = self.applied_institution()
        if code is None:
            return answer
        name = SOURCE_NAMES[code].get(lang)
        if name in answer:
            return answer
        if normalise_language(lang) == "zh":
            return f"根据{name}的规定，{answer}"
        return f"At {name}, {_continue_sentence(answer)}"


# Words that keep their capital in the middle of a sentence when an answer starts with them.
_PROPER_WORDS: Final = frozenset({"I", "China", "Chinese", "Nanjing", "Xuzhou", "National"})


def _continue_sentence(text: str) -> str:
    """``text`` as the rest of a sentence: "As a new student…" -> "as a new student…".

    Only an ordinary capitalised first word is lowered: "X1", "CPU" and place names keep
    their capitals.
    """
    word = re.split(r"[\s,.:;]", text, maxsplit=1)[0]
    letters = word.replace("-", "").replace("'", "")
    ordinary = word == "A" or (
        len(letters) > 1 and letters.isalpha() and word[0].isupper()
        and word[1:] == word[1:].lower()
    )
    if not ordinary or word in _PROPER_WORDS:
        return text
    return text[0].lower() + text[1:]


# ---------------------------------------------------------------- legal day counting


def add_days(event: date, days: int) -> date:
    """Last day of a period of ``days`` days after ``event`` (Civil Code Art. 201).

    The event day is not counted, so "within 30 days of entry on 1 Sep" ends on 1 Oct.
    """
    return event + timedelta(days=days)


def days_before(protected: date, days: int) -> date:
    """Latest day that still leaves ``days`` full days before ``protected``."""
    return protected - timedelta(days=days)


def _shift_months(day: date, months: int) -> date:
    """Same date ``months`` later (or earlier); the month's last day when it has no such date."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_months(event: date, months: int) -> date:
    """Last day of a period of ``months`` months after ``event`` (Civil Code Art. 201, 202).

    Counting starts the next day and ends on the corresponding date of the last month, or on
    that month's last day when there is none: one month from 31 Jan 2025 ends 28 Feb 2025.
    """
    if months < 0:
        raise ValueError("use months_before() for periods counted backwards")
    return _shift_months(event, months)


def months_before(protected: date, months: int) -> date:
    """Latest day to act when a rule asks for action ``months`` months before ``protected``.

    The latest day from which a period of ``months`` months (Civil Code Art. 201, 202) still
    ends on or before ``protected``: the corresponding date of the earlier month, or that
    month's last day when it has none (one month before 31 March is 28/29 February). When
    ``protected`` is the last day of its month, every later day of the earlier month also
    counts forward to it (one month from 31 January ends on 28 February), so one month before
    28 February is 31 January, not 28 January. The result is never after ``protected``.
    """
    if months < 0:
        raise ValueError("months must not be negative")
    earlier = _shift_months(protected, -months)
    if _is_last_day_of_month(protected):
        return _last_day_of_month(earlier)
    return earlier


def _last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _is_last_day_of_month(day: date) -> bool:
    return day == _last_day_of_month(day)


@dataclass(frozen=True)
class Period:
    """A run of days, the first and the last included (a semester's holidays)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a period cannot end ({self.last}) before it starts ({self.first})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


CHINA_TIME: Final = timezone(timedelta(hours=8), "CST")
"""China Standard Time (UTC+8 all year, no daylight saving): the office's clock."""


def format_date(day: date, lang: str) -> str:
    """Write a date the way each language does: "10 September 2025" / "2025年9月10日"."""
    if normalise_language(lang) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def date_text(day: date) -> Text:
    """A date as a bilingual text."""
    return Text(format_date(day, "en"), format_date(day, "zh"))


def month_day_text(month_day: tuple[int, int]) -> Text:
    """A day of every year, as the regulations write it: (9, 10) -> "September 10" / "9月10日"."""
    month, day = month_day
    return Text(f"{calendar.month_name[month]} {day}", f"{month}月{day}日")


def months_text(months: int) -> Text:
    """A number of months: "one month" / "一个月", "2 months" / "两个月", "3 months" / "三个月"."""
    if months == 1:
        return Text("one month", "一个月")
    return Text(f"{months} months", f"{'两' if months == 2 else chinese_number(months)}个月")


def last_day_text(day: date) -> Text:
    """A last day that is itself still in time, the same day in both languages.

    "by 1 October 2025 at the latest" / "最迟于2025年10月1日（含当日）": the Chinese "…前"
    would read as the day before.
    """
    when = date_text(day)
    return Text(f"by {when.en} at the latest", f"最迟于{when.zh}（含当日）")


WEEKDAYS: Final[tuple[Text, ...]] = (
    Text("Monday", "星期一"), Text("Tuesday", "星期二"), Text("Wednesday", "星期三"),
    Text("Thursday", "星期四"), Text("Friday", "星期五"), Text("Saturday", "星期六"),
    Text("Sunday", "星期日"),
)

