"""Rasa sends the action server only what the actions read (in the engine's own environment,
against Rasa's own RemoteAction, tracker and domain)."""

from __future__ import annotations

import json

from tests.preloaded import run_in_engine

CHECK = """
import json
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from engine.serving import action_calls

domain = Domain.load("domain.yml")
ranking = [{"name": "greet", "confidence": 0.9}, {"name": "deny", "confidence": 0.1}]
def said(text):
    return UserUttered(text, {"name": "greet", "confidence": 0.9},
                       parse_data={"intent": {"name": "greet", "confidence": 0.9},
                                   "entities": [], "text": text, "intent_ranking": ranking})
tracker = DialogueStateTracker.from_events(
    "someone", [said("hello"), ActionExecuted("utter_greet"), said("hi again")],
    slots=domain.slots)
original = RemoteAction._action_call_format
before = original(RemoteAction("action_permit_duration", None), tracker, domain)
action_calls.install()
action_calls.install()
call = RemoteAction("action_permit_duration", None)._action_call_format(tracker, domain)
users = [e for e in call["tracker"]["events"] if e["event"] == "user"]
print(json.dumps({
    "domain_keys": sorted(call["domain"]),
    "forms_same": call["domain"]["forms"] == before["domain"]["forms"],
    "slots_same": call["domain"]["slots"] == before["domain"]["slots"],
    "past_keys": [sorted(e["parse_data"]) for e in users],
    "texts": [e["text"] for e in users],
    "latest_ranking": call["tracker"]["latest_message"].get("intent_ranking"),
    "tracker_untouched": [e.parse_data.get("intent_ranking") == ranking
                          for e in tracker.events if isinstance(e, UserUttered)],
    "domain_untouched": "responses" in domain.as_dict(),
    "bytes": [len(json.dumps(before)), len(json.dumps(call))],
}))
"""


def test_calls_carry_what_the_actions_read_and_leave_rasa_objects_alone() -> None:
    run = run_in_engine(CHECK, timeout=300, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["domain_keys"] == ["forms", "slots"]
    assert result["forms_same"] and result["slots_same"]
    assert result["past_keys"] == [["entities", "intent", "message_id", "metadata", "text"]] * 2
    assert result["texts"] == ["hello", "hi again"]
    assert result["latest_ranking"] == [{"name": "greet", "confidence": 0.9},
                                        {"name": "deny", "confidence": 0.1}]
    assert result["tracker_untouched"] == [True, True]
    assert result["domain_untouched"] is True
    before, after = result["bytes"]
    assert after < before / 3
