"""Checks the training data and the answers, and names exactly what is wrong (`make check-data`).

For the people who maintain the assistant's questions and answers. It reads domain.yml,
data/ and actions/*.py and reports:

* a response without both an English and a Chinese (`condition: language = zh`) variation;
* a response that no rule or story uses (responses that actions send, `response="..."` in
  actions/*.py, and the questions forms ask, `utter_ask_<slot>`, count as used);
* an intent with fewer than 10 English or 10 Chinese examples;
* the same example (ignoring case, spaces, punctuation and entity marks) under two intents;
* an example that copies, or nearly copies, a held-out test sentence: a paraphrase of
  tests/nlu/ or a scripted turn of the test conversations in tests/conversations/;
* an entity mark that starts or ends inside a word as the model's tokenizer (Jieba, with
  the dictionary in engine/jieba) splits the sentence: the model cannot learn that mark;
* a story that answers an intent differently from the rule for that intent;
* a plain question in data/questions/ (docs/maintaining.md) whose answer lacks a language
  or a source, names a university or an article its document does not have, or whose name
  is already an intent; its examples are checked like every other intent's;
* with --rasa, also Rasa's own check of the domain and data, stories against each other
  included (`rasa data validate`, as `rasa train` runs it).

Exit status 0 when everything is fine, 1 when something is wrong.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import functools
import io
import itertools
import logging
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # knowledge/: the universities' documents and articles

from config import questions  # noqa: E402

MIN_EXAMPLES = 10
LEAK_SIMILARITY = 0.9
LANGUAGES = {"en": "English", "zh": "Chinese"}
# Responses Rasa's own actions send (two-stage fallback, default fallback).
BUILT_IN_RESPONSES = frozenset({"utter_default", "utter_ask_rephrase"})

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_RESPONSE_IN_CODE = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
_RESPONSE_PREFIX_IN_CODE = re.compile(r"""f["'](utter_[a-z0-9_]*)\{""")


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is, and what to do about it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yml") if p.is_file()) if folder.is_dir() else []


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def language_of(text: str) -> str:
    """ "zh" for an example with Chinese characters, "en" otherwise."""
    return "zh" if _HAN.search(text) else "en"


def entity_spans(example: str) -> tuple[str, list[tuple[int, int]]]:
    """The example's plain text and the (start, end) of each marked entity in it."""
    text, spans, position = "", [], 0
    for match in _ANNOTATION.finditer(example):
        text += example[position:match.start()]
        words = match.group(1) if match.group(1) is not None else match.group(2)
        spans.append((len(text), len(text) + len(words)))
        text += words
        position = match.end()
    return text + example[position:], spans


def plain_text(example: str) -> str:
    """An example without its entity marks: "a [new](student_status) student" -> "a new student"."""
    return entity_spans(example)[0]


def normalised(example: str) -> str:
    """The example as compared for conflicts: lower case, no spaces or punctuation."""
    return _NOT_WORD.sub("", plain_text(example).lower())


def _examples(block: Mapping[str, Any]) -> list[str]:
    raw = block.get("examples") or ""
    return [line.strip()[2:].strip() for line in str(raw).splitlines()
            if line.strip().startswith("- ")]


@dataclass(frozen=True)
class IntentBlock:
    """One `- intent:` block of an NLU file: where it is, its intent and its examples."""

    file: str
    intent: str
    examples: tuple[str, ...]


def intent_blocks(nlu_files: Sequence[Path], root: Path) -> list[IntentBlock]:
    """Every intent block of these NLU files, in order (synonyms and lookups left out)."""
    return [IntentBlock(_relative(path, root), str(block["intent"]), tuple(_examples(block)))
            for path in nlu_files for block in _load(path).get("nlu") or []
            if isinstance(block, dict) and block.get("intent")]


# ------------------------------------------------------------------------- responses


def _is_chinese_variation(variation: Mapping[str, Any]) -> bool:
    conditions = variation.get("condition") or []
    return any(c.get("name") == "language" and c.get("value") == "zh" for c in conditions
               if isinstance(c, dict))


def translation_problems(domain: Mapping[str, Any]) -> Iterator[Problem]:
    """Responses lacking an English (no condition) or a Chinese (language = zh) variation."""
    for name, variations in (domain.get("responses") or {}).items():
        variations = variations or []
        if not any(not v.get("condition") for v in variations):
            yield Problem(f"domain.yml, response {name}",
                          "has no English variation (one without a condition)")
        if not any(_is_chinese_variation(v) for v in variations):
            yield Problem(f"domain.yml, response {name}",
                          "has no Chinese variation (add one with condition language = zh)")


