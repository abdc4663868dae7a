"""The NLU evaluation's own arithmetic (scripts/nlu_eval.py), without training anything."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import nlu_eval
from nlu_eval import FALLBACK, Prediction, confused_pairs, gibberish, with_fallback


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
    chinese = [text for text, _ in first if nlu_eval._HAN.search(text)]
    assert len(chinese) == 100
