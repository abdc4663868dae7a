"""Questions a rule of `knowledge` answers for the person's own case: which visa for their
length of study, the overstay penalty since their expiry date, until when their family may
stay, whether their work-study is allowed, whether a visiting scholar's stay fits, whether
unpaid fees mean automatic withdrawal.

One form (`calculator_form`) serves them all. `action_new_calculation` reads the facts the
question already gives; the form then asks, one at a time, only for the facts that can still
change the answer at the person's university (a fact matters when trying its possible
values gives different decisions), and `action_answer_calculation` gives the decision with
its articles. A question without facts first gets the general rule, so it is useful even
when the person does not go on. Answers gather in the slot `calculator_facts`; the form
reads each answer through the single slot `calculator_answer`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, language, today
from actions.facts import DATE, FACTS, LENGTH, YES_NO, Fact, Facts, decode, encode, read_facts
from actions.faq import general_answer, tell, with_institution_answer
from actions.loops import ListeningFormValidation, resume_interrupted_form
from knowledge import (
    Decision,
    Text,
    automatic_withdrawal,
    dependent_permit,
    overstay_penalty,
    overstay_penalty_since,
    study_visa_type,
    visa_for_stay,
    visiting_scholar_stay,
    work_study_check,
)
from knowledge.dependents import MASTER, OTHER
from knowledge.durations import StayLength

FORM: Final = "calculator_form"
ANSWER_SLOT: Final = "calculator_answer"
FACTS_SLOT: Final = "calculator_facts"

# What is said when an answer cannot be read, per kind of fact.
_UNREADABLE: Final[Mapping[str, str]] = MappingProxyType({
    DATE: "utter_invalid_date",
    LENGTH: "utter_invalid_stay_length",
    YES_NO: "utter_invalid_choice",
})


@dataclass(frozen=True)
class Question:
    """A fact the form may ask for, and the response that asks it."""

    fact: str
    response: str


@dataclass(frozen=True)
class Calculator:
    """A topic answered by a rule: the facts it asks for, in order, and how it decides.

    ``reads``: facts taken from what people write but never asked for (a family member's
    planned end date, a visit's length instead of its last day). ``replaces``: pairs of facts
    that say the same thing, so a newly read one drops the other. ``usually_past``: a date
    without a year is the last such day ("it expired on 3 March"). ``impossible``: what to say
    when the facts contradict each other (the rule raises ValueError). ``clear``: whether the
    facts read can decide at all (a length at the edge of a limit may not); an unclear one is
    asked again.
    """

    topic: str
    asks: tuple[Question, ...]
    decide: Callable[[str, Mapping[str, Any], date], Decision]
    reads: tuple[str, ...] = ()
    replaces: tuple[tuple[str, str], ...] = ()
    usually_past: bool = False
    impossible: str = "utter_invalid_date"
    clear: Callable[[Mapping[str, Any]], bool] = lambda facts: True

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact the topic uses, asked ones first."""
        return tuple(FACTS[name] for name in (*(q.fact for q in self.asks), *self.reads))

    def question(self, fact: str) -> str:
        """The response asking for ``fact``."""
        return next(q.response for q in self.asks if q.fact == fact)


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


def _withdrawal(code: str, facts: Mapping[str, Any], on: date) -> Decision:
    return automatic_withdrawal(code, facts["permit_expiry"], facts["fees_paid"],
                                facts["withdrawal_applied"], on)


CALCULATORS: Final[Mapping[str, Calculator]] = MappingProxyType({calc.topic: calc for calc in (
    Calculator("visa_types", (Question("stay_length", "utter_ask_stay_length"),), _visa,
               clear=_visa_length_is_clear),
    Calculator("overstay_penalty", (Question("permit_expiry", "utter_ask_overstay_expiry"),),
               _overstay, reads=("stay_length",),
               replaces=(("permit_expiry", "stay_length"),), usually_past=True),
    Calculator("dependents", (Question("graduate_full_time", "utter_ask_graduate_full_time"),
                              Question("permit_expiry", "utter_ask_own_permit_end")),
               _dependents, reads=("family_until",)),
    Calculator("work_study", (Question("university_consent", "utter_ask_work_consent"),
                              Question("work_annotation", "utter_ask_work_annotation"),
                              Question("within_limits", "utter_ask_work_within_limits")),
               _work_study),
    Calculator("invite_visiting_scholar",
               (Question("arrival", "utter_ask_scholar_arrival"),
                Question("departure", "utter_ask_scholar_departure")),
               _visiting_scholar, reads=("stay_length",),
               replaces=(("departure", "stay_length"),),
               impossible="utter_departure_before_arrival"),
    Calculator("automatic_withdrawal", (Question("fees_paid", "utter_ask_fees_paid"),
                                        Question("withdrawal_applied",
                                                 "utter_ask_withdrawal_applied"),
                                        Question("permit_expiry", "utter_ask_withdrawal_expiry")),
               _withdrawal),
)})


# ----------------------------------------------------------------------------- which facts


def _samples(fact: Fact, on: date) -> tuple[Any, ...]:
    """Values to try a fact with: enough to see whether the rule's answer depends on it."""
    if fact.kind == DATE:
        return tuple(on + timedelta(days=offset) for offset in (-45, 45, 400))
    if fact.kind == LENGTH:
        return (StayLength(days=10), StayLength(months=24))
    return (True, False)


def _outcome(calc: Calculator, code: str, facts: Mapping[str, Any], on: date) -> Decision | None:
    try:
        return calc.decide(code, facts, on)
    except ValueError:
        return None  # contradictory facts (a departure before the arrival)


def _matters(calc: Calculator, code: str, facts: Facts, name: str, on: date) -> bool:
    """Whether trying values of ``name`` changes the answer (for some values of the facts
    still unknown)."""
    others = [q.fact for q in calc.asks if q.fact != name and q.fact not in facts]
    trials = itertools.product(*(_samples(FACTS[other], on) for other in others))
    for values in trials:
        base = {**facts, **dict(zip(others, values, strict=True))}
        outcomes = {_outcome(calc, code, {**base, name: value}, on)
                    for value in _samples(FACTS[name], on)}
        if len(outcomes) > 1:
            return True
    return False


def needed_facts(calc: Calculator, code: str, facts: Facts, on: date) -> list[str]:
    """The facts still to ask for, in order: unknown ones that can change the answer."""
    return [q.fact for q in calc.asks
            if q.fact not in facts and _matters(calc, code, facts, q.fact, on)]


def merge(calc: Calculator, known: Facts, new: Facts) -> Facts:
    """The known facts updated with newly read ones (which drop the facts they replace)."""
    merged = dict(known)
    for first, second in calc.replaces:
        if first in new:
            merged.pop(second, None)
        if second in new:
            merged.pop(first, None)
    merged.update(new)
    return merged


def check(calc: Calculator, code: str, known: Facts, new: Facts, on: date) -> tuple[Facts, str]:
    """The known facts with the new ones, unless they cannot be used: then the known facts
    and the response saying why ("" when all is well)."""
    merged = merge(calc, known, new)
    if not calc.clear(merged):
        return known, _UNREADABLE[LENGTH]
    complete = not needed_facts(calc, code, merged, on)
    if complete and _outcome(calc, code, _complete(calc, merged, on), on) is None:
        return known, calc.impossible
    return merged, ""


def _complete(calc: Calculator, facts: Facts, on: date) -> Facts:
    """The facts with any fact that does not matter filled in (the rule needs a value)."""
    filled = dict(facts)
    for question in calc.asks:
        filled.setdefault(question.fact, _samples(FACTS[question.fact], on)[0])
    return filled


def decide(calc: Calculator, code: str, facts: Facts, on: date) -> Decision | None:
    """The rule's decision once no fact is missing, else None."""
    if needed_facts(calc, code, facts, on):
        return None
    return _outcome(calc, code, _complete(calc, facts, on), on)


# ----------------------------------------------------------------------------- the dialogue


def _intent(tracker: Tracker) -> str:
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


def _text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def current(tracker: Tracker) -> tuple[Calculator | None, Facts]:
    """The calculation under way and the facts gathered for it."""
    stored = tracker.get_slot(FACTS_SLOT)
    if not isinstance(stored, dict):
        return None, {}
    calc = CALCULATORS.get(str(stored.get("topic")))
    facts = stored.get("facts")
    return calc, decode(facts) if calc and isinstance(facts, dict) else {}


def general_only(tracker: Tracker, calc: Calculator, facts: Facts) -> Decision | None:
    """The general rule, when the question itself gives none of the calculation's facts
    ("can I get a stay permit twice?"): it is answered with the rule and an invitation to
    give one's own facts, and nothing is asked. None otherwise."""
    if _intent(tracker) != calc.topic or facts:
        return None
    return general_answer(calc.topic, institution(tracker))


def stored(calc: Calculator, facts: Facts) -> dict[str, Any]:
    """The value of `calculator_facts` for these facts."""
    return {"topic": calc.topic, "facts": encode(facts)}


def read_message(calc: Calculator, text: str, lang: str, asked: str | None = None) -> Facts:
    """The facts of ``calc`` that ``text`` states."""
    return read_facts(calc.facts, text, today(), lang, calc.usually_past, asked)


class ActionNewCalculation(Action):
    """Starts a calculation with the facts the question gives; without them, says the rule.

    Asked again while the same calculation runs (an answer phrased as a question), the facts
    gathered so far are kept.
    """

    def name(self) -> str:
        return "action_new_calculation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        calc = CALCULATORS.get(_intent(tracker))
        if calc is None:
            return [SlotSet(FACTS_SLOT, None)]
        running, known = current(tracker)
        if running is not calc or tracker.active_loop_name != FORM:
            known = {}
        code, lang = institution(tracker), language(tracker)
        facts, problem = check(calc, code, known, read_message(calc, _text(tracker), lang),
                               today())
        if problem:
            dispatcher.utter_message(response=problem)
        if facts and needed_facts(calc, code, facts, today()):
            # Some facts given, some missing: the rule first, then the questions. (No facts
            # at all: action_answer_calculation gives the rule alone.)
            general = general_answer(calc.topic, code)
            if general is not None:
                dispatcher.utter_message(text=general.render(lang))
                dispatcher.utter_message(response="utter_for_your_case")
        return [SlotSet(FACTS_SLOT, stored(calc, facts)), SlotSet(ANSWER_SLOT, None)]


class ValidateCalculatorForm(ListeningFormValidation):
    """Reads each answer (and any other fact it gives) until the rule can decide."""

    def name(self) -> str:
        return "validate_calculator_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        calc, facts = current(tracker)
        if calc is None or not needed_facts(calc, institution(tracker), facts, today()):
            return []
        if general_only(tracker, calc, facts) is not None:
            return []  # the question gave no facts: the general rule answers it
        return [ANSWER_SLOT]

    def validate_calculator_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        calc, known = current(tracker)
        code = institution(tracker)
        needed = needed_facts(calc, code, known, today()) if calc else []
        if calc is None or not needed:
            return {ANSWER_SLOT: None}
        asked = needed[0]
        new = read_message(calc, str(value or ""), language(tracker), asked)
        intent = _intent(tracker)
        if FACTS[asked].kind == YES_NO and intent in ("affirm", "deny"):
            new[asked] = intent == "affirm"  # a button, or "yes"/"是" understood as such
        facts, problem = check(calc, code, known, new, today())
        if problem:
            dispatcher.utter_message(response=problem)
        elif asked not in facts and not new:
            dispatcher.utter_message(response=_UNREADABLE[FACTS[asked].kind])
        return {ANSWER_SLOT: None, FACTS_SLOT: stored(calc, facts)}


class ActionAskCalculatorAnswer(Action):
    """Asks for the next fact the rule needs, in that fact's own words."""

    def name(self) -> str:
        return "action_ask_calculator_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        calc, facts = current(tracker)
        needed = needed_facts(calc, institution(tracker), facts, today()) if calc else []
        if calc is not None and needed:
            dispatcher.utter_message(response=calc.question(needed[0]))
        return []


class ActionAnswerCalculation(Action):
    """Answers with the rule's decision and its articles; a form it interrupted resumes."""

    def name(self) -> str:
        return "action_answer_calculation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        calc, facts = current(tracker)
        code = institution(tracker)
        decision = decide(calc, code, facts, today()) if calc else None
        general = general_only(tracker, calc, facts) if calc and decision is None else None
        if calc is not None and general is not None:
            tell(dispatcher, general, language(tracker), calc.topic)
            dispatcher.utter_message(response="utter_tell_me_your_case")
            return resume_interrupted_form(tracker, domain, FORM)
        if calc is None or decision is None:
            dispatcher.utter_message(response="utter_default")
            return []
        tell(dispatcher, with_institution_answer(decision, calc.topic, code), language(tracker),
             calc.topic)
        return resume_interrupted_form(tracker, domain, FORM)


class ActionCorrectCalculation(Action):
    """After an answer, "actually it's two years": the earlier facts with the correction.

    The form then checks them and answers again at once (or asks what the change now needs).
    """

    def name(self) -> str:
        return "action_correct_calculation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        calc, known = current(tracker)
        if calc is None:
            return []
        new = read_message(calc, _text(tracker), language(tracker))
        facts, problem = check(calc, institution(tracker), known, new, today())
        if problem:
            dispatcher.utter_message(response=problem)
        return [SlotSet(FACTS_SLOT, stored(calc, facts)), SlotSet(ANSWER_SLOT, None)]
