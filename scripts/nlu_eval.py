"""How well the assistant understands English and Chinese: intent figures per language.

Run with the Rasa engine's Python (it trains Rasa models):

    .venv-rasa/bin/python scripts/nlu_eval.py            # everything (8 minutes on 2 quiet cores)
    .venv-rasa/bin/python scripts/nlu_eval.py --folds 0  # held-out paraphrases only

It prints, for English and for Chinese:

* k-fold cross-validation (default 5) on the training data (data/nlu): intent macro-F1 and
  accuracy of models trained on the other folds;
* the same k fold models on the held-out paraphrases (tests/nlu/*.yml, never used for
  training): median and range of their macro-F1 and accuracy, so that a difference in the
  second decimal can be told from the run-to-run spread;
* macro-F1 and accuracy on the held-out paraphrases (tests/nlu/*.yml, never used for
  training) of a full model (NLU and dialogue) trained on data/ as `make train` does,
  and how long that training took on this machine.

It writes the confusion matrix of the paraphrase test to docs/nlu/confusion_paraphrases.png
and the figures to docs/nlu/figures.md and docs/nlu/figures.json.
A message counts as understood only when the pipeline's final intent is right: a message
the FallbackClassifier turns into nlu_fallback counts as a miss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs" / "nlu"
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
FALLBACK = "nlu_fallback"
BLENDER = "BlendedIntentClassifier"

log = logging.getLogger("nlu_eval")


@dataclass(frozen=True)
class Scores:
    """Intent figures of one language on one test."""

    language: str
    examples: int
    macro_f1: float
    accuracy: float


@dataclass(frozen=True)
class Prediction:
    """One test message, its true intent and the intent the pipeline gave it."""

    text: str
    expected: str
    predicted: str
    # The classifier's own best intent before the fallback had its say: its confidence, and
    # how far ahead of the second intent it is.
    confidence: float = 1.0
    margin: float = 1.0
    best: str = ""
    unfamiliar: bool = False  # the fallback's familiarity check alone turns it away
    # The two rankings the BlendedIntentClassifier blended (DIET's, the logistic
    # regression's), when the model was trained to keep them: to replay other weights.
    earlier: Mapping[str, float] | None = None
    regression: Mapping[str, float] | None = None

    @property
    def language(self) -> str:
        """ "zh" when the message has Chinese characters, else "en"."""
        from engine.languages import message_language

        return message_language(self.text)


def f1_by_intent(predictions: Sequence[Prediction]) -> dict[str, float]:
    """F1 of every intent the test expects somewhere (0 where it is never found right)."""
    from sklearn.metrics import f1_score

    if not predictions:
        return {}
    intents = sorted({p.expected for p in predictions})
    values = f1_score([p.expected for p in predictions], [p.predicted for p in predictions],
                      labels=intents, average=None, zero_division=0)
    return {intent: float(value) for intent, value in zip(intents, values, strict=True)}


def scores(predictions: Sequence[Prediction]) -> list[Scores]:
    """Macro-F1 (over the intents the test expects, so a prediction of nlu_fallback or of
    an intent the test never expects counts only as a miss) and accuracy, per language."""
    from sklearn.metrics import accuracy_score, f1_score

    result = []
    for lang in LANGUAGE_NAMES:
        subset = [p for p in predictions if p.language == lang]
        if not subset:
            continue
        expected, predicted = [p.expected for p in subset], [p.predicted for p in subset]
        macro_f1 = f1_score(expected, predicted, labels=sorted(set(expected)),
                            average="macro", zero_division=0)
        result.append(Scores(lang, len(expected), float(macro_f1),
                             float(accuracy_score(expected, predicted))))
    return result


def load_examples(path: Path):  # type: ignore[no-untyped-def]
    """Rasa training data from a file or a directory of NLU YAML files."""
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(path))


async def predict(
    model: Path, examples: Sequence[tuple[str, str]], known: frozenset[str] = frozenset()
) -> list[Prediction]:
    """The pipeline's final intent for each (text, intent) pair; ``known``: the pieces of the
    model's training texts (engine/familiarity.py), to tell which messages are unfamiliar."""
    from rasa.core.agent import Agent

    from engine.blending import OPINIONS
    from engine.familiarity import familiarity

    least = min_familiarity()
    agent = Agent.load(str(model))
    found = []
    for text, intent in examples:
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK]
        share = familiarity(text, known) if known else None
        scores = [float(r.get("confidence") or 0.0) for r in ranking] + [0.0, 0.0]
        opinions = parsed.get(OPINIONS) or {}
        found.append(Prediction(text, intent, str((parsed.get("intent") or {}).get("name")),
                                confidence=scores[0], margin=scores[0] - scores[1],
                                best=str(ranking[0].get("name")) if ranking else FALLBACK,
                                unfamiliar=share is not None and share < least,
                                earlier=opinions.get("earlier"),
                                regression=opinions.get("regression")))
    return found


