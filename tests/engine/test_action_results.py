"""The action server's answers are checked with one validator built once (in the engine's
own environment, against Rasa's own RemoteAction)."""

from __future__ import annotations

import json

from tests.preloaded import run_in_engine

CHECK = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from engine.serving import action_results

action_results.install()
action = RemoteAction("action_x", None)
good = {"events": [{"event": "slot", "name": "language", "value": "zh"}],
        "responses": [{"text": "hi"}]}
accepted = all(action._validate_action_result(good) for _ in range(50))
try:
    action._validate_action_result({"events": "not a list", "responses": []})
    refused = None
except ValidationError as error:
    refused = error.message
info = action_results.response_validator.cache_info()
print(json.dumps({"accepted": accepted, "refused": refused, "built": info.misses,
                  "reused": info.hits}))
"""


def test_answers_are_validated_as_rasa_does_with_a_validator_built_once() -> None:
    run = run_in_engine(CHECK, timeout=300, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["accepted"] is True
    assert result["refused"] is not None and "Failed to validate Action server response" in \
        result["refused"]
    assert (result["built"], result["reused"]) == (1, 50)
