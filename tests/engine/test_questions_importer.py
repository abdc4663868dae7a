"""Rasa learns a maintainer's question file: its intent, examples and answering rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from supervisor.processes import REPO_ROOT
from tests.plain_question import CHINESE, ENGLISH, question, write
from tests.preloaded import run_in_engine

# Run in the Rasa engine's environment: what Rasa's own importer chain makes of config.yml
# with a data folder that holds one question file.
READ = """
import json, sys
from rasa.shared.importers.importer import TrainingDataImporter
importer = TrainingDataImporter.load_from_config(
    "config.yml", "domain.yml", [sys.argv[1]])
domain = importer.get_domain()
nlu = importer.get_nlu_data()
rules = [
    [(e.as_story_string() if hasattr(e, "as_story_string") else str(e)) for e in step.events]
    for step in importer.get_stories().story_steps if step.block_name.startswith("Answer the plain")
]
print(json.dumps({
    "intents": domain.intents,
    "examples": sorted(m.get("text") for m in nlu.intent_examples
                       if m.get("intent") == "xuzhou_exit_entry_branch"),
    "other_intents": len({m.get("intent") for m in nlu.intent_examples}),
    "rules": [[str(e) for e in r] for r in rules],
}))
"""


def imported(data: Path) -> dict[str, object]:
    run = run_in_engine(READ, str(data), timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def test_a_question_file_becomes_an_intent_with_its_examples_and_a_rule(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    write(data / "questions", question())
    found = imported(data)
    assert "xuzhou_exit_entry_branch" in found["intents"]  # type: ignore[operator]
    assert found["examples"] == sorted([*ENGLISH, *CHINESE])
    (rule,) = found["rules"]  # type: ignore[misc]
    assert any("xuzhou_exit_entry_branch" in event for event in rule)
    assert any("action_answer_faq" in event for event in rule)


def test_a_broken_question_file_is_left_out_and_the_rest_still_trains(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    write(data / "questions", question(answers=[{"university": "JSNU", "en": "No source."}]))
    found = imported(data)
    assert "xuzhou_exit_entry_branch" not in found["intents"]  # type: ignore[operator]
    assert found["examples"] == []
    assert found["rules"] == []
    assert int(found["other_intents"]) > 50  # type: ignore[call-overload]