def gibberish(count: int = 200) -> list[tuple[str, str]]:
    """Keyboard mash in Latin letters and random Chinese characters (fixed seed): what the
    fallback should catch."""
    import random

    rng = random.Random(7)
    letters = "qwertyuiopasdfghjklzxcvbnm"
    texts = []
    for number in range(count):
        if number % 2:
            texts.append("".join(chr(rng.randint(0x4E00, 0x9FA5))
                                 for _ in range(rng.randint(2, 8))))
        else:
            texts.append(" ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
                                  for _ in range(rng.randint(1, 3))))
    return [(text, FALLBACK) for text in texts]


def with_fallback(p: Prediction, threshold: float, ambiguity: float) -> str:
    """The final intent of a prediction under other fallback thresholds (an unfamiliar
    message falls back whatever they are)."""
    if p.unfamiliar:
        return FALLBACK
    return p.best if p.confidence >= threshold and p.margin >= ambiguity else FALLBACK


def fallback_tradeoff(
    predictions: Sequence[Prediction], noise: Sequence[Prediction], current: tuple[float, float]
) -> list[str]:
    """Lines of a table: for fallback thresholds, the cross-validation accuracy per language
    and the share of gibberish the fallback catches."""
    lines = ["| Threshold | Ambiguity | Accuracy English | Accuracy Chinese | "
             "Gibberish caught |", "|---|---|---|---|---|"]
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        for ambiguity in (0.0, 0.02, 0.05):
            accuracy = []
            for lang in LANGUAGE_NAMES:
                subset = [p for p in predictions if p.language == lang]
                right = sum(with_fallback(p, threshold, ambiguity) == p.expected
                            for p in subset)
                accuracy.append(f"{right / max(len(subset), 1):.3f}")
            caught = sum(with_fallback(p, threshold, ambiguity) == FALLBACK for p in noise)
            mark = " (config.yml)" if (threshold, ambiguity) == current else ""
            lines.append(f"| {threshold:.2f}{mark} | {ambiguity:.2f} | {accuracy[0]} | "
                         f"{accuracy[1]} | {caught / max(len(noise), 1):.2f} |")
    return lines


def with_blend(p: Prediction, weight: float, threshold: float, ambiguity: float) -> str:
    """The final intent of a prediction if the blend gave the logistic regression another
    weight (the intent it was given when the model kept no opinions)."""
    from engine.blending import blend

    if p.earlier is None or p.regression is None:
        return p.predicted
    ranking = [*blend(p.earlier, p.regression, weight), (FALLBACK, 0.0), (FALLBACK, 0.0)]
    (best, first), (_, second) = ranking[0], ranking[1]
    if p.unfamiliar or first < threshold or first - second < ambiguity:
        return FALLBACK
    return best


def blend_tradeoff(
    predictions: Sequence[Prediction], current: Mapping[str, float],
    fallback: tuple[float, float],
) -> list[str]:
    """Lines of a table: for weights of the logistic regression in the blend, the
    cross-validation macro-F1 and accuracy per language (a language's weight changes only
    its own messages)."""
    lines = ["| Weight | Macro-F1 English | Accuracy English | Macro-F1 Chinese | "
             "Accuracy Chinese |", "|---|---|---|---|---|"]
    for tenth in range(11):
        weight = tenth / 10
        cells = []
        for lang in LANGUAGE_NAMES:
            replayed = [Prediction(p.text, p.expected, with_blend(p, weight, *fallback))
                        for p in predictions if p.language == lang]
            (figures,) = scores(replayed) or [Scores(lang, 0, 0.0, 0.0)]
            mark = " ◀" if abs(current.get(lang, -1.0) - weight) < 1e-9 else ""
            cells += [f"{figures.macro_f1:.3f}{mark}", f"{figures.accuracy:.3f}{mark}"]
        lines.append(f"| {weight:.1f} | " + " | ".join(cells) + " |")
    return lines


def _pipeline_component(suffix: str) -> dict[str, object]:
    import yaml

    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config.get("pipeline") or []:
        if str(component.get("name")).endswith(suffix):
            return dict(component)
    return {}


