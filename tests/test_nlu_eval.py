"""The NLU evaluation's own arithmetic (scripts/nlu_eval.py), without training anything."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import nlu_eval
from nlu_eval import FALLBACK, Prediction, confused_pairs, gibberish, with_fallback

from engine.languages import HAN

# The figures come from sklearn.metrics, as they do where the script runs (.venv-rasa).
needs_sklearn = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                   reason="scikit-learn is not installed in this environment")


def test_other_thresholds_replay_the_classifiers_own_ranking() -> None:
    sure = Prediction("visa?", "visa_types", "visa_types", confidence=0.6, margin=0.3,
                      best="visa_types")
    close = Prediction("hm", "greet", FALLBACK, confidence=0.3, margin=0.01, best="greet")
    assert with_fallback(sure, 0.5, 0.05) == "visa_types"
    assert with_fallback(sure, 0.7, 0.05) == FALLBACK
    assert with_fallback(close, 0.25, 0.0) == "greet"
    assert with_fallback(close, 0.25, 0.02) == FALLBACK


def test_an_unfamiliar_message_falls_back_at_every_threshold() -> None:
    mash = Prediction("镀弋", FALLBACK, FALLBACK, confidence=0.86, margin=0.8, best="affirm",
                      unfamiliar=True)
    assert with_fallback(mash, 0.0, 0.0) == FALLBACK


def test_confused_pairs_count_both_directions_and_leave_out_the_fallback() -> None:
    predictions = [Prediction("a", "stop", "deny"), Prediction("b", "deny", "stop"),
                   Prediction("c", "stop", FALLBACK), Prediction("d", "stop", "stop"),
                   Prediction("e", "help", "out_of_scope")]
    assert confused_pairs(predictions) == ["- deny ↔ stop: 2", "- help ↔ out_of_scope: 1"]


def test_the_gibberish_is_the_same_every_run_and_in_both_scripts() -> None:
    first, second = gibberish(), gibberish()
    assert first == second and len(first) == 200
    chinese = [text for text, _ in first if HAN.search(text)]
    assert len(chinese) == 100


@needs_sklearn
def test_the_fold_models_spread_is_median_lowest_and_highest_per_language() -> None:
    def run(wrong: int) -> list[Prediction]:
        english = [Prediction(f"q{i}", "help", "help") for i in range(4)]
        english += [Prediction(f"w{i}", "help", "greet") for i in range(wrong)]
        return [*english, Prediction("你好", "greet", "greet")]

    figures = {s.language: s for s in nlu_eval.spread([run(0), run(1), run(4)])}
    english = figures["en"]
    assert english.models == 3
    assert english.accuracy == (0.8, 0.5, 1.0)
    assert figures["zh"].accuracy == (1.0, 1.0, 1.0)
    assert "0.800 (0.500–1.000)" in "\n".join(nlu_eval.spread_report("t", [english]))


@needs_sklearn
def test_f1_agrees_with_its_definition_on_a_small_case() -> None:
    # help: 2 right, expected 3 times, given 2 times -> F1 = 4/5; greet: 1 right, expected
    # once, given twice -> 2/3; out_of_scope never expected, so not averaged.
    predictions = [Prediction("a", "help", "help"), Prediction("b", "help", "help"),
                   Prediction("c", "help", "greet"), Prediction("d", "greet", "greet")]
    assert nlu_eval.f1_by_intent(predictions) == {"greet": 2 / 3, "help": 0.8}
    (english,) = nlu_eval.scores(predictions)
    assert english.macro_f1 == (0.8 + 2 / 3) / 2 and english.accuracy == 0.75
    assert nlu_eval.weakest_intents(predictions)[0] == "- English: greet 0.67"


@needs_sklearn
def test_a_fallback_or_an_intent_never_expected_counts_as_a_miss_not_as_an_intent() -> None:
    # Worked by hand. help: 2 right, expected 3 times, given 3 times (a, b, d) -> 4/6;
    # stop: 1 right, expected once, given twice -> 2/3; greet and deny never right -> 0;
    # nlu_fallback never expected, so not averaged: macro-F1 (2/3 + 2/3 + 0 + 0) / 4 = 1/3.
    english = [Prediction("a", "help", "help"), Prediction("b", "help", "help"),
               Prediction("c", "help", FALLBACK), Prediction("d", "greet", "help"),
               Prediction("e", "stop", "stop"), Prediction("f", "deny", "stop")]
    predictions = [*english, Prediction("你好", "greet", "greet")]
    assert nlu_eval.f1_by_intent(english) == pytest.approx(
        {"deny": 0.0, "greet": 0.0, "help": 2 / 3, "stop": 2 / 3})
    figures = {s.language: s for s in nlu_eval.scores(predictions)}
    assert (figures["en"].examples, figures["zh"].examples) == (6, 1)
    assert figures["en"].macro_f1 == pytest.approx(1 / 3)
    assert figures["en"].accuracy == 0.5
    assert (figures["zh"].macro_f1, figures["zh"].accuracy) == (1.0, 1.0)
    assert nlu_eval.weakest_intents(predictions) == [
        "- English: deny 0.00, greet 0.00, help 0.67, stop 0.67", "- Chinese: none"]
    assert nlu_eval.f1_by_intent([]) == {} and nlu_eval.scores([]) == []


def _kept(text: str, expected: str, earlier: dict[str, float],
          regression: dict[str, float]) -> Prediction:
    return Prediction(text, expected, "?", earlier=earlier, regression=regression)


def test_other_blend_weights_replay_the_two_kept_rankings() -> None:
    diet_right = _kept("lost my passport", "lost_passport",
                       {"lost_passport": 0.7, "lost_permit": 0.3}, {"lost_permit": 0.6,
                                                                    "lost_passport": 0.4})
    assert nlu_eval.with_blend(diet_right, 0.0, 0.25, 0.02) == "lost_passport"
    assert nlu_eval.with_blend(diet_right, 1.0, 0.25, 0.02) == "lost_permit"
    # 0.5: 0.55 against 0.45, ahead by more than the ambiguity threshold.
    assert nlu_eval.with_blend(diet_right, 0.5, 0.25, 0.02) == "lost_passport"
    assert nlu_eval.with_blend(diet_right, 0.5, 0.25, 0.2) == FALLBACK


def test_a_blend_replay_keeps_the_fallback_for_unfamiliar_and_unsure_messages() -> None:
    mash = Prediction("镀弋", FALLBACK, FALLBACK, unfamiliar=True,
                      earlier={"affirm": 0.9}, regression={"affirm": 0.9})
    assert nlu_eval.with_blend(mash, 0.5, 0.25, 0.02) == FALLBACK
    unsure = _kept("hm", "greet", {"greet": 0.2, "help": 0.1}, {"greet": 0.2})
    assert nlu_eval.with_blend(unsure, 0.5, 0.25, 0.0) == FALLBACK


def test_a_model_that_kept_no_opinions_replays_its_own_intent() -> None:
    assert nlu_eval.with_blend(Prediction("hi", "greet", "help"), 0.3, 0.25, 0.02) == "help"


@needs_sklearn
def test_the_blend_table_scores_each_language_at_each_weight_and_marks_the_setting() -> None:
    english = _kept("lost my passport", "lost_passport",
                    {"lost_passport": 0.7, "lost_permit": 0.3}, {"lost_permit": 0.9,
                                                                 "lost_passport": 0.1})
    chinese = _kept("护照丢了", "lost_passport",
                    {"lost_permit": 0.6, "lost_passport": 0.4}, {"lost_passport": 1.0})
    table = nlu_eval.blend_tradeoff([english, chinese], {"en": 0.2, "zh": 0.8}, (0.25, 0.02))
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1:] for line in table[2:]}
    assert len(rows) == 11
    # English is right while DIET's 0.7 outweighs: up to weight 0.3 (0.52 against 0.48).
    assert rows["0.3"][0] == "1.000" and rows["0.4"][0] == "0.000"
    assert rows["0.2"][0] == "1.000 ◀" and rows["0.8"][2] == "1.000 ◀"
    # Chinese is right from weight 0.2 on (0.52 against 0.48), when the logistic
    # regression's 1.0 outweighs DIET's 0.6.
    assert rows["0.1"][2] == "0.000" and rows["0.2"][2] == "1.000"


def test_the_fold_models_keep_the_opinions_with_the_rest_of_config_yml(tmp_path: Path) -> None:
    import yaml

    written = yaml.safe_load(nlu_eval.fold_config(tmp_path).read_text("utf-8"))
    original = yaml.safe_load((nlu_eval.REPO_ROOT / "config.yml").read_text("utf-8"))
    blenders = [c for c in written["pipeline"] if c["name"].endswith(nlu_eval.BLENDER)]
    assert [c.pop("keep_opinions") for c in blenders] == [True]
    assert written == original
    # Without DIET before it the regression decides alone: no weights to replay.
    has_diet = any(c["name"] == "DIETClassifier" for c in original["pipeline"])
    assert nlu_eval.blend_setting() == (dict(blenders[0].get("weights") or {}) if has_diet
                                        else {})
