"""Questions a rule of `knowledge` answers for the person's own case (which visa for their
length of study, the overstay penalty since their expiry date, ...): the dialogue around
`knowledge.calculations`, which says which facts still matter and decides.

One form (`calculator_form`) serves them all. `action_new_calculation` reads the facts the
question already gives; the form then asks, one at a time, only for the facts that can still
change the answer at the person's university, and `action_answer_calculation` gives the
decision with its articles. A question without facts first gets the general rule, so it is
useful even when the person does not go on. Answers gather in the slot `calculator_facts`;
the form reads each answer through the single slot `calculator_answer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import institution, language, today
from actions.facts import FACTS, Fact, decode, encode, read_facts
from actions.faq import general_answer, tell, with_institution_answer
from actions.loops import ListeningFormValidation, resume_interrupted_form
from knowledge import Decision
from knowledge.calculations import (
    CALCULATIONS,
    DATE,
    LENGTH,
    YES_NO,
    Calculation,
    Facts,
    Problem,
    check,
    decide,
    needed_facts,
)

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
class Calculator:
    """A calculation of `knowledge.calculations` as the dialogue runs it.

    ``questions``: the response asking each fact the calculation asks for. ``usually_past``: a
    date without a year is the last such day ("it expired on 3 March"). ``impossible``: what to
    say when the facts contradict each other.
    """

    calculation: Calculation
    questions: Mapping[str, str]
    usually_past: bool = False
    impossible: str = "utter_invalid_date"

    @property
    def topic(self) -> str:
        """The intent that starts the calculation."""
        return self.calculation.topic

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact the topic uses, asked ones first."""
        return tuple(FACTS[name] for name in self.calculation.facts)

    def question(self, fact: str) -> str:
        """The response asking for ``fact``."""
        return self.questions[fact]


CALCULATORS: Final[Mapping[str, Calculator]] = MappingProxyType({calc.topic: calc for calc in (
    Calculator(CALCULATIONS["visa_types"], {"stay_length": "utter_ask_stay_length"}),
    Calculator(CALCULATIONS["overstay_penalty"], {"permit_expiry": "utter_ask_overstay_expiry"},
               usually_past=True),
    Calculator(CALCULATIONS["dependents"],
               {"graduate_full_time": "utter_ask_graduate_full_time",
                "permit_expiry": "utter_ask_own_permit_end"}),
    Calculator(CALCULATIONS["work_study"],
               {"university_consent": "utter_ask_work_consent",
                "work_annotation": "utter_ask_work_annotation",
                "within_limits": "utter_ask_work_within_limits"}),
    Calculator(CALCULATIONS["invite_visiting_scholar"],
               {"arrival": "utter_ask_scholar_arrival",
                "departure": "utter_ask_scholar_departure"},
               impossible="utter_departure_before_arrival"),
    Calculator(CALCULATIONS["automatic_withdrawal"],
               {"fees_paid": "utter_ask_fees_paid",
                "withdrawal_applied": "utter_ask_withdrawal_applied",
                "permit_expiry": "utter_ask_withdrawal_expiry"}),
)})


# ----------------------------------------------------------------------------- the dialogue


def _needed(calc: Calculator, code: str, facts: Facts) -> list[str]:
    """The facts still to ask for, in order."""
    return needed_facts(calc.calculation, code, facts, today())


def _check(calc: Calculator, code: str, known: Facts, new: Facts) -> tuple[Facts, str]:
    """The known facts with the new ones, unless they cannot be used: then the known facts
    and the response saying why ("" when all is well)."""
    facts, problem = check(calc.calculation, code, known, new, today())
    if problem is Problem.UNCLEAR:
        return facts, _UNREADABLE[LENGTH]  # a length at the edge of a limit (the visa's 180 days)
    if problem is Problem.IMPOSSIBLE:
        return facts, calc.impossible
    return facts, ""


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
        facts, problem = _check(calc, code, known, read_message(calc, _text(tracker), lang))
        if problem:
            dispatcher.utter_message(response=problem)
        if facts and _needed(calc, code, facts):
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
        if calc is None or not _needed(calc, institution(tracker), facts):
            return []
        if general_only(tracker, calc, facts) is not None:
            return []  # the question gave no facts: the general rule answers it
        return [ANSWER_SLOT]

    def validate_calculator_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        calc, known = current(tracker)
        code = institution(tracker)
        needed = _needed(calc, code, known) if calc else []
        if calc is None or not needed:
            return {ANSWER_SLOT: None}
        asked = needed[0]
        new = read_message(calc, str(value or ""), language(tracker), asked)
        intent = _intent(tracker)
        if FACTS[asked].kind == YES_NO and intent in ("affirm", "deny"):
            new[asked] = intent == "affirm"  # a button, or "yes"/"是" understood as such
        facts, problem = _check(calc, code, known, new)
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
        needed = _needed(calc, institution(tracker), facts) if calc else []
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
        decision = decide(calc.calculation, code, facts, today()) if calc else None
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
        facts, problem = _check(calc, institution(tracker), known, new)
        if problem:
            dispatcher.utter_message(response=problem)
        return [SlotSet(FACTS_SLOT, stored(calc, facts)), SlotSet(ANSWER_SLOT, None)]