def _fallback_config() -> dict[str, object]:
    return _pipeline_component("FallbackClassifier")


def blend_setting() -> dict[str, float]:
    """The logistic regression's weight per language in config.yml (empty without a blend:
    no BlendedIntentClassifier, or no DIETClassifier before it to blend with)."""
    component = _pipeline_component(BLENDER)
    if not component or not _pipeline_component("DIETClassifier"):
        return {}
    from engine.blending import DEFAULT_WEIGHT

    weights = component.get("weights", {lang: DEFAULT_WEIGHT for lang in LANGUAGE_NAMES})
    assert isinstance(weights, dict), f"{BLENDER} weights: a weight per language"
    return {str(lang): float(weight) for lang, weight in weights.items()}


def fold_config(work: Path) -> Path:
    """config.yml for the fold models: the same pipeline, whose blend also keeps the two
    rankings it blended (prediction unchanged), so that other weights can be replayed."""
    import yaml

    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    for component in config.get("pipeline") or []:
        if str(component.get("name")).endswith(BLENDER):
            component["keep_opinions"] = True
    path = work / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def fallback_setting() -> tuple[float, float]:
    """The fallback classifier's threshold and ambiguity threshold in config.yml."""
    config = _fallback_config()
    return (float(config.get("threshold", 0.3)),  # type: ignore[arg-type]
            float(config.get("ambiguity_threshold", 0.1)))  # type: ignore[arg-type]


def min_familiarity() -> float:
    """The share of a message the training texts must contain (0 without that check)."""
    return float(_fallback_config().get("min_familiarity", 0.0))  # type: ignore[arg-type]


def labelled(training_data) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(text, intent) of every intent example."""
    return [(m.get("text"), m.get("intent")) for m in training_data.intent_examples]


def cross_validate(
    folds: int, work: Path
) -> tuple[list[Prediction], list[Prediction], list[list[Prediction]]]:
    """Predictions for every training example by a model that did not see it, the last fold
    model's predictions on gibberish, and each fold model's predictions on the held-out
    paraphrases (five models trained on four fifths of the data: how much the paraphrase
    figures move with the training run and the data)."""
    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    from engine.familiarity import vocabulary

    data = load_examples(REPO_ROOT / "data" / "nlu")
    examples = data.intent_examples
    intents = [m.get("intent") for m in examples]
    held_out = paraphrases()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=7)
    config = fold_config(work)
    predictions: list[Prediction] = []
    per_fold: list[list[Prediction]] = []
    for number, (train_index, test_index) in enumerate(splitter.split(examples, intents), 1):
        fold = TrainingData(
            training_examples=[examples[i] for i in train_index],
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
        )
        fold_file = work / f"fold{number}.yml"
        fold_file.write_text(fold.nlu_as_yaml(), encoding="utf-8")
        started = time.monotonic()
        model = train_nlu(str(config), str(fold_file), str(work),
                          fixed_model_name=f"fold{number}")
        if model is None:
            raise SystemExit(f"training fold {number} failed")
        log.info("fold %d trained in %.0f s", number, time.monotonic() - started)
        tests = [(examples[i].get("text"), examples[i].get("intent")) for i in test_index]
        known = vocabulary(str(examples[i].get("text")) for i in train_index)
        found = asyncio.run(predict(Path(model), tests + held_out, known))
        predictions += found[:len(tests)]
        per_fold.append(found[len(tests):])
    return predictions, asyncio.run(predict(Path(model), gibberish(), known)), per_fold


@dataclass(frozen=True)
class Spread:
    """One language's figures over several models: median, lowest and highest."""

    language: str
    models: int
    macro_f1: tuple[float, float, float]
    accuracy: tuple[float, float, float]


def spread(per_model: Sequence[Sequence[Prediction]]) -> list[Spread]:
    """Median, lowest and highest macro-F1 and accuracy per language over the models' runs
    on the same test."""
    from statistics import median

    by_language: dict[str, list[Scores]] = {}
    for run in per_model:
        for s in scores(run):
            by_language.setdefault(s.language, []).append(s)

    def summary(values: list[float]) -> tuple[float, float, float]:
        return median(values), min(values), max(values)

    return [Spread(lang, len(runs), summary([s.macro_f1 for s in runs]),
                   summary([s.accuracy for s in runs]))
            for lang, runs in by_language.items()]


