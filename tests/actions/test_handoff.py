"""Asking for a person hands the conversation over and ends any form in progress."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionTalkToPerson


def asked_for_a_person(active_loop: str | None) -> Tracker:
    """A tracker whose latest message asks for a person, with ``active_loop`` running."""
    latest = {"text": "talk to a person", "intent": {"name": "talk_to_person", "confidence": 0.9},
              "intent_ranking": [], "entities": [], "message_id": "m-2", "metadata": {}}
    events = [{"event": "user", "text": "add a note to my request", "input_channel": "rest"},
              {"event": "user", "text": "talk to a person", "parse_data": latest,
               "input_channel": "rest"}]
    return Tracker(sender_id="rest:handoff", slots={"language": "en",
                                                    "requested_slot": "note_reference"},
                   latest_message=latest, events=events, paused=False, followup_action=None,
                   active_loop={"name": active_loop} if active_loop else {},
                   latest_action_name="action_listen")


async def test_asking_for_a_person_in_a_form_ends_the_form(
    database: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionTalkToPerson().run(dispatcher, asked_for_a_person("note_form"), domain)
    assert dispatcher.messages[0]["response"] == "utter_case_opened"
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events]
    assert any(e["event"] == "slot" and e["name"] == "requested_slot" and e["value"] is None
               for e in events)


async def test_asking_for_a_person_outside_a_form_changes_no_state(
    database: str, domain: dict[str, Any]
) -> None:
    events = await ActionTalkToPerson().run(CollectingDispatcher(), asked_for_a_person(None),
                                            domain)
    assert events == []
