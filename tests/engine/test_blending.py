"""Two classifiers' intent confidences made into one (engine/blending.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.blending import blend, second_opinion_weight
from engine.languages import message_language

DIET = {"lost_passport": 0.6, "lost_permit": 0.3, "carry_passport": 0.1}
REGRESSION = {"lost_permit": 0.7, "lost_passport": 0.2, "greet": 0.1}


def test_weight_zero_keeps_the_first_classifiers_ranking() -> None:
    assert [name for name, _ in blend(DIET, REGRESSION, 0.0)][:3] == [
        "lost_passport", "lost_permit", "carry_passport"]


def test_weight_one_keeps_the_second_classifiers_ranking() -> None:
    assert [name for name, _ in blend(DIET, REGRESSION, 1.0)][:3] == [
        "lost_permit", "lost_passport", "greet"]


def test_an_even_blend_is_the_mean_of_the_two_confidences() -> None:
    blended = dict(blend(DIET, REGRESSION, 0.5))
    assert blended == pytest.approx({"lost_permit": 0.5, "lost_passport": 0.4,
                                     "carry_passport": 0.05, "greet": 0.05})


def test_an_intent_only_one_classifier_ranked_counts_zero_for_the_other() -> None:
    assert dict(blend(DIET, REGRESSION, 0.25))["greet"] == pytest.approx(0.025)


def test_ties_are_ordered_by_intent_name() -> None:
    assert blend({"b": 0.5, "a": 0.5}, {}, 0.0) == [("a", 0.5), ("b", 0.5)]


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_a_weight_outside_zero_to_one_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        blend(DIET, REGRESSION, weight)


@pytest.mark.parametrize(("text", "language"), [
    ("I lost my passport", "en"), ("我的护照丢了", "zh"), ("my 护照 is gone", "zh"),
    ("85%", "en"), ("", "en"),
])
def test_a_message_with_chinese_characters_is_chinese(text: str, language: str) -> None:
    assert message_language(text) == language


@pytest.mark.parametrize(("text", "weight"), [
    ("how long is my permit", 0.2), ("居留许可多久", 0.8), ("2026-03-05", 0.2),
])
def test_the_weight_follows_the_language_of_the_message(text: str, weight: float) -> None:
    assert second_opinion_weight(text, {"en": 0.2, "zh": 0.8}) == weight


def test_a_language_the_configuration_does_not_name_gets_an_even_blend() -> None:
    assert second_opinion_weight("居留许可多久", {"en": 0.2}) == 0.5


confidences = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]),
                              st.floats(0.0, 1.0), max_size=5)


@given(confidences, confidences, st.floats(0.0, 1.0))
def test_a_blended_confidence_lies_between_the_two_it_comes_from(
    first: dict[str, float], second: dict[str, float], weight: float
) -> None:
    for name, value in blend(first, second, weight):
        low, high = sorted((first.get(name, 0.0), second.get(name, 0.0)))
        assert low - 1e-12 <= value <= high + 1e-12


@given(confidences, confidences, st.floats(0.0, 1.0))
def test_the_ranking_is_best_first_and_names_every_intent_once(
    first: dict[str, float], second: dict[str, float], weight: float
) -> None:
    ranking = blend(first, second, weight)
    assert sorted(name for name, _ in ranking) == sorted(set(first) | set(second))
    values = [value for _, value in ranking]
    assert values == sorted(values, reverse=True)