def _steps(blocks: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for block in blocks:
        for step in block.get("steps") or []:
            if isinstance(step, dict):
                yield step
        for step in block.get("condition") or []:
            if isinstance(step, dict):
                yield step


def responses_used_in_code(actions: Path) -> tuple[set[str], set[str]]:
    """Response names actions send, and prefixes of names they build (f"utter_ask_date_{x}")."""
    names: set[str] = set()
    prefixes: set[str] = set()
    for path in sorted(actions.glob("*.py")) if actions.is_dir() else []:
        code = path.read_text(encoding="utf-8")
        names.update(_RESPONSE_IN_CODE.findall(code))
        prefixes.update(_RESPONSE_PREFIX_IN_CODE.findall(code))
    return names, prefixes


def unused_response_problems(domain: Mapping[str, Any], stories_and_rules: Sequence[Any],
                             actions: Path) -> Iterator[Problem]:
    """Responses that neither a rule, a story, an action nor a form question uses."""
    in_data = {str(s["action"]) for s in _steps(stories_and_rules) if "action" in s}
    in_code, prefixes = responses_used_in_code(actions)
    form_slots = {str(slot) for form in (domain.get("forms") or {}).values()
                  for slot in (form or {}).get("required_slots") or []}
    asked = {f"utter_ask_{slot}" for slot in form_slots}
    asked |= {f"utter_ask_{form}_{slot}" for form in (domain.get("forms") or {})
              for slot in form_slots}
    used = in_data | in_code | asked | BUILT_IN_RESPONSES
    for name in domain.get("responses") or {}:
        if name not in used and not any(name.startswith(p) for p in prefixes):
            yield Problem(f"domain.yml, response {name}",
                          "is not used by any rule, story, action or form: add a rule or story "
                          "(data/rules, data/stories) that says when to send it, or remove it")


# ------------------------------------------------------------------------- examples


def example_problems(blocks: Sequence[IntentBlock]) -> Iterator[Problem]:
    """Intents with too few examples per language, and examples under two intents."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LANGUAGES, 0))
    where: dict[str, str] = {}
    seen: dict[str, tuple[str, str, str]] = {}
    for block in blocks:
        intent = block.intent
        where.setdefault(intent, block.file)
        per_language = counts[intent]  # a block without examples still counts as 0 and 0
        for example in block.examples:
            per_language[language_of(example)] += 1
            earlier = seen.setdefault(normalised(example), (intent, block.file, example))
            if earlier[0] != intent:
                yield Problem(
                    f"{block.file}, intent {intent}",
                    f"example “{example}” is also an example of intent {earlier[0]} "
                    f"(“{earlier[2]}” in {earlier[1]}): keep it under one intent only")
    for intent, per_language in counts.items():
        for lang, name in LANGUAGES.items():
            if per_language[lang] < MIN_EXAMPLES:
                yield Problem(f"{where[intent]}, intent {intent}",
                              f"has {per_language[lang]} {name} examples; at least "
                              f"{MIN_EXAMPLES} are needed")


def _similar(a: str, b: str, with_b: difflib.SequenceMatcher[str] | None = None) -> bool:
    """Whether two normalised examples are the same sentence or nearly (≥ 90 % alike).
    ``with_b``: a matcher already holding ``b`` (it keeps its analysis of ``b``, so comparing
    many sentences with one is faster)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > max(len(a), len(b)) * (1 - LEAK_SIMILARITY) * 2:
        return False
    matcher = with_b or difflib.SequenceMatcher(None, a, b)
    matcher.set_seq1(a)
    return matcher.quick_ratio() >= LEAK_SIMILARITY and matcher.ratio() >= LEAK_SIMILARITY


@dataclass(frozen=True)
class HeldOut:
    """A sentence the model must never be trained on, and the test file it comes from."""

    sentence: str
    file: str


def test_sentences(test_blocks: Sequence[IntentBlock]) -> list[HeldOut]:
    """The paraphrases of tests/nlu, one per example."""
    return [HeldOut(example, block.file) for block in test_blocks for example in block.examples]


def conversation_turns(conversation_files: Sequence[Path], root: Path) -> list[HeldOut]:
    """Every scripted turn of the test conversations (a turn is a string or has `say`)."""
    turns: list[HeldOut] = []
    for path in conversation_files:
        for conversation in _load(path).get("conversations") or []:
            for turn in (conversation or {}).get("turns") or []:
                said = turn.get("say") if isinstance(turn, dict) else turn
                if isinstance(said, str) and said.strip():
                    turns.append(HeldOut(said, _relative(path, root)))
    return turns


def _similar_lengths(length: int) -> tuple[float, float]:
    """The shortest and longest sentence `_similar` may find alike to one of ``length``."""
    slack = (1 - LEAK_SIMILARITY) * 2
    return length * (1 - slack) - 1, length / (1 - slack) + 1


def leak_problems(blocks: Sequence[IntentBlock],
                  held_out: Sequence[HeldOut]) -> Iterator[Problem]:
    """Training examples that copy, or nearly copy, a held-out test sentence.

    The test sentences (tests/nlu paraphrases, the turns of tests/conversations) measure how
    well unseen wording is understood; a training example that repeats one makes that figure
    look better than it is. The report does not quote the test sentence: whoever writes
    training examples should not read them.
    """
    tests = sorted(((len(key), order, key, test.file) for order, test in enumerate(held_out)
                    if (key := normalised(test.sentence))))
    lengths = [length for length, *_ in tests]
    matchers = [difflib.SequenceMatcher(None, "", key) for _, _, key, _ in tests]
    for block in blocks:
        for example in block.examples:
            key = normalised(example)
            # Only sentences whose length _similar does not rule out; the first in file order.
            shortest, longest = _similar_lengths(len(key))
            start = bisect.bisect_left(lengths, shortest)
            end = bisect.bisect_right(lengths, longest)
            copied = min(((order, file) for (_, order, test, file), matcher
                          in zip(tests[start:end], matchers[start:end], strict=True)
                          if _similar(key, test, matcher)), default=None)
            if copied:
                yield Problem(
                    f"{block.file}, intent {block.intent}",
                    f"example “{example}” copies a held-out test sentence of "
                    f"{copied[1]}: write it in other words or remove it")


@functools.cache
def _word_splitter(dictionaries: tuple[str, ...]) -> jieba.Tokenizer:
    """Jieba with these dictionaries loaded, as the model's tokenizer loads them."""
    jieba.setLogLevel(logging.WARNING)
    splitter = jieba.Tokenizer()
    for entries in dictionaries:
        splitter.load_userdict(io.StringIO(entries))
    return splitter


def dictionary_folder(root: Path) -> str | None:
    """The folder of word lists config.yml's tokenizer loads (`dictionary_path`), if any."""
    config = root / "config.yml"
    pipeline = (_load(config).get("pipeline") or []) if config.is_file() else []
    return next((str(c["dictionary_path"]) for c in pipeline
                 if isinstance(c, dict) and c.get("dictionary_path")), None)


def word_splitter(root: Path, folder: str | None) -> jieba.Tokenizer:
    """Jieba as config.yml configures the model's tokenizer: every file in ``folder`` (its
    `dictionary_path`, relative to ``root``) loaded; none when config.yml names none."""
    dictionary = root / folder if folder else None
    files = sorted(dictionary.glob("*")) if dictionary and dictionary.is_dir() else []
    return _word_splitter(tuple(path.read_text(encoding="utf-8") for path in files))


def words(text: str, splitter: jieba.Tokenizer) -> list[tuple[str, int, int]]:
    """(word, start, end) as the model's tokenizer splits the text, spaces left out."""
    return [(word, start, end) for word, start, end in splitter.tokenize(text) if word.strip()]


def entity_boundary_problems(blocks: Sequence[IntentBlock], splitter: jieba.Tokenizer,
                             dictionary: str | None) -> Iterator[Problem]:
    """Entity marks that start or end inside a word: the model would never learn them.
    ``dictionary``: the folder of word lists the tokenizer loads, where a missing word goes."""
    where = (f"a word list in {dictionary}/" if dictionary else
             "a word list in a folder config.yml's tokenizer names as dictionary_path")
    for block in blocks:
        for example in block.examples:
            text, spans = entity_spans(example)
            split = words(text, splitter) if spans else []
            starts = {start for _, start, _ in split}
            ends = {end for _, _, end in split}
            for start, end in spans:
                if start in starts and end in ends:
                    continue
                cut = [word for word, w_start, w_end in split if w_start < end and w_end > start]
                yield Problem(
                    f"{block.file}, intent {block.intent}",
                    f"example “{example}” marks “{text[start:end]}”, but the model reads "
                    f"the words {' / '.join(cut)} there: mark whole words, or add the "
                    f"marked words to {where} if they are one word")


# ------------------------------------------------------------------------- stories vs rules


def _first_answers(steps: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, str]]:
    """(intent, the action right after it) for each user turn of a story or rule."""
    for step, following in itertools.pairwise(steps):
        if "intent" in step and "action" in following:
            yield str(step["intent"]), str(following["action"])


