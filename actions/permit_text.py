"""The Article 6 facts a sentence states in so many words, read by rule code.

"I'm a returning master student, paid the whole year, attendance 85%, not final year": the
entity tagger reads such a sentence too, but a tagger can put "year" from "not final year"
into the payment or take "not" for an answer. The permit form trusts the phrases below over
the tagger. Each pattern is a clear statement; a fact the sentence does not state clearly is
left out, and the form asks for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from actions.facts import NOT_PAID, Fact, cued_dates
from actions.parsing import as_typed, parse_percentage


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


# For each choice, what says it; the first choice whose pattern matches wins, so negations
# ("not paid") and narrower statements come first.
_CHOICES: Final[Mapping[str, tuple[tuple[str | bool, re.Pattern[str]], ...]]] = MappingProxyType({
    "student_status": (
        ("delayed_graduation", _any(r"\bdelay(?:ed|ing)?\s+(?:my\s+)?graduat",
                                    r"\bgraduation\s+(?:is\s+|was\s+|got\s+|has\s+been\s+)?"
                                    r"(?:delayed|postponed)",
                                    r"\bextended\s+(?:my\s+)?stud(?:y|ies)", r"延期毕业", r"延毕")),
        ("new", _any(r"\bnew(?:ly\s+(?:arrived|admitted|enrolled))?\s+(?:[\w'’]+\s+){0,2}"
                     r"student", r"\bfirst[- ]year\b", r"\bfreshm[ae]n\b",
                     r"\bjust\s+(?:arrived|enrolled|started|registered)",
                     r"\b(?:arrived|enrolled|started)\s+(?:here\s+)?(?:this|last)\s+"
                     r"(?:september|autumn|fall|month|semester|term)",
                     r"\bincoming\s+student", r"新生", r"刚入学", r"刚来", r"新来", r"新入学",
                     r"刚报到", r"今年(?:新)?入学")),
        ("returning", _any(r"\breturning\b", r"\bcontinuing\s+student", r"\bcurrent\s+student",
                           r"\bold\s+student",
                           r"\b(?:second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th)[- ]year\b",
                           r"老生", r"在读生", r"在校生", r"[二三四五]年级",
                           r"[大研博][二三四五]")),
    ),
    "programme": (
        ("language", _any(r"\blanguage\s+(?:student|course|program|programme|class)",
                          r"\bchinese\s+(?:language\s+)?(?:course|program|programme|class)",
                          r"\bpreparatory\b", r"\bfoundation\s+(?:year|course|program)",
                          r"语言生", r"语言进修", r"汉语进修", r"语言班", r"预科", r"进修生")),
        ("degree", _any(r"\bmaster'?s?\b", r"\bph\.?d\b", r"\bdoctora[lt]e?\b",
                        r"\bbachelor'?s?\b", r"\bundergrad(?:uate)?\b",
                        r"\bdegree\s+(?:student|program|programme)", r"\bpostgrad",
                        r"硕士", r"博士", r"本科", r"学历生", r"研究生")),
    ),
    "paid": (
        ("none", _any(*map(re.escape, NOT_PAID),
                      r"\b(?:not|n't|never)\s+(?:yet\s+|already\s+)?paid",
                      r"\bhaven'?t\s+paid", r"\bno\s+(?:fees?|tuition)\s+paid")),
        # Both semesters are the year: before "semester", which they contain.
        ("year", _any(r"\b(?:both|two|2)\s+(?:semesters|terms)\b",
                      r"(?:两|2)个?学期(?:的)?(?:学费|费用)?(?:都|全)(?:交|缴|付)",
                      r"(?:交|缴|付)(?:了|过|清)?(?:两|2)个?学期", r"上下(?:两个)?学期")),
        ("semester", _any(r"\bpaid\b[^.,;]{0,30}?\b(?:semester|term|half)\b",
                          r"\b(?:one|1|a|the\s+first|first|this|fall|autumn|spring)\s+"
                          r"(?:semester|term)(?:'s)?\b[^.,;]{0,15}?\b(?:is|was|has\s+been|are)\s+"
                          r"(?:already\s+)?paid",
                          r"(?:只|仅)(?:交|缴|付)了?(?:上|下|第一|这个|本|一个)学期",
                          r"\b(?:semester|term)(?:'s)?\s+(?:fees?|tuition)\s+(?:is\s+|are\s+)?paid",
                          r"(?:交|缴|付)(?:了|过|清)?(?:第?一|1)?(?:个)?学期",
                          r"(?:交|缴|付)(?:了|过)?半年",
                          r"(?:一|1)?(?:个)?学期的?(?:学费|费用)?(?:已经?|都)?(?:交|缴|付)")),
        ("year", _any(r"\bpaid\b(?:(?!\b(?:final|last)\s+year)[^.,;]){0,30}?"
                      r"\b(?:whole|full|entire|academic|one|a|the|this|for\s+the)\s+"
                      r"(?:\d{4}\s*[-–/]\s*\d{2,4}\s+)?(?:academic\s+)?year\b",
                      r"\bpaid\s+(?:for\s+)?(?:the\s+)?year\b", r"\bpaid\s+annually\b",
                      r"\b(?:one|full|whole|entire|this)\s+(?:academic\s+)?year(?:'s)?\b"
                      r"[^.,;]{0,15}?\b(?:is|was|has\s+been|are)\s+(?:already\s+|fully\s+)?paid",
                      r"\bpaid\s+(?:everything|all|in\s+full)\s+for\s+(?:the\s+)?"
                      r"(?:20\d\d\s*[-–/]\s*\d{2,4}|academic\s+year|year)",
                      r"\bpaid\s*(?:for\s*)?(?:一整年|一年|整年|全年|一学年)",
                      r"\b(?:annual|full[- ]year|year'?s)\s+(?:fees?|tuition)\s+"
                      r"(?:is\s+|are\s+)?paid",
                      r"(?:交|缴|付)(?:了|过|清)?(?:全年|一年|一学年|整年|全学年|整个学年)",
                      r"(?:全年|一年|一学年|整年|整个学年|这学年|本学年|学年)的?"
                      r"(?:学费|费用|钱)?(?:已经?|都|全部|全)*(?:交|缴|付)")),
    ),
    # A delayed graduate's remaining courses or lab work (CPU Art. 6(3)).
    "needs_courses_or_lab": (
        (False, _any(r"\b(?:no|not\s+any|don'?t\s+have\s+any)\s+(?:more\s+)?"
                     r"(?:courses|classes|lab\s*work|experiments)\b(?:\s+(?:or|and)\s+"
                     r"(?:lab\s*work|courses|experiments))?\s*(?:left|anymore|remaining)?",
                     r"(?:课和实验|课程和实验|实验和课)都(?:弄|做|修|上)?完",
                     r"没有(?:课|实验)了?")),
        (True, _any(r"\bstill\s+(?:need|have)\s+(?:to\s+)?(?:[\w'’]+\s+){0,5}?"
                    r"(?:courses?|classes|lab\s*work|lab|experiments?)\b",
                    r"(?:还有|还要|还需要|还得)[^，。,.]{0,10}(?:课|实验)")),
    ),
    "final_year": (
        (False, _any(r"\b(?:not|n't)\s+(?:in\s+)?(?:my\s+|the\s+|a\s+)?"
                     r"(?:final|last|graduating)\s+year",
                     r"\bnot\s+graduating\s+this\s+year", r"\bwon'?t\s+graduate\s+this\s+year",
                     r"不是(?:毕业(?:年级|班|年)|最后一年)", r"非毕业(?:年级|班|年)",
                     r"今年不毕业")),
        (True, _any(r"\b(?:final|last|graduating)\s+year\b",
                    r"\bgraduat(?:e|ing)\s+this\s+year",
                    r"毕业年级", r"毕业班", r"最后一年", r"今年毕业", r"应届")),
    ),
})

_ATTENDANCE = re.compile(r"attend|出勤|到课|出席", re.IGNORECASE)
_RATE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|percent)|百分之[零〇一二两三四五六七八九十百点]+|"
                   r"[零〇一二两三四五六七八九十百点]+\s*[%％]", re.IGNORECASE)


def _attendance(text: str) -> float | None:
    """The rate of a sentence that speaks of attendance and gives exactly one rate."""
    if not _ATTENDANCE.search(text):
        return None
    rates = _RATE.findall(text)
    return parse_percentage(rates[0]) if len(rates) == 1 else None


# The academic year a sentence names, by the year its September falls in: "2027-2028", "the
# 2027/28 year", "2027-2028学年", "registered in September 2027", "2027年9月报到", "2027年秋季".
_ACADEMIC_YEAR = _any(
    r"\b(20\d\d)\s*[-–—/~至到]\s*(?:20)?\d\d\b(?!\s*[年/.-]\s*\d)",
    r"(20\d\d)\s*[-–—/~至到]\s*(?:20)?\d\d\s*学年",
    r"\b(?:registered|enrolled|arrived|started|came)\b[^.;]{0,25}?"
    r"\b(?:sept?(?:ember)?|autumn|fall)\b[^.;\d]{0,3}(20\d\d)\b",
    r"(20\d\d)\s*年\s*(?:9|九)\s*月(?:\s*\d{1,2}\s*[日号])?的?(?:报到|注册|入学|来|到)",
    r"(20\d\d)\s*年\s*秋(?:季|天)?",
)


def stated_academic_year(text: str) -> int | None:
    """The start year of the academic year ``text`` names, None when it names none."""
    match = _ACADEMIC_YEAR.search(text)
    if match is None:
        return None
    return int(next(group for group in match.groups() if group))


# The dates that bound a delayed graduate's permit (CPU Art. 6(3)), by the words before them.
_BOUNDS: Final = (
    Fact("approval_date", cues=("approved", "approval", "department", "批复", "批准", "同意延期",
                                "延期到", "延毕到")),
    Fact("lease_end", cues=("lease", "rent", "tenancy", "contract", "租")),
    Fact("insurance_end", cues=("insurance", "insured", "保险")),
)


def stated_permit_dates(text: str, today: date, lang: str) -> dict[str, str]:
    """The bounds of a delayed graduate's permit this sentence states ("my lease ends on 31
    July 2027, insurance until 31 August"), as the form's slots hold them."""
    return {name: day.isoformat() for name, day in cued_dates(_BOUNDS, text, today, lang).items()}


def stated_permit_facts(text: str) -> dict[str, Any]:
    """The permit form's slots this sentence states clearly, with their validated values."""
    facts: dict[str, Any] = {}
    text = as_typed(text)
    year = stated_academic_year(text)
    if year is not None:
        facts["academic_year"] = year
    for slot, choices in _CHOICES.items():
        for value, pattern in choices:
            if pattern.search(text):
                facts[slot] = value
                break
    rate = _attendance(text)
    if rate is not None:
        facts["attendance_percent"] = rate
    return facts
