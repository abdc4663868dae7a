"""Rasa finds an event's class by its type name with a table built once.

Rasa 3.6's ``Event.resolve_by_type`` walks every subclass of ``Event`` (recursively, checking
each with ``inspect.isabstract``) for every event it reads: each event of each action
server answer and of each conversation read from the tracker store. Under the 20-user load
that walk was 9 % of the Rasa server's busy time (docs/performance.md). The classes do not
change once Rasa is loaded, so the table is built at the first lookup and rebuilt only if a
name is missing from it (a class defined later); unknown names behave as in Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text, Type

_TABLE: Dict[Text, Type[Any]] = {}


def _build() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    _TABLE.clear()
    for cls in all_subclasses(Event):
        _TABLE.setdefault(cls.type_name, cls)  # the first found wins, as in Rasa's walk


def resolve_by_type(type_name: Text, default: Optional[Type[Any]] = None) -> Optional[Type[Any]]:
    """``Event.resolve_by_type`` from the table."""
    if type_name not in _TABLE:
        _build()
    found = _TABLE.get(type_name)
    if found is not None:
        return found
    if type_name == "topic":
        return None  # Rasa's backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    """Makes Rasa look event classes up in the table."""
    from rasa.shared.core.events import Event

    Event.resolve_by_type = staticmethod(resolve_by_type)