def rule_answers(rule_files: Sequence[Path], root: Path) -> dict[str, tuple[str, str]]:
    """Intent -> (first action, "file, rule name") for rules that hold in any situation.

    Rules with a condition (a running form) or starting from an earlier action only hold
    in their situation and are left out.
    """
    answers: dict[str, tuple[str, str]] = {}
    for path in rule_files:
        for rule in _load(path).get("rules") or []:
            steps = [s for s in rule.get("steps") or [] if isinstance(s, dict)]
            if rule.get("condition") or not steps or "intent" not in steps[0]:
                continue
            for intent, action in list(_first_answers(steps))[:1]:
                answers[intent] = (action, f"{_relative(path, root)}, rule “{rule.get('rule')}”")
    return answers


def story_rule_problems(rule_files: Sequence[Path], story_files: Sequence[Path],
                        root: Path) -> Iterator[Problem]:
    """Stories whose answer to an intent differs from the rule for that intent."""
    answers = rule_answers(rule_files, root)
    for path in story_files:
        for story in _load(path).get("stories") or []:
            steps = [s for s in story.get("steps") or [] if isinstance(s, dict)]
            for intent, action in _first_answers(steps):
                expected = answers.get(intent)
                if expected and expected[0] != action:
                    yield Problem(
                        f"{_relative(path, root)}, story “{story.get('story')}”",
                        f"answers intent {intent} with {action}, but {expected[1]} answers it "
                        f"with {expected[0]}: change the story or the rule so they agree")


