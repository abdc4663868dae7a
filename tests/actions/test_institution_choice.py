"""A university that is not one of the four is never answered with another's rules."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.institution import ActionChooseInstitution


def named(text: str, slot: str | None) -> Tracker:
    """A tracker whose latest message names a university; ``slot``: the one known before."""
    latest = {"text": text, "intent": {"name": "choose_institution", "confidence": 0.9},
              "intent_ranking": [], "entities": [], "message_id": "m-1", "metadata": {}}
    return Tracker(sender_id="rest:uni", slots={"language": "zh", "institution": slot},
                   latest_message=latest, events=[{"event": "user", "text": text,
                                                    "parse_data": latest,
                                                    "input_channel": "rest"}],
                   paused=False, followup_action=None, active_loop={},
                   latest_action_name="action_listen")


@pytest.mark.parametrize("text", ["我在沈阳药科大学读书", "I study at Peking University",
                                  "我在曲靖医学高等专科学校"])
async def test_another_university_is_said_to_be_unknown_and_the_earlier_one_dropped(
    text: str, database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionChooseInstitution().run(dispatcher, named(text, "CPU"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_institution_not_known"]
    assert events == [{"event": "slot", "timestamp": None, "name": "institution", "value": None}]


async def test_one_of_the_four_is_confirmed(database: str, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionChooseInstitution().run(dispatcher, named("我在中国药科大学读书", "CPU"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_institution_chosen"]