def train_full_model(work: Path) -> tuple[Path, float]:
    """A full model (NLU and dialogue) trained on data/ exactly as `make train` does."""
    from rasa.model_training import train

    started = time.monotonic()
    # force_training: Rasa's training cache would otherwise make the time meaningless.
    result = train(str(REPO_ROOT / "domain.yml"), str(REPO_ROOT / "config.yml"),
                   [str(REPO_ROOT / "data")], str(work), fixed_model_name="full",
                   force_training=True)
    if result.code != 0 or result.model is None:
        raise SystemExit("training the full model failed")
    return Path(result.model), time.monotonic() - started


def paraphrases() -> list[tuple[str, str]]:
    """The held-out paraphrases (tests/nlu/*.yml) as (text, intent)."""
    tests: list[tuple[str, str]] = []
    for path in sorted((REPO_ROOT / "tests" / "nlu").glob("*.yml")):
        tests += labelled(load_examples(path))
    return tests


def paraphrase_test(
    work: Path, model: Path | None = None
) -> tuple[list[Prediction], float | None]:
    """Predictions on the held-out paraphrases, and the full training time in seconds (None
    when ``model`` is an existing model, trained earlier)."""
    from engine.familiarity import vocabulary

    seconds: float | None = None
    if model is None:
        model, seconds = train_full_model(work)
    # One event loop for both: the agent's components keep to the loop they were loaded in.
    known = vocabulary(str(m.get("text")) for m in load_examples(REPO_ROOT / "data" / "nlu")
                       .intent_examples)
    return asyncio.run(predict(model, paraphrases() + gibberish(), known)), seconds


