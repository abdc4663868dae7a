"""Benchmark: the scripted conversations of tests/conversations/ against the real assistant.

Each conversation (tests/conversations/en.yml and zh.yml, written by people who never saw the
training data) is played over the REST channel by a simulated person: after each scripted
turn, while the assistant's last reply asks something, the person answers from the
conversation's `facts` (a button when one clearly matches the answer, else typed text). A
question for a fact the person already stated (`said`) is a failure ("asked again for ..."),
and so is a question the person has no fact for ("unanswerable question": the conversation
stops there). The replies to each turn that has its own `expect`, and to the last turn (with
the answers to its follow-up questions), are judged against the expectation: the articles
cited, the dates, the words mentioned, a request reference, "the regulations do not cover
this". A `request` or `not_covered` expectation an earlier turn already carried with the
same value is judged at that turn only (the last turn is often "what's the status?").
Also failures: the same question asked again right after its answer ("did not take the
answer"), and a form's complaint ("I could not read a date ...") in the reply to a message
that no question was waiting for ("form scolded the opening message"). A date the
conversation states only in a later turn is not "said" yet when it is asked for.

Every person also knows who they are (name, student number, contact: `IDENTITY`) and their
university (the conversation's `institution`), as a real person would; being asked for the
university after naming it is still "asked again". Each conversation is played on its
university's page, as the widget embedded there with ``data-university`` sends it (the
message's metadata names the university); ``--one-page`` plays them all on one page that
names none, where the deployment's default university (CPU) applies until the person names
theirs, as the figures before 7 December 2026, night, were measured.

Figures, not assertions: it prints pass rates overall, per language, topic, institution and
style, the most common failure reasons, and every failing conversation's transcript.

    .venv/bin/python scripts/conversation_bench.py                  # starts the assistant
    .venv/bin/python scripts/conversation_bench.py --rasa-url http://localhost:5005
    .venv/bin/python scripts/conversation_bench.py --only permit --language zh --json out.json
    .venv/bin/python scripts/conversation_bench.py --one-page     # one page for all universities

Without --rasa-url it starts the assistant as the end-to-end tests do (free ports, a fresh
SQLite database, logs in test-artifacts/bench-logs) with the trained model for the current
data; it never trains one (`make train` does).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge import format_date
from knowledge.core import SOURCE_NAMES
from supervisor.ports import free_port

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
CONVERSATIONS: Final = REPO_ROOT / "tests" / "conversations"
LOG_DIR: Final = REPO_ROOT / "test-artifacts" / "bench-logs"
MAX_FOLLOW_UPS: Final = 6
INSTITUTIONS: Final = ("CPU", "JSNU", "WESTLAKE", "QJNU")

# ----------------------------------------------------------------------------- conversations


@dataclass(frozen=True)
class Cite:
    """An article the answer must cite; no article: any citation of the institution."""

    institution: str
    article: int | None = None

    def __str__(self) -> str:
        return self.institution if self.article is None else f"{self.institution} {self.article}"


@dataclass(frozen=True)
class Expect:
    """What the replies to a turn must contain; None: not judged."""

    cites: tuple[Cite, ...] = ()
    dates: tuple[date, ...] = ()
    mentions: tuple[tuple[str, ...], ...] = ()
    request: bool | None = None
    not_covered: bool | None = None


@dataclass(frozen=True)
class Turn:
    """One scripted message of the person, with its own expectation if it has one."""

    say: str
    expect: Expect | None = None


@dataclass(frozen=True)
class Conversation:
    """One scripted conversation of tests/conversations/*.yml."""

    id: str
    language: str
    institution: str
    topic: str
    styles: tuple[str, ...]
    turns: tuple[Turn, ...]
    said: frozenset[str]
    facts: Mapping[str, str]
    expect: Expect


def leading_number(value: Any) -> int | None:
    """The article number an expectation names: "6" and "6(2)" are 6."""
    match = re.match(r"\s*(\d+)", str(value))
    return int(match.group(1)) if match else None


def read_expect(raw: Mapping[str, Any] | None) -> Expect:
    """An `expect` mapping of the conversation files."""
    raw = raw or {}
    return Expect(
        cites=tuple(Cite(str(c["institution"]), leading_number(c.get("article")))
                    for c in raw.get("cites") or []),
        dates=tuple(date.fromisoformat(str(d)) for d in raw.get("dates") or []),
        mentions=tuple(tuple(str(option) for option in options)
                       for options in raw.get("mentions") or []),
        request=raw.get("request"),
        not_covered=raw.get("not_covered"),
    )


def read_conversation(raw: Mapping[str, Any]) -> Conversation:
    """One entry of a conversation file."""
    turns = tuple(
        Turn(str(turn["say"]), read_expect(turn["expect"]) if turn.get("expect") else None)
        if isinstance(turn, dict) else Turn(str(turn))
        for turn in raw["turns"]
    )
    style = raw.get("style") or ()
    return Conversation(
        id=str(raw["id"]),
        language=str(raw["language"]),
        institution=str(raw["institution"]),
        topic=str(raw["topic"]),
        styles=(style,) if isinstance(style, str) else tuple(str(s) for s in style),
        turns=turns,
        said=frozenset(str(key) for key in raw.get("said") or ()),
        facts=MappingProxyType({str(k): str(v) for k, v in (raw.get("facts") or {}).items()}),
        expect=read_expect(raw.get("expect")),
    )


def load_conversations(folder: Path = CONVERSATIONS) -> list[Conversation]:
    """Every conversation of the folder's files, file by file in name order."""
    found: list[Conversation] = []
    for path in sorted(folder.glob("*.yml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.extend(read_conversation(raw) for raw in loaded.get("conversations") or [])
    return found


# ----------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message of the assistant as the REST channel returns it."""

    text: str
    buttons: tuple[Button, ...] = ()


def read_replies(raw: Iterable[Mapping[str, Any]]) -> list[Reply]:
    """The REST channel's list of messages."""
    return [Reply(str(r.get("text") or ""),
                  tuple(Button(str(b.get("title") or ""), str(b.get("payload") or ""))
                        for b in r.get("buttons") or []))
            for r in raw]


def all_text(replies: Sequence[Reply]) -> str:
    return "\n".join(reply.text for reply in replies)


_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_QUOTED: Final = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|（原文：[^）]*）")
# The "Source:" line cites portal questions ("How do I get my work visa ...?").
_SOURCE_LINE: Final = re.compile(r"^(?:Source:|依据：).*$", re.MULTILINE)
_SENTENCE_END: Final = ".。!！\n?？"


def language_of(text: str) -> str:
    return "zh" if _HAN.search(text) else "en"


def _unquoted(text: str) -> str:
    """The text without quotations and source lines, where question marks ask nothing."""
    return _QUOTED.sub("", _SOURCE_LINE.sub("", text))


def question_of(text: str) -> str:
    """The sentence a message asks, quotations left out ("ask me “what's my status?”" asks
    nothing); the whole text when it has no question mark."""
    plain = _unquoted(text)
    marks = [i for i, char in enumerate(plain) if char in "?？"]
    if not marks:
        return plain
    end = marks[-1]
    start = max(plain.rfind(char, 0, end) for char in _SENTENCE_END) + 1
    return plain[start:end + 1].strip()


def has_question_mark(text: str) -> bool:
    return any(char in "?？" for char in _unquoted(text))


# How the assistant says the regulations do not settle a case (domain.yml
# utter_offer_request / utter_uncovered_offer_case after every uncovered decision, the
# wording of knowledge.answers.not_addressed, and utter_out_of_scope).
NOT_COVERED_PHRASES: Final = (
    "do not settle your case", "documents in this assistant do not cover",
    "outside what i can help with",
    "规定没有涵盖您的情况", "文件没有涉及", "超出了我能帮忙的范围",
)
OFFER_PHRASES: Final = ("open a request", "open the request", "open one for you",
                        "talk to a person", "提交申请", "提交咨询申请", "转人工")
OFFER_PAYLOADS: Final = ("/open_request", "/talk_to_person")
# A form telling the person off for what they wrote (utter_invalid_choice, utter_invalid_*,
# the request form's invalid_option / invalid_date).
SCOLDING_PHRASES: Final = ("did not get that", "could not read", "could not work out",
                           "抱歉，没有理解", "没能识别")
# The assistant did not understand the message (fallbacks, utter_default, rephrase).
NOT_UNDERSTOOD_PHRASES: Final = ("did you mean", "您是想问以下哪一项", "still didn't understand",
                                 "我还是没有理解", "could you say it in other words",
                                 "能换一种说法吗")
# A form's question written without a question mark (utter_ask_note_text in Chinese).
PROMPTS_WITHOUT_MARK: Final = ("请输入补充说明的内容",)
# Questions that open the floor rather than ask for a fact.
OPEN_PROMPTS: Final = ("what do you need", "请问有什么需要", "anything else", "还有其他问题吗")
REFERENCE: Final = re.compile(r"\b[A-Z]+-\d{4}-\d{6}\b")


def contains_any(text: str, phrases: Iterable[str]) -> bool:
    lowered = text.lower()
    return any(phrase in lowered for phrase in phrases)


def says_not_covered(replies: Sequence[Reply]) -> bool:
    return contains_any(all_text(replies), NOT_COVERED_PHRASES)


def offer_button(reply: Reply) -> Button | None:
    """A button that opens a request or hands over to a person."""
    return next((b for b in reply.buttons if b.payload.startswith(OFFER_PAYLOADS)), None)


def offers_request(replies: Sequence[Reply]) -> bool:
    return contains_any(all_text(replies), OFFER_PHRASES) or \
        any(offer_button(reply) for reply in replies)


def scolds(replies: Sequence[Reply]) -> bool:
    return contains_any(all_text(replies), SCOLDING_PHRASES)


def references_in(replies: Sequence[Reply]) -> list[str]:
    """The request references the replies give; a question's example reference ("give its
    reference, for example CPU-2026-000123") is none."""
    return [reference for reply in replies if not has_question_mark(reply.text)
            for reference in REFERENCE.findall(reply.text)]


# ----------------------------------------------------------------------------- citations

_ZH_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                     "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_numeral(text: str) -> int:
    """一 1, 十 10, 十三 13, 二十一 21, 一百零五 105 (and Arabic digits as they are)."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
    return total + digit


_NAMES: Final[Mapping[str, str]] = MappingProxyType({
    **{SOURCE_NAMES[code].en: code for code in INSTITUTIONS},
    **{SOURCE_NAMES[code].zh: code for code in INSTITUTIONS},
    **{code: code for code in INSTITUTIONS},  # request checklists: "CPU Art. 13"
})
_CITATION: Final = re.compile(
    "(?P<name>" + "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)) + ")"
    r"[\s,，]*(?:(?:Article|Art\.)\s*(?P<article>\d+)|responsibility\s+(?P<duty>\d+)"
    r"|第(?P<zh_article>[零〇一二两三四五六七八九十百\d]+)条"
    r"|职责第(?P<zh_duty>[零〇一二两三四五六七八九十百\d]+)项"
    r"|(?P<portal>Faculty/Staff Portal|staff portal|教职工门户|overview|概述))"
)
# "It is covered for other universities by: ..." names other sources, not this answer's.
_OTHER_SOURCES: Final = re.compile(
    r"covered for other universities by:.*?(?=\s*Please ask|\n|$)"
    r"|其他学校的相关规定见：.*?(?=请咨询|\n|$)"
)


def citations_in(text: str) -> set[Cite]:
    """Every (institution, article) the text cites; portal citations have no article."""
    found: set[Cite] = set()
    for match in _CITATION.finditer(_OTHER_SOURCES.sub("", text)):
        code = _NAMES[match.group("name")]
        number = match.group("article") or match.group("duty")
        written = match.group("zh_article") or match.group("zh_duty")
        article = int(number) if number else chinese_numeral(written) if written else None
        found.add(Cite(code, article))
    return found


def is_cited(cite: Cite, found: set[Cite]) -> bool:
    if cite.article is None:
        return any(other.institution == cite.institution for other in found)
    return cite in found


def date_forms(day: date) -> tuple[str, ...]:
    """How a reply may write a date: "10 September 2028", "2028年9月10日", "2028-09-10"."""
    return (format_date(day, "en"), format_date(day, "zh"), day.isoformat())


def gives_date(day: date, text: str) -> bool:
    return any(form in text for form in date_forms(day))


def mentions(options: Sequence[str], text: str) -> bool:
    lowered = text.lower()
    return any(option.lower() in lowered for option in options)


# ----------------------------------------------------------------------------- judging


def judge(expect: Expect, replies: Sequence[Reply], already: frozenset[str] = frozenset()
          ) -> list[str]:
    """Why the replies miss the expectation (empty: they meet it). ``already``: `request` /
    `not_covered` judged at an earlier turn, left out here."""
    text = all_text(replies)
    found = citations_in(text)
    reasons = [f"no citation of {cite}" for cite in expect.cites if not is_cited(cite, found)]
    reasons += [f"date {day.isoformat()} not given" for day in expect.dates
                if not gives_date(day, text)]
    reasons += [f"none of {' / '.join(options)} mentioned" for options in expect.mentions
                if not mentions(options, text)]
    if expect.request and "request" not in already and not references_in(replies):
        reasons.append("no request reference given")
    if expect.not_covered is not None and "not_covered" not in already:
        said = says_not_covered(replies)
        if expect.not_covered and not said:
            reasons.append("did not say the regulations do not cover it")
        elif expect.not_covered and not offers_request(replies):
            reasons.append("did not offer a request with the office")
        elif not expect.not_covered and said:
            reasons.append("said the regulations do not cover it")
    return reasons


def judged_earlier(conversation: Conversation) -> frozenset[str]:
    """The `request` / `not_covered` expectations of the last turn that an earlier turn's own
    expectation already carried with the same value."""
    final = conversation.expect
    earlier = [turn.expect for turn in conversation.turns[:-1] if turn.expect]
    keys = {key for key in ("request", "not_covered") for expect in earlier
            if getattr(final, key) is not None and getattr(expect, key) == getattr(final, key)}
    return frozenset(keys)


# ----------------------------------------------------------------------------- the person

# Which fact the assistant asks for, from the words of its question: one table, in order
# (the first fact with a keyword in the question wins), keywords in lower case, English and
# Chinese. Keys are the conversations' fact keys; a few questions have a key of their own
# that no conversation states (the conversation then cannot answer them).
FACT_QUESTIONS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "confirm": ("shall i send it", "确认提交给", "delete everything stored", "确定要删除"),
    "reference": ("which request should the note", "要补充到哪项申请", "which request?",
                  "要撤销哪一项"),
    "note": ("what should the note say", "补充说明的内容"),
    "full_name": ("your full name", "您的姓名"),
    "member_number": ("student or staff number", "学号或工号"),
    "contact": ("reach you", "联系您"),
    "previous_university": ("transferring from", "从哪所学校转来"),
    "university": ("which one is yours", "您是哪所学校的", "which university is this request",
                   "这份申请是哪所学校"),
    "student_status": ("returning student", "老生"),
    "programme": ("degree programme", "学历生", "which programme", "哪个层次",
                  "full-time master", "全日制"),
    "payment": ("have you paid", "缴了多少", "缴清本学年"),
    "attendance": ("attendance", "出勤率"),
    "final_year": ("final year", "毕业班"),
    "delayed_reason": ("courses or work in a lab", "上课或做实验"),
    "approval_date": ("approve your delayed graduation", "批复的延期"),
    "lease_end": ("lease end", "租赁合同"),
    "insurance_end": ("insurance end", "保险到哪天"),
    "stay_length": ("how long will you study", "学习多长时间", "will they leave", "计划哪天离开"),
    "visa_expiry": ("did your visa or residence permit expire", "签证或居留许可是哪天到期的"),
    "permit_expiry": ("residence permit expire", "居留许可哪天到期", "residence permit valid",
                      "本人的居留许可"),
    "reminder_document": ("which document should i remind", "哪种证件设置提醒"),
    "document_expiry": ("on which date does it expire", "证件哪天到期"),
    "document": ("which document is it", "是哪种证件"),
    "what_happened": ("lost, stolen or damaged", "遗失、被盗还是损毁"),
    "entry_date": ("did you enter china", "签证入境"),
    "arrival_date": ("arrive in china", "入境中国", "arrive at your accommodation",
                     "入住现在的住所", "arrive at the new university", "到新学校报到",
                     "arrive at this university", "哪天到校的"),
    "trip_dates": ("plan to leave china", "计划哪天出境", "do you leave china", "您哪天离境",
                   "date is the departure", "哪天出发", "date is the return", "哪天返回"),
    "trip_destination": ("which country or region", "去哪个国家或地区"),
    "fees_due": ("next fees due", "下一次缴费"),
    "event_date": ("conference be announced", "会议计划哪天公开发布", "conference start",
                   "会议哪天开始", "visiting scholar arrive", "访问学者计划哪天到校",
                   "do they arrive", "哪天抵达", "does it start", "哪天开始", "expert start work",
                   "哪天入职", "did you notice", "哪天发现"),
    "end_date": ("do they leave", "哪天离开", "does it end", "哪天结束"),
    "visitor_country": ("which country is the visitor", "来访者来自哪个国家"),
    "visitor_purpose": ("what is the purpose", "目的是什么", "what is the trip for", "出访目的",
                        "what kind of partnership", "哪种合作"),
    "family_member": ("who is the family member", "家属与您是什么关系"),
    "employer": ("which organisation", "哪个单位"),
    "scholar_category": ("category a", "a类"),
    "expert_type": ("what kind of foreign expert", "哪类外国专家"),
    "travelling_student": ("which student is travelling", "出行的学生是谁"),
    "conference_title": ("conference called", "会议名称"),
    "partner": ("which institution is the partner", "合作方是哪个机构"),
    "work_consent": ("university agreed", "学校是否已同意"),
    "work_annotation": ("annotation", "加注"),
    "within_limits": ("within the approved", "批准的岗位"),
    "withdrawal_applied": ("applied in writing", "书面提交"),
    "details": ("what would you like to ask the office", "您想向国际处咨询什么",
                "what is the reason", "原因是什么", "which kind of request", "哪类申请",
                "work-study or an internship", "勤工助学还是实习"),
})

# What every person knows about themselves without the conversation file saying it: who they
# are (a request asks it once) and, for the university, the conversation's own.
IDENTITY: Final[Mapping[str, tuple[str, str]]] = MappingProxyType({
    "full_name": ("Sam Taylor", "李明"),
    "member_number": ("2024100123", "2024100123"),
    "contact": ("sam.taylor@example.com", "13912345678"),
})

# When a conversation has no fact of the asked key, the facts that answer it instead, in order.
STAND_INS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "visa_expiry": ("permit_expiry",),
    "reminder_document": ("passport_expiry", "permit_expiry", "visa_expiry"),
    "document_expiry": ("passport_expiry", "permit_expiry", "visa_expiry"),
    "document": ("details", "what_happened"),
    "entry_date": ("arrival_date", "event_date"),
    "arrival_date": ("entry_date", "event_date"),
    "event_date": ("what_happened",),
    "end_date": ("stay_length", "trip_dates"),
    "visitor_purpose": ("details",),
    "family_member": ("visitor_count", "details"),
    "employer": ("details",),
    "expert_type": ("role",),
    "conference_title": ("details", "visitor_purpose"),
    "partner": ("details", "visitor_purpose"),
})

# The document a reminder is about, named by the fact that dates it.
_DOCUMENTS: Final = MappingProxyType({
    "passport_expiry": ("passport", "护照"),
    "permit_expiry": ("residence permit", "居留许可"),
    "visa_expiry": ("visa", "签证"),
})
_NO: Final = re.compile(r"\b(no|not|don't|do not|never)\b|不用|不要|算了|不删除|不提交|别", re.I)
_NOT_WORD: Final = re.compile(r"[\W_]+")


def asked_fact(reply: Reply) -> str | None:
    """The fact key the reply's question asks for, None when it asks for none."""
    question = question_of(reply.text).lower()
    return next((key for key, words in FACT_QUESTIONS.items()
                 if any(word in question for word in words)), None)


def asks_something(reply: Reply) -> bool:
    """Whether the reply waits for an answer: a question, buttons, or a form's prompt."""
    return has_question_mark(reply.text) or bool(reply.buttons) or \
        contains_any(reply.text, PROMPTS_WITHOUT_MARK)


def is_affirmative(text: str) -> bool:
    return not _NO.search(text)


def _squashed(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def matching_button(answer: str, buttons: Sequence[Button]) -> Button | None:
    """The button a person who means ``answer`` would tap: same words, else the longest title
    inside the answer ("不是，研一" taps 不是), else the only title the answer is part of."""
    said = _squashed(answer)
    if not said:
        return None
    titles = [(_squashed(b.title), b) for b in buttons if _squashed(b.title)]
    exact = [b for title, b in titles if title == said]
    inside = sorted(((len(title), b) for title, b in titles if title in said),
                    key=lambda pair: -pair[0])
    around = [b for title, b in titles if said in title]
    if exact:
        return exact[0]
    if inside:
        return inside[0][1]
    return around[0] if len(around) == 1 else None


@dataclass(frozen=True)
class Move:
    """What the person does after the assistant's last reply.

    kind: "answer" (send ``message``), "done" (nothing asked: next scripted turn),
    "not_understood" (the assistant did not understand: next turn), "unanswerable"
    (the conversation stops). ``problem``: a failure the question itself is.
    """

    kind: str
    message: str = ""
    fact: str | None = None
    problem: str | None = None
    tapped: str | None = None  # the title of the button the message taps


@dataclass
class PersonState:
    """What the person has seen and said so far in one conversation."""

    conversation: Conversation
    wants_request: bool
    references: list[str] = field(default_factory=list)
    current_turn: str = ""
    turns_sent: int = 0

    def sent(self) -> list[str]:
        """The scripted turns sent so far."""
        return [turn.say for turn in self.conversation.turns[:self.turns_sent]]


def wants_request(conversation: Conversation) -> bool:
    """Whether the person takes up an offer to open a request: their `confirm` fact says
    yes, or (without one) some expectation needs a request."""
    confirm = conversation.facts.get("confirm")
    if confirm is not None:
        return is_affirmative(confirm)
    expects = [conversation.expect, *(t.expect for t in conversation.turns if t.expect)]
    return any(expect.request for expect in expects)


def _yes_no(yes: bool, lang: str) -> str:
    if lang == "zh":
        return "是的" if yes else "不用了"
    return "yes" if yes else "no"


_MONTH: Final = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WRITTEN_DATE: Final = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s*\d{{4}})?"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*\d{{4}})?",
    re.IGNORECASE,
)
# Questions for a date: a person who already gave it repeats the date, not their message.
DATE_FACTS: Final = frozenset({
    "entry_date", "arrival_date", "event_date", "permit_expiry", "visa_expiry",
    "passport_expiry", "document_expiry", "trip_dates", "end_date", "fees_due",
})


_WRITTEN_MONTH: Final = re.compile(rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月|\b{_MONTH}\s*,?\s*\d{{4}}",
                                   re.IGNORECASE)


def written_date(turns: Sequence[str]) -> str | None:
    """The date written last in the latest turn that writes one ("I meant the 13th of March"),
    else the month ("September 2027") when no turn writes a day."""
    for pattern in (_WRITTEN_DATE, _WRITTEN_MONTH):
        for turn in reversed(turns):
            found = pattern.findall(turn)
            if found:
                return str(found[-1]).strip()
    return None


def _repeated(key: str, state: PersonState, lang: str) -> str:
    """What a person says again for a fact they stated without the file giving its words:
    their university's name, the date they wrote, else their first message."""
    conversation = state.conversation
    if key == "university":
        return SOURCE_NAMES[conversation.institution].get(lang)
    return (written_date(state.sent()) if key in DATE_FACTS else None) or \
        conversation.turns[0].say


def _own_answer(key: str, state: PersonState, lang: str
                ) -> tuple[str | None, str | None] | None:
    """(answer, problem) for a key every person can answer from the conversation so far or
    from who they are; None for the facts of the conversation file."""
    conversation = state.conversation
    if key == "confirm":
        problem = "asked again for confirm" if "confirm" in conversation.said else None
        confirm = conversation.facts.get("confirm")
        return (confirm if confirm is not None else _yes_no(state.wants_request, lang)), problem
    if key == "reference":
        return (state.references[-1] if state.references else None), None
    if key == "note":
        _, _, note = state.current_turn.replace("：", ":").partition(":")
        return (note.strip() or None), ("asked again for note" if note.strip() else None)
    if key in IDENTITY:
        return IDENTITY[key][lang == "zh"], None
    if key == "university" and key not in conversation.said and key not in conversation.facts:
        return SOURCE_NAMES[conversation.institution].get(lang), None
    return None


def _fact_answer(key: str, state: PersonState, lang: str) -> tuple[str | None, str | None]:
    """(answer, problem) for one asked key: its fact, or a stand-in fact; (None, None) when
    the person has nothing to say."""
    own = _own_answer(key, state, lang)
    if own is not None:
        return own
    conversation = state.conversation
    for candidate in (key, *STAND_INS.get(key, ())):
        # A date the conversation states in a later turn is not stated yet.
        stated = candidate in conversation.said and \
            (candidate not in DATE_FACTS or written_date(state.sent()) is not None)
        if not stated and candidate not in conversation.facts:
            continue
        if key == "reminder_document":
            words = _DOCUMENTS[candidate][lang == "zh"]
        else:
            words = conversation.facts.get(candidate) or _repeated(key, state, lang)
        return words, (f"asked again for {candidate}" if stated else None)
    return None, None


# The request type for "anything else": what a person taps when typing theirs did not work.
CATCH_ALL_TYPE: Final = '"case_type":"talk_to_person"'


def next_move(reply: Reply | None, state: PersonState, again: bool = False) -> Move:
    """What the person does after ``reply``, the assistant's last message; ``again``: it asks
    the question the person has just answered."""
    if reply is None or not asks_something(reply):
        return Move("done")
    lang = language_of(reply.text) if reply.text else state.conversation.language
    if contains_any(reply.text, NOT_UNDERSTOOD_PHRASES):
        return Move("not_understood")
    key = asked_fact(reply)
    if key is None:
        return _move_without_a_fact(reply, state)
    answer, problem = _fact_answer(key, state, lang)
    if answer is None:
        return Move("unanswerable", fact=key)
    button = matching_button(answer, reply.buttons)
    if button is None and again and key == "details":
        button = next((b for b in reply.buttons if CATCH_ALL_TYPE in b.payload), None)
    if button is not None:
        return Move("answer", button.payload, key, problem, tapped=button.title)
    return Move("answer", answer, key, problem)


def _move_without_a_fact(reply: Reply, state: PersonState) -> Move:
    """What the person does after a reply that asks for none of their facts: take an offered
    request if they want one, else stop, unless the reply asks something they cannot
    answer."""
    offer = offer_button(reply)
    if offer is not None:
        if state.wants_request:
            return Move("answer", offer.payload, "confirm", tapped=offer.title)
        return Move("done")
    if contains_any(question_of(reply.text), OPEN_PROMPTS) or not has_question_mark(reply.text):
        return Move("done")
    return Move("unanswerable")


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Line:
    """One line of a transcript: "person", "assistant" or "note" (what the bench noticed)."""

    speaker: str
    text: str
    buttons: tuple[str, ...] = ()


@dataclass
class Result:
    """How one conversation went."""

    conversation: Conversation
    reasons: list[str] = field(default_factory=list)
    transcript: list[Line] = field(default_factory=list)
    met_anywhere: bool = False  # the last turn's expectation, judged on every reply

    @property
    def passed(self) -> bool:
        return not self.reasons


Say = Callable[[str, str], list[Reply]]  # (sender, message) -> replies


class Stop(Exception):
    """The conversation cannot go on."""


def _send(say: Say, sender: str, message: str, result: Result, shown: str | None = None
          ) -> list[Reply]:
    result.transcript.append(Line("person", shown or message))
    try:
        replies = say(sender, message)
    except httpx.HTTPError as error:
        result.reasons.append(f"assistant error: {type(error).__name__}")
        raise Stop from error
    for reply in replies:
        result.transcript.append(Line("assistant", reply.text,
                                      tuple(b.title for b in reply.buttons)))
    return replies


def _follow_up(say: Say, sender: str, replies: list[Reply], state: PersonState,
               result: Result) -> tuple[list[Reply], bool]:
    """Answers the assistant's questions after a scripted turn: all replies of the turn, and
    whether the assistant is left waiting for an answer."""
    gathered = list(replies)
    answered: str | None = None  # the question just answered
    for _ in range(MAX_FOLLOW_UPS):
        state.references.extend(references_in(replies))
        question = question_of(replies[-1].text) if replies else None
        move = next_move(replies[-1] if replies else None, state, question == answered)
        if move.kind == "done":
            return gathered, False
        if move.kind == "not_understood":
            result.transcript.append(Line("note", "the assistant did not understand"))
            return gathered, False
        if move.kind == "unanswerable":
            what = f" ({move.fact})" if move.fact else ""
            result.reasons.append("unanswerable question" + what)
            raise Stop
        if question == answered and not (move.tapped and move.fact == "details"):
            result.reasons.append(f"did not take the answer for {move.fact}")
            return gathered, True
        if move.problem and move.problem not in result.reasons:
            result.reasons.append(move.problem)
        answered = question
        shown = f"[taps “{move.tapped}”] {move.message}" if move.tapped else None
        replies = _send(say, sender, move.message, result, shown)
        gathered.extend(replies)
    state.references.extend(references_in(replies))
    waiting = bool(replies) and next_move(replies[-1], state).kind == "answer"
    if waiting:
        result.reasons.append(f"still asking after {MAX_FOLLOW_UPS} answers")
    return gathered, waiting


def run_conversation(conversation: Conversation, say: Say) -> Result:
    """Plays one conversation and judges it."""
    result = Result(conversation)
    state = PersonState(conversation, wants_request(conversation))
    sender = f"bench-{conversation.id}-{uuid.uuid4().hex[:8]}"
    last: list[Reply] = []
    everything: list[Reply] = []
    waiting = False  # a question left unanswered: the next turn is taken as its answer
    try:
        for number, turn in enumerate(conversation.turns, start=1):
            state.current_turn, state.turns_sent = turn.say, number
            opening = _send(say, sender, turn.say, result)
            if scolds(opening) and not waiting and \
                    "form scolded the opening message" not in result.reasons:
                result.reasons.append("form scolded the opening message")
            last, waiting = _follow_up(say, sender, opening, state, result)
            everything.extend(last)
            if turn.expect is not None:
                result.reasons += [f"turn {number}: {reason}"
                                   for reason in judge(turn.expect, last)]
    except Stop:
        result.met_anywhere = not judge(conversation.expect, everything)
        return result
    result.reasons += judge(conversation.expect, last, judged_earlier(conversation))
    result.met_anywhere = not judge(conversation.expect, everything)
    return result


def rest_sayer(rasa_url: str, client: httpx.Client, university: str | None = None) -> Say:
    """Sends a message over the REST channel and returns the replies; with ``university``,
    as the widget on that university's page sends it (``data-university``, the message's
    metadata)."""
    metadata = {"university": university} if university else {}

    def say(sender: str, message: str) -> list[Reply]:
        response = client.post(f"{rasa_url}/webhooks/rest/webhook",
                               json={"sender": sender, "message": message,
                                     "metadata": metadata})
        response.raise_for_status()
        return read_replies(response.json())
    return say


def run_all(conversations: Sequence[Conversation], rasa_url: str, workers: int,
            on_pages: bool = True) -> list[Result]:
    """Every conversation against the assistant at ``rasa_url``, ``workers`` at a time; each
    on its university's page (``on_pages``) or all on one page that names none."""
    with httpx.Client(timeout=180.0) as client:
        def play(conversation: Conversation) -> Result:
            page = conversation.institution if on_pages else None
            return run_conversation(conversation, rest_sayer(rasa_url, client, page))

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = []
            for n, result in enumerate(pool.map(play, conversations), start=1):
                mark = "pass" if result.passed else "FAIL"
                print(f"[{n}/{len(conversations)}] {mark} {result.conversation.id}",
                      file=sys.stderr, flush=True)
                results.append(result)
    return results


# ----------------------------------------------------------------------------- reporting


def rates(results: Sequence[Result], key: Callable[[Conversation], Iterable[str]]
          ) -> dict[str, tuple[int, int]]:
    """(passed, total) per group; a conversation may be in several groups (styles)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        for group in key(result.conversation):
            counts[group][0] += result.passed
            counts[group][1] += 1
    return {group: (passed, total) for group, (passed, total) in sorted(counts.items())}


GROUPINGS: Final[Mapping[str, Callable[[Conversation], Iterable[str]]]] = MappingProxyType({
    "language": lambda c: (c.language,),
    "topic": lambda c: (c.topic,),
    "institution": lambda c: (c.institution,),
    "style": lambda c: c.styles,
})


def reason_kind(reason: str) -> str:
    """A reason without its turn number, for counting."""
    return re.sub(r"^turn \d+: ", "", reason)


def common_reasons(results: Sequence[Result], count: int = 10) -> list[tuple[str, int]]:
    counter = Counter(reason_kind(r) for result in results for r in set(result.reasons))
    return counter.most_common(count)


def _rate_line(name: str, passed: int, total: int) -> str:
    share = 100 * passed / total if total else 0.0
    return f"  {name:<55} {passed:>3}/{total:<3} {share:5.1f} %"


def report(results: Sequence[Result], show_transcripts: bool = True) -> str:
    """Pass rates, the most common reasons and the failing transcripts, as text."""
    passed = sum(r.passed for r in results)
    anywhere = sum(r.met_anywhere for r in results)
    lines = ["Conversation benchmark", _rate_line("overall", passed, len(results)),
             _rate_line("last expectation met anywhere in the conversation", anywhere,
                        len(results))]
    for name, key in GROUPINGS.items():
        lines.append(f"per {name}:")
        lines += [_rate_line(group, p, t) for group, (p, t) in rates(results, key).items()]
    lines.append("most common failure reasons (conversations):")
    lines += [f"  {n:>3}  {reason}" for reason, n in common_reasons(results)]
    if show_transcripts:
        for result in results:
            if not result.passed:
                lines += ["", *transcript_lines(result)]
    return "\n".join(lines)


def transcript_lines(result: Result) -> list[str]:
    conversation = result.conversation
    lines = [f"=== {conversation.id} ({conversation.language}, {conversation.institution}, "
             f"{conversation.topic}; {', '.join(conversation.styles)})"]
    lines += [f"  ✗ {reason}" for reason in result.reasons]
    for line in result.transcript:
        prefix = {"person": "  person:    ", "assistant": "  assistant: "}.get(line.speaker,
                                                                             "  (bench)    ")
        text = line.text.replace("\n", "\n" + " " * len(prefix))
        lines.append(prefix + text)
        if line.buttons:
            lines.append(" " * len(prefix) + "[" + " | ".join(line.buttons) + "]")
    return lines


def as_json(results: Sequence[Result], model: str) -> dict[str, Any]:
    """The results for a later comparison."""
    return {
        "date": date.today().isoformat(),
        "model": model,
        "passed": sum(r.passed for r in results),
        "total": len(results),
        "conversations": [
            {"id": r.conversation.id, "language": r.conversation.language,
             "institution": r.conversation.institution, "topic": r.conversation.topic,
             "styles": list(r.conversation.styles), "passed": r.passed,
             "reasons": r.reasons, "met_anywhere": r.met_anywhere,
             "transcript": [{"speaker": line.speaker, "text": line.text,
                             "buttons": list(line.buttons)} for line in r.transcript]}
            for r in results
        ],
    }


# ----------------------------------------------------------------------------- the servers




@contextmanager
def running_assistant(model: Path) -> Iterator[str]:
    """The assistant as the end-to-end tests start it; yields Rasa's URL."""
    from casestore.db import migrate
    from config.settings import load_settings
    from supervisor.processes import ProcessGroup, assistant_processes, with_run_secrets

    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'office.db'}"
        settings = replace(
            with_run_secrets(load_settings()),
            database_url=database_url,
            rasa_port=free_port(),
            action_server_port=free_port(),
            staff_api_port=free_port(),
            web_port=free_port(),
            telegram_bot_token=None,
        )
        migrate(database_url)
        environ = {key: value for key, value in os.environ.items()
                   if not key.startswith("TELEGRAM_")}
        group = ProcessGroup(environ={**environ, "DATABASE_URL": database_url}, log_dir=LOG_DIR)
        try:
            group.start(assistant_processes(settings, model), timeout=900)
            yield f"http://localhost:{settings.rasa_port}"
        finally:
            group.stop()


def selected(conversations: Sequence[Conversation], only: str | None, language: str | None,
             limit: int | None) -> list[Conversation]:
    chosen = [c for c in conversations
              if (only is None or only in c.id) and (language is None or c.language == language)]
    return chosen[:limit] if limit is not None else chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa-url", help="talk to this running assistant instead of "
                        "starting one")
    parser.add_argument("--model", type=Path, help="model archive to start the assistant with "
                        "(default: the one trained from the current data)")
    parser.add_argument("--folder", type=Path, default=CONVERSATIONS,
                        help="the conversations to play: every .yml file of this folder "
                             "(default tests/conversations; tests/conversations/fresh holds a "
                             "second set, written later, never looked at while tuning)")
    parser.add_argument("--only", help="conversations whose id contains this")
    parser.add_argument("--language", choices=("en", "zh"))
    parser.add_argument("--limit", type=int, help="at most this many conversations")
    parser.add_argument("--workers", type=int, default=2,
                        help="conversations played at the same time (default 2)")
    parser.add_argument("--one-page", action="store_true",
                        help="play every conversation on one page that names no university "
                             "(the deployment's default, CPU, applies until the person names "
                             "theirs), instead of on its own university's page")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--no-transcripts", action="store_true",
                        help="figures only, no failing transcripts")
    args = parser.parse_args(argv)
    conversations = selected(load_conversations(args.folder), args.only, args.language, args.limit)
    if not conversations:
        print("No conversation matches.", file=sys.stderr)
        return 2
    if args.rasa_url:
        model_name = "(running assistant)"
        results = run_all(conversations, args.rasa_url.rstrip("/"), args.workers,
                          on_pages=not args.one_page)
    else:
        from training.model import model_path

        model = args.model or model_path()
        if not model.exists():
            print(f"No trained model at {model}: run `make train` first.", file=sys.stderr)
            return 2
        model_name = model.name
        with running_assistant(model) as rasa_url:
            results = run_all(conversations, rasa_url, args.workers,
                              on_pages=not args.one_page)
    print(report(results, show_transcripts=not args.no_transcripts))
    if args.json:
        args.json.write_text(json.dumps(as_json(results, model_name), ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
