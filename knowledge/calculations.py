"""Questions a rule answers for the person's own case, and which of their facts still matter.

Which visa for their length of study, the overstay penalty since their expiry date, until when
their family may stay, whether their work-study is allowed, whether a visiting scholar's stay
fits, whether unpaid fees mean automatic withdrawal. A calculation asks, one at a time, only
for the facts that can still change the answer at the person's university: a fact matters
when trying its possible values gives different decisions. Once none is missing, the rule
decides, with its articles.

Facts are a mapping of fact name to a date, a ``StayLength`` or a bool; unknown facts are
absent. How a fact is read from a message and asked for is the dialogue's business
(``actions/facts.py``, ``actions/calculators.py``).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Final

from knowledge.core import Decision, Text
from knowledge.dependents import MASTER, OTHER, dependent_permit
from knowledge.durations import StayLength
from knowledge.penalties import overstay_penalty, overstay_penalty_since
from knowledge.staff import visiting_scholar_length, visiting_scholar_stay
from knowledge.study import work_study_check
from knowledge.visas import automatic_withdrawal, study_visa_type, visa_for_stay

DATE: Final = "date"
LENGTH: Final = "length"
YES_NO: Final = "yes_no"

FACT_KINDS: Final[Mapping[str, str]] = MappingProxyType({
    "stay_length": LENGTH,
    "permit_expiry": DATE,
    "family_until": DATE,
    "arrival": DATE,
    "departure": DATE,
    "graduate_full_time": YES_NO,
    "fees_paid": YES_NO,
    "withdrawal_applied": YES_NO,
    "university_consent": YES_NO,
    "work_annotation": YES_NO,
    "within_limits": YES_NO,
})
"""What kind of value each fact a calculation uses is."""

Facts = dict[str, Any]  # fact name -> date, StayLength or bool; unknown facts are absent


class Problem(enum.Enum):
    """Why newly read facts cannot be used."""

    UNCLEAR = "unclear"  # they cannot decide (a length at the edge of a limit)
    IMPOSSIBLE = "impossible"  # they contradict each other (a departure before the arrival)


@dataclass(frozen=True)
class Calculation:
    """A topic answered by a rule: the facts it asks for, in order, and how it decides.

    ``reads``: facts the rule also uses but that are never asked for (a family member's
    planned end date, a visit's length instead of its last day). ``replaces``: pairs of facts
    that say the same thing, so a newly read one drops the other. ``decide`` raises ValueError
    when the facts contradict each other. ``clear``: whether the facts can decide at all (a
    length at the edge of a limit may not). ``settle``: the decision the facts known so far
    already give, whatever the unknown ones turn out to be (None while they may change it).
    """

    topic: str
    asks: tuple[str, ...]
    decide: Callable[[str, Mapping[str, Any], date], Decision]
    reads: tuple[str, ...] = ()
    replaces: tuple[tuple[str, str], ...] = ()
    clear: Callable[[Mapping[str, Any]], bool] = lambda facts: True
    settle: Callable[[str, Mapping[str, Any]], Decision | None] = lambda code, facts: None

    @property
    def facts(self) -> tuple[str, ...]:
        """Every fact the topic uses, asked ones first."""
        return (*self.asks, *self.reads)


# ----------------------------------------------------------------------------- the rules


def _visa(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    """X1 or X2 for the length of study; months counted as their fewest possible days."""
    length: StayLength = facts["stay_length"]
    days = length.shortest_days()
    decision = visa_for_stay(code, days)
    if not length.months:
        return decision
    note = Text(f"{length.render('en')} is at least {days} days.",
                f"{length.render('zh')}至少为{days}天。")
    return replace(decision, answer=note.join(decision.answer, zh_sep=""))


def _visa_length_is_clear(facts: Mapping[str, Any]) -> bool:
    """Whether a length decides the visa whatever day it starts ("5 months and 28 days" does
    not: 179 to 181 days)."""
    length = facts.get("stay_length")
    return length is None or \
        study_visa_type(length.shortest_days()) == study_visa_type(length.longest_days())


def _overstay(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    length = facts.get("stay_length")
    if isinstance(length, StayLength):
        return overstay_penalty(code, length.shortest_days())
    return overstay_penalty_since(code, facts["permit_expiry"], on)


def _dependents(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    # The form asks the one question CPU's rule turns on: a master's or doctoral student?
    # (CPU's Chinese text, followed, sets no full-time condition; other universities ignore
    # the answer.) Whether the studies are full-time is not asked, so it stays unknown.
    level = MASTER if facts["graduate_full_time"] else OTHER
    return dependent_permit(code, level, None, facts["permit_expiry"], facts.get("family_until"))


def _work_study(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    return work_study_check(code, facts["university_consent"], facts["work_annotation"],
                            facts["within_limits"])


def _visiting_scholar(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    arrival: date = facts["arrival"]
    length = facts.get("stay_length")
    departure = length.end(arrival) if isinstance(length, StayLength) else facts["departure"]
    return visiting_scholar_stay(code, arrival, departure)


def _scholar_by_length(code: str, facts: Mapping[str, Any]) -> Decision | None:
    """"For two years", no date given: too long whatever day the visit starts."""
    length = facts.get("stay_length")
    if "arrival" in facts or not isinstance(length, StayLength):
        return None
    return visiting_scholar_length(code, length)


def _withdrawal(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    return automatic_withdrawal(code, facts["permit_expiry"], facts["fees_paid"],
                                facts["withdrawal_applied"], on)


CALCULATIONS: Final[Mapping[str, Calculation]] = MappingProxyType({calc.topic: calc for calc in (
    Calculation("visa_types", ("stay_length",), _visa, clear=_visa_length_is_clear),
    Calculation("overstay_penalty", ("permit_expiry",), _overstay, reads=("stay_length",),
                replaces=(("permit_expiry", "stay_length"),)),
    Calculation("dependents", ("graduate_full_time", "permit_expiry"), _dependents,
                reads=("family_until",)),
    # The annotation first: a student who has it had the university's consent (Art. 7).
    Calculation("work_study", ("work_annotation", "university_consent", "within_limits"),
                _work_study),
    Calculation("invite_visiting_scholar", ("arrival", "departure"), _visiting_scholar,
                reads=("stay_length",), replaces=(("departure", "stay_length"),),
                settle=_scholar_by_length),
    Calculation("automatic_withdrawal", ("fees_paid", "withdrawal_applied", "permit_expiry"),
                _withdrawal),
)})


# ----------------------------------------------------------------------------- which facts


def _samples(fact: str, on: date) -> tuple[Any, ...]:
    """Values to try a fact with: enough to see whether the rule's answer depends on it."""
    kind = FACT_KINDS[fact]
    if kind == DATE:
        return tuple(on + timedelta(days=offset) for offset in (-45, 45, 400))
    if kind == LENGTH:
        return (StayLength(days=10), StayLength(months=24))
    return (True, False)


def _outcome(calc: Calculation, code: str, facts: Mapping[str, Any],
             on: date) -> Decision | None:
    try:
        return calc.decide(code, facts, on)
    except ValueError:
        return None  # contradictory facts (a departure before the arrival)


def _matters(calc: Calculation, code: str, facts: Facts, name: str, on: date) -> bool:
    """Whether trying values of ``name`` changes the answer (for some values of the facts
    still unknown)."""
    others = [fact for fact in calc.asks if fact != name and fact not in facts]
    trials = itertools.product(*(_samples(other, on) for other in others))
    for values in trials:
        base = {**facts, **dict(zip(others, values, strict=True))}
        outcomes = {_outcome(calc, code, {**base, name: value}, on)
                    for value in _samples(name, on)}
        if len(outcomes) > 1:
            return True
    return False


def needed_facts(calc: Calculation, code: str, facts: Facts, on: date) -> list[str]:
    """The facts still to ask for, in order: unknown ones that can change the answer."""
    if calc.settle(code, facts) is not None:
        return []
    return [fact for fact in calc.asks
            if fact not in facts and _matters(calc, code, facts, fact, on)]


def merge(calc: Calculation, known: Facts, new: Facts) -> Facts:
    """The known facts updated with newly read ones (which drop the facts they replace)."""
    merged = dict(known)
    for first, second in calc.replaces:
        if first in new:
            merged.pop(second, None)
        if second in new:
            merged.pop(first, None)
    merged.update(new)
    return merged


def check(calc: Calculation, code: str, known: Facts, new: Facts,
          on: date) -> tuple[Facts, Problem | None]:
    """The known facts with the new ones, unless they cannot be used: then the known facts
    and why (None when all is well)."""
    merged = merge(calc, known, new)
    if not calc.clear(merged):
        return known, Problem.UNCLEAR
    complete = not needed_facts(calc, code, merged, on)
    if complete and _outcome(calc, code, _complete(calc, merged, on), on) is None:
        return known, Problem.IMPOSSIBLE
    return merged, None


def _complete(calc: Calculation, facts: Facts, on: date) -> Facts:
    """The facts with any fact that does not matter filled in (the rule needs a value)."""
    filled = dict(facts)
    for fact in calc.asks:
        filled.setdefault(fact, _samples(fact, on)[0])
    return filled


def decide(calc: Calculation, code: str, facts: Facts, on: date) -> Decision | None:
    """The rule's decision once no fact is missing, else None."""
    settled = calc.settle(code, facts)
    if settled is not None:
        return settled
    if needed_facts(calc, code, facts, on):
        return None
    return _outcome(calc, code, _complete(calc, facts, on), on)