def plot_confusion(predictions: Sequence[Prediction], path: Path) -> None:
    """The confusion matrix of a test (both languages) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted({p.expected for p in predictions} | {p.predicted for p in predictions})
    matrix = confusion_matrix([p.expected for p in predictions],
                              [p.predicted for p in predictions], labels=labels)
    size = max(8.0, len(labels) * 0.32)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    for row in range(len(labels)):
        for column in range(len(labels)):
            if matrix[row, column]:
                axes.text(column, row, str(matrix[row, column]), ha="center", va="center",
                          fontsize=5, color="white" if row == column else "red")
    axes.set_xlabel("predicted intent")
    axes.set_ylabel("true intent")
    axes.set_title("Held-out paraphrases (English and Chinese)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def weakest_intents(predictions: Sequence[Prediction], below: float = 0.8) -> list[str]:
    """Lines naming, per language, the intents whose F1 is under ``below`` (worst first)."""
    lines = []
    for lang, name in LANGUAGE_NAMES.items():
        f1 = f1_by_intent([p for p in predictions if p.language == lang])
        weak = sorted((value, intent) for intent, value in f1.items() if value < below)
        lines.append(f"- {name}: " + (", ".join(f"{intent} {value:.2f}" for value, intent in weak)
                                      or "none"))
    return lines


def confused_pairs(predictions: Sequence[Prediction], top: int = 15) -> list[str]:
    """Lines naming the pairs of intents most often taken for one another, with counts."""
    from collections import Counter

    pairs = Counter(tuple(sorted((p.expected, p.predicted))) for p in errors(predictions)
                    if p.predicted != FALLBACK)
    return [f"- {a} ↔ {b}: {n}" for (a, b), n in pairs.most_common(top)]


def write_training_errors(predictions: Sequence[Prediction], path: Path) -> None:
    """Every training example cross-validation got wrong, by intent: for the people who
    maintain the examples (these are training sentences, not test sentences)."""
    lines = ["# Training examples that cross-validation misreads", "",
             "Written by `scripts/nlu_eval.py`. Each example was read by a model trained on "
             "the other folds. An example under the wrong intent, or two intents whose "
             "examples say the same thing, shows up here first.", ""]
    by_intent: dict[str, list[Prediction]] = {}
    for p in errors(predictions):
        by_intent.setdefault(p.expected, []).append(p)
    for intent in sorted(by_intent):
        lines += [f"## {intent}", ""]
        lines += [f"- `{p.text}` → {p.predicted}" for p in by_intent[intent]]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def errors(predictions: Sequence[Prediction]) -> list[Prediction]:
    """The misunderstood messages."""
    return [p for p in predictions if p.expected != p.predicted]


def report(title: str, figures: Sequence[Scores]) -> list[str]:
    """Lines of a table of figures."""
    lines = [f"### {title}", "", "| Language | Examples | Intent macro-F1 | Accuracy |",
             "|---|---|---|---|"]
    lines += [f"| {LANGUAGE_NAMES[s.language]} | {s.examples} | {s.macro_f1:.3f} | "
              f"{s.accuracy:.3f} |" for s in figures]
    return [*lines, ""]


def spread_report(title: str, figures: Sequence[Spread]) -> list[str]:
    """Lines of a table of medians with their range."""
    def cell(values: tuple[float, float, float]) -> str:
        middle, low, high = values
        return f"{middle:.3f} ({low:.3f}–{high:.3f})"

    lines = [f"### {title}", "",
             "| Language | Models | Intent macro-F1, median (range) | Accuracy, median (range) |",
             "|---|---|---|---|"]
    lines += [f"| {LANGUAGE_NAMES[s.language]} | {s.models} | {cell(s.macro_f1)} | "
              f"{cell(s.accuracy)} |" for s in figures]
    return [*lines, ""]


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the evaluation and writes the figures; returns 1 when a language is below target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: skip)")
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--model", type=Path,
                        help="test this trained model (e.g. from `make train`) on the "
                             "paraphrases instead of training one; no training time then")
    args = parser.parse_args(argv)
    os.chdir(REPO_ROOT)  # the config names engine.components and engine/jieba relative to it
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    lines = ["# NLU figures", "", "Written by `scripts/nlu_eval.py`; do not edit by hand.", ""]
    summary: dict[str, object] = {}
    below = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.folds:
            cv_predictions, noise, fold_runs = cross_validate(args.folds, work)
            cv = scores(cv_predictions)
            lines += report(f"{args.folds}-fold cross-validation on data/nlu", cv)
            lines += ["Intents with F1 under 0.8 in cross-validation:", "",
                      *weakest_intents(cv_predictions), "",
                      "Intents most often taken for one another in cross-validation (every "
                      "misread training example: [training_errors.md](training_errors.md)):",
                      "", *confused_pairs(cv_predictions), ""]
            DOCS.mkdir(parents=True, exist_ok=True)
            write_training_errors(cv_predictions, DOCS / "training_errors.md")
            lines += ["Fallback thresholds: cross-validation accuracy if the FallbackClassifier "
                      "used other thresholds, and the share of 200 gibberish messages (keyboard "
                      "mash, random Chinese characters) it would catch. Chosen from this table, "
                      "never from the paraphrases.", "",
                      *fallback_tradeoff(cv_predictions, noise, fallback_setting()), ""]
            if weights := blend_setting():
                lines += ["Blend weights: cross-validation figures if the logistic regression "
                          "had another weight beside DIET (0: DIET alone, 1: the logistic "
                          "regression alone; ◀ config.yml). Chosen from this table, never from "
                          "the paraphrases.", "",
                          *blend_tradeoff(cv_predictions, weights, fallback_setting()),
                          ""]
            summary["cross_validation"] = [s.__dict__ for s in cv]
            fold_paraphrases = spread(fold_runs)
            below = any(s.macro_f1[0] < args.target or s.accuracy[0] < args.target
                        for s in fold_paraphrases)
            lines += spread_report(f"The {args.folds} fold models on the held-out paraphrases "
                                   "(tests/nlu)", fold_paraphrases)
            summary["fold_models_on_paraphrases"] = [s.__dict__ for s in fold_paraphrases]
        predictions, seconds = paraphrase_test(work, args.model)
    noise = [p for p in predictions if p.expected == FALLBACK]
    predictions = [p for p in predictions if p.expected != FALLBACK]
    held_out = scores(predictions)
    below = below or any(s.macro_f1 < args.target or s.accuracy < args.target
                         for s in held_out)
    lines += report("Held-out paraphrases (tests/nlu), model trained on data/", held_out)
    lines += ["Intents with F1 under 0.8 on the paraphrases:", "",
              *weakest_intents(predictions), ""]
    lines += [f"Full training (NLU and dialogue) took {seconds:.0f} s on this machine "
              f"({os.cpu_count()} CPUs)." if seconds is not None
              else f"Model tested: {args.model} (trained earlier; training time not measured).",
              "", f"The fallback caught {sum(p.predicted == FALLBACK for p in noise)} of "
              f"{len(noise)} gibberish messages.", "", "Misunderstood paraphrases:", ""]
    lines += [f"- `{p.text}`: {p.expected} → {p.predicted}" for p in errors(predictions)]
    summary.update(paraphrases=[s.__dict__ for s in held_out], training_seconds=seconds)
    plot_confusion(predictions, DOCS / "confusion_paraphrases.png")
    DOCS.mkdir(parents=True, exist_ok=True)
    (DOCS / "figures.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (DOCS / "figures.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
