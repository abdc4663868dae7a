"""The facts the calculators ask for: how each is read from a message, and how it is stored in
the dialogue. What kind each is, the rules say (``knowledge.calculations.FACT_KINDS``).

Three kinds: dates (read with `actions.parsing.find_dates`), lengths of stay
(`parse_stay_length`) and yes/no facts. A sentence can carry several facts at once ("my permit
ends on 30 June 2027 and my wife wants to stay until 1 July"): the words just before a date say
which fact it is; yes/no facts are read only from clear phrases ("I haven't paid", "没申请"),
never guessed from a lone "not".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from actions.parsing import (
    DateMention,
    as_typed,
    find_dates,
    parse_stay_length,
    parse_yes_no,
    read_date,
)
from knowledge.calculations import DATE, FACT_KINDS, LENGTH, YES_NO, Facts
from knowledge.durations import StayLength


@dataclass(frozen=True)
class Fact:
    """One input of a rule and the words that point at it in a sentence.

    ``cues`` (dates): words written before a date that say it is this fact; ``cues_after``:
    words written right after it (Chinese puts the verb there: "7月1号离校"). ``yes`` and
    ``no`` (yes/no facts): phrases that answer it; the longest phrase found wins, so
    "未经学校同意" (no) beats the "经学校同意" (yes) inside it.
    """

    name: str
    cues: tuple[str, ...] = ()
    cues_after: tuple[str, ...] = ()
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """DATE, LENGTH or YES_NO, as the rules know it (``knowledge.calculations``)."""
        return FACT_KINDS[self.name]


# "I have not paid": one list for every reader of the fees, in both languages (the permit form's
# short answers and statements, actions/permit.py and actions/permit_text.py, and fees_paid).
NOT_PAID: Final = ("not paid", "haven't paid", "have not paid", "didn't pay", "did not pay",
                   "unpaid", "没交", "未交", "没缴", "未缴", "未缴清", "没缴清", "欠费", "欠学费",
                   "没有交", "没有缴", "没付", "未付")

_PERMIT_WORDS = ("permit", "visa", "expir", "居留", "签证", "许可", "到期", "过期")
_FAMILY_WORDS = ("wife", "husband", "spouse", "partner", "child", "kid", "son", "daughter",
                 "family", "parent", "mother", "father", "mum", "mom", "dad", "dependant",
                 "dependent", "妻子", "丈夫", "配偶", "孩子", "儿子", "女儿", "家属", "家人",
                 "父母", "妈妈", "爸爸", "爱人", "老婆", "老公")

FACTS: Final[Mapping[str, Fact]] = MappingProxyType({fact.name: fact for fact in (
    Fact("stay_length"),
    Fact("permit_expiry", cues=_PERMIT_WORDS),
    Fact("family_until", cues=_FAMILY_WORDS),
    Fact("arrival", cues=("arriv", "come", "coming", "from", "start", "到达", "抵达", "来", "从",
                          "开始")),
    Fact("departure", cues=("until", "till", "leav", "depart", "end", "离开", "离校", "离境",
                            "回国", "为止", "结束", "到", "至")),
    # CPU Art. 10bis follows the binding Chinese text (仅限我校硕士和博士留学生): a part-time
    # master's student is a master's student, so "part-time" is no "no".
    Fact("graduate_full_time",
         yes=("master", "phd", "ph.d", "doctoral", "doctor", "硕士", "博士", "研究生"),
         no=("bachelor", "undergrad", "language student", "language program", "preparatory",
             "本科", "语言生", "语言进修", "预科", "进修生")),
    Fact("fees_paid",
         yes=("i paid", "i have paid", "i've paid", "already paid", "已缴", "已交", "交了",
              "缴了", "缴清", "交清"),
         # Not paid so far, and will not or cannot pay: both leave the fees unpaid.
         no=(*NOT_PAID, "don't pay", "do not pay", "not pay", "can't pay", "cannot pay",
             "unable to pay", "never pay", "skip paying", "不交", "不缴", "交不起")),
    Fact("withdrawal_applied",
         yes=("applied for withdrawal", "applied for suspension", "applied to withdraw",
              "已申请退学", "已申请休学", "申请了退学", "申请了休学", "已提交退学", "已提交休学"),
         no=("not apply", "didn't apply", "did not apply", "haven't applied", "have not applied",
             "not applied", "don't apply", "never applied", "didn't submit", "did not submit",
             "haven't submitted", "have not submitted",
             # Longer than the "yes" phrases they contain, so that they win.
             "n't applied to withdraw", "not applied to withdraw", "n't applied for withdrawal",
             "not applied for withdrawal", "没申请", "未申请", "不申请",
             "没有申请", "没提交", "未提交", "没办退学", "没办休学", "没有办退学", "没有办休学",
             "未办理退学", "未办理休学", "没办理退学", "没办withdraw", "没有办withdraw")),
    Fact("university_consent",
         yes=("university agreed", "university has agreed", "university approved",
              "with the university's consent", "with approval", "学校同意了", "学校已同意",
              "经学校同意", "学校批准了", "学校已批准"),
         no=("without the university's consent", "without consent", "without approval",
             "without permission", "not approved", "未经学校同意", "没有学校同意", "学校不同意",
             "学校没同意", "没经过学校")),
    Fact("work_annotation",
         yes=("have the annotation", "have an annotation", "with the annotation",
              "got the annotation", "annotated", "已加注", "有加注", "办了加注"),
         no=("no annotation", "without annotation", "without an annotation",
             "don't have the annotation", "not annotated", "没有加注", "未加注", "没加注")),
    Fact("within_limits",
         yes=("within the approved", "within the limits", "within the hours", "在规定范围内",
              "没有超出", "不超出", "没超出"),
         no=("more hours than", "beyond the approved", "outside the approved", "exceed", "超出",
             "超过规定", "超时")),
)})

_PAST = re.compile(r"expired|ran out|过期|已经到期|到期了|已到期", re.IGNORECASE)
_FUTURE = re.compile(r"\bwill\b|going to|expires on|将|即将|快到期|要到期", re.IGNORECASE)


def reads_as_past(text: str, usually_past: bool) -> bool:
    """Whether a date without a year in ``text`` is the last such day or the next one.

    The sentence's tense decides ("it expired on 3 March", "它将于3月3日到期"); without one,
    what the topic usually means.
    """
    if _PAST.search(text):
        return True
    if _FUTURE.search(text):
        return False
    return usually_past


def _cue_position(fact: Fact, words: str) -> int:
    """Where the last cue of ``fact`` ends in ``words``; -1 when there is none."""
    ends = [match.end() for cue in fact.cues
            for match in re.finditer(rf"\b{re.escape(cue)}" if cue.isascii() else re.escape(cue),
                                     words, re.IGNORECASE)]
    return max(ends, default=-1)


def assign_dates(
    facts: Sequence[Fact], mentions: Sequence[DateMention], asked: str | None = None
) -> Facts:
    """Which date fact each written date is: the one whose cue comes closest before it,
    else the fact just asked for, else the next fact in order."""
    assigned: Facts = {}
    for mention in mentions:
        free = [fact for fact in facts if fact.name not in assigned]
        if not free:
            break
        cued = max(free, key=lambda fact: _cue_position(fact, mention.before))
        if _cue_position(cued, mention.before) < 0:
            cued = next((fact for fact in free if fact.name == asked), free[0])
        assigned[cued.name] = mention.day
    return assigned


# What may stand between a date and a cue written after it ("7月1号就离校").
_AFTER_A_DATE: Final = re.compile(r"^\s*(?:的|就|要|会|将)?\s*")


def _cued_after(fact: Fact, words: str) -> bool:
    """Whether ``words``, the text right after a date, start with a cue of ``fact``."""
    rest = _AFTER_A_DATE.sub("", words, count=1)
    return any(rest.startswith(cue) for cue in fact.cues_after)


def cued_dates(facts: Sequence[Fact], text: str, today: date, lang: str,
               near: date | None = None) -> Facts:
    """The dates of ``text`` that the words just after or before them say are one of
    ``facts`` (a date without such words is left alone: nothing asked for it). ``near``: a
    date without a year is read in the year nearest to it (as `find_dates` does)."""
    found: Facts = {}
    for mention in find_dates(text, today, lang, reads_as_past(text, False), near=near):
        free = [fact for fact in facts if fact.name not in found]
        after = next((fact for fact in free if _cued_after(fact, text[mention.end:])), None)
        cued = after or max(free, key=lambda fact: _cue_position(fact, mention.before),
                            default=None)
        if cued is not None and (after is not None or _cue_position(cued, mention.before) >= 0):
            found[cued.name] = mention.day
    return found


def phrase_answer(fact: Fact, text: str) -> bool | None:
    """The yes/no answer a clear phrase in ``text`` gives to ``fact``, None without one."""
    lowered = as_typed(text)
    found = [(len(phrase), answer) for answer, phrases in ((True, fact.yes), (False, fact.no))
             for phrase in phrases if phrase in lowered]
    return max(found)[1] if found else None


def read_facts(
    facts: Sequence[Fact],
    text: str,
    today: date,
    lang: str,
    usually_past: bool = False,
    asked: str | None = None,
) -> Facts:
    """Every fact of ``facts`` a message states; ``asked`` is the one just asked for, which a
    bare answer ("1 March", "yes") answers when the message states nothing else."""
    found: Facts = {}
    dates = [fact for fact in facts if fact.kind == DATE]
    if dates:
        past = reads_as_past(text, usually_past)
        found.update(assign_dates(dates, find_dates(text, today, lang, past), asked))
    length = parse_stay_length(text) if any(f.kind == LENGTH for f in facts) else None
    if length is not None:
        found.update({fact.name: length for fact in facts if fact.kind == LENGTH})
    for fact in facts:
        if fact.kind == YES_NO:
            answer = phrase_answer(fact, text)
            if answer is not None:
                found[fact.name] = answer
    if asked is not None and not found:
        bare = read_bare_answer(FACTS[asked], text, today, lang, usually_past)
        if bare is not None:
            found[asked] = bare
    return found


def read_bare_answer(fact: Fact, text: str, today: date, lang: str,
                     usually_past: bool = False) -> Any:
    """An answer that is the whole message: "2027-03-01", "8 months", "yes", "不是"."""
    if fact.kind == DATE:
        return read_date(text, today, lang, reads_as_past(text, usually_past))
    if fact.kind == LENGTH:
        return parse_stay_length(text)
    return parse_yes_no(text) if len(text) <= 40 else None


def encode(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts as the dialogue stores them in a slot (JSON: ISO dates and lengths, booleans)."""
    stored: dict[str, Any] = {}
    for name, value in facts.items():
        if isinstance(value, date | StayLength):
            stored[name] = value.isoformat()
        else:
            stored[name] = value
    return stored


def decode(stored: Mapping[str, Any]) -> Facts:
    """The facts `encode` stored; values that do not read back are left out."""
    facts: Facts = {}
    for name, value in stored.items():
        fact = FACTS.get(name)
        try:
            if fact is None:
                continue
            if fact.kind == DATE and isinstance(value, str):
                facts[name] = date.fromisoformat(value)
            elif fact.kind == LENGTH and isinstance(value, str):
                facts[name] = StayLength.fromisoformat(value)
            elif fact.kind == YES_NO and isinstance(value, bool):
                facts[name] = value
        except ValueError:
            continue
    return facts
