"""Two intent classifiers' opinions made into one, with a weight per language.

DIET and a logistic regression over the same features make different mistakes: in
cross-validation the logistic regression read Chinese better, DIET English (docs/nlu/
pipeline_choice.md). The blended confidence of an intent is the weighted mean of the two
confidences, and the weight of the logistic regression depends on the message's language.

No Rasa import here: the project's tests use it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.languages import message_language

DEFAULT_WEIGHT = 0.5  # for a language the configuration gives no weight
# The output key under which the blend, when asked, also returns the two rankings it blended.
OPINIONS = "intent_opinions"


def second_opinion_weight(text: str, weights: Mapping[str, float]) -> float:
    """The weight of the second classifier for this message: by its language,
    DEFAULT_WEIGHT where the configuration names none."""
    return float(weights.get(message_language(text), DEFAULT_WEIGHT))


def blend(
    first: Mapping[str, float], second: Mapping[str, float], weight: float
) -> list[tuple[str, float]]:
    """Every intent either classifier ranked, with ``(1 - weight) * first + weight * second``
    as its confidence (an intent one of them did not rank counts 0 there), best first; ties
    keep the intent names in alphabetical order so that the result never depends on dict
    order."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be between 0 and 1, not {weight}")
    intents = set(first) | set(second)
    blended = {intent: (1.0 - weight) * first.get(intent, 0.0) + weight * second.get(intent, 0.0)
               for intent in intents}
    return sorted(blended.items(), key=lambda item: (-item[1], item[0]))