def start_rasa_validation(root: Path) -> subprocess.Popen[str] | Problem:
    """Starts Rasa's own check of the domain and data, the stories against each other
    included: the check `rasa train` makes before training (needs the Rasa environment). It
    runs while the checks above do."""
    rasa = root / ".venv-rasa" / "bin" / "rasa"
    if not rasa.exists():
        return Problem("rasa", "the Rasa environment is missing: run `make setup` first")
    return subprocess.Popen([str(rasa), "data", "validate"], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})


def rasa_problems(validation: subprocess.Popen[str] | Problem) -> Iterator[Problem]:
    """What the started Rasa check found."""
    if isinstance(validation, Problem):
        yield validation
        return
    output, _ = validation.communicate()
    if validation.returncode != 0:
        details = [line for line in output.splitlines()
                   if "conflict" in line.lower() or "error" in line.lower()]
        yield Problem("rasa data validate", "\n  ".join(details[-20:]) or "failed")


# ------------------------------------------------------------------------- plain questions


def question_blocks(root: Path) -> list[IntentBlock]:
    """The examples of every usable plain question, as an intent block of its file."""
    folder = root / "data" / questions.FOLDER.name
    return [IntentBlock(_relative(file, root), question.id,
                        tuple(example for per_language in question.examples.values()
                              for example in per_language))
            for file, question in questions.read_all(folder)]


def question_problems(root: Path, domain: Mapping[str, Any],
                      training: Sequence[IntentBlock]) -> Iterator[Problem]:
    """Question files that cannot be used, and question names that are already intents."""
    folder = root / "data" / questions.FOLDER.name
    for file, error in questions.problems(folder):
        for message in error.problems:
            yield Problem(_relative(file, root), message)
    intents = {str(i if isinstance(i, str) else next(iter(i))) for i in domain.get("intents")
               or []} | {block.intent for block in training}
    for file, question in questions.read_all(folder):
        if question.id in intents:
            yield Problem(_relative(file, root),
                          f"`question: {question.id}` is already the name of an intent in "
                          "domain.yml or data/nlu: choose another name")


# ------------------------------------------------------------------------- main


def held_out_sentences(root: Path) -> list[HeldOut]:
    """The tests/nlu paraphrases and the scripted turns of tests/conversations."""
    tests = root / "tests"
    return [*test_sentences(intent_blocks(_yaml_files(tests / "nlu"), root)),
            *conversation_turns(_yaml_files(tests / "conversations"), root)]


def check(root: Path = REPO_ROOT, with_rasa: bool = False) -> list[Problem]:
    """Every problem found in the domain, data and actions under ``root``."""
    validation = start_rasa_validation(root) if with_rasa else None
    domain = _load(root / "domain.yml")
    data = root / "data"
    training = intent_blocks(_yaml_files(data / "nlu"), root)
    plain = question_blocks(root)
    rule_files = _yaml_files(data / "rules")
    story_files = _yaml_files(data / "stories")
    blocks = [block for path in rule_files for block in _load(path).get("rules") or []]
    blocks += [block for path in story_files for block in _load(path).get("stories") or []]
    dictionary = dictionary_folder(root)
    problems = [
        *translation_problems(domain),
        *unused_response_problems(domain, blocks, root / "actions"),
        *question_problems(root, domain, training),
        *example_problems([*training, *plain]),
        *leak_problems([*training, *plain], held_out_sentences(root)),
        *entity_boundary_problems(training, word_splitter(root, dictionary), dictionary),
        *story_rule_problems(rule_files, story_files, root),
    ]
    if validation is not None:
        problems += rasa_problems(validation)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Prints every problem, one a line; exit status 1 when there is any."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--rasa", action="store_true",
                        help="also run Rasa's story structure check (slower)")
    args = parser.parse_args(argv)
    problems = check(args.root, with_rasa=args.rasa)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problem(s) found.")
        return 1
    print("Training data and answers look fine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
