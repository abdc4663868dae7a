"""Rasa looks event classes up by type name in a table built once (engine/serving/
event_types.py), with the answers of its own walk (in the engine's own environment)."""

from __future__ import annotations

import json

from tests.preloaded import run_in_engine

CHECK = """
import json
import rasa.shared.utils.common as common
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from engine.serving import event_types

names = sorted({cls.type_name for cls in common.all_subclasses(Event)})
rasa_says = {name: Event.resolve_by_type(name).__name__ for name in names}

walks = []
original = common.all_subclasses
def counted(cls):
    walks.append(cls.__name__)
    return original(cls)
common.all_subclasses = counted

event_types.install()
table_says = {name: Event.resolve_by_type(name).__name__ for name in names * 20}
events = deserialise_events([{"event": "slot", "name": "language", "value": "zh"},
                             {"event": "user", "text": "hi",
                              "parse_data": {"intent": {"name": "greet"}, "entities": []}}])
try:
    Event.resolve_by_type("no_such_event")
    unknown = None
except ValueError as error:
    unknown = str(error)
print(json.dumps({
    "same": rasa_says == table_says, "count": len(names),
    "walks": walks.count("Event"),
    "read": [type(event).__name__ for event in events],
    "topic": Event.resolve_by_type("topic"),
    "default": Event.resolve_by_type("no_such_event", SlotSet).__name__,
    "unknown": unknown,
}))
"""


def test_event_classes_are_found_as_rasa_finds_them_with_one_walk() -> None:
    run = run_in_engine(CHECK, timeout=300, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["same"] is True and result["count"] > 20
    assert result["walks"] == 2  # the table, and once more for the unknown name
    assert result["read"] == ["SlotSet", "UserUttered"]
    assert result["topic"] is None
    assert result["default"] == "SlotSet"
    assert result["unknown"] == "Unknown event name 'no_such_event'."
