"""A long conversation handed to the policies and actions as a short one with the same state.

Rasa rebuilds the whole tracker of the current session for every message, featurizes it for
the policies and sends it to the action server with every call, so each turn costs more than
the one before (turn 300 took five times turn 1). The policies look back only a few turns
(TED's ``max_history``, the rules), and the actions read slots, the active form and the
latest messages. ``compact_session`` keeps exactly that: the events that started the
session, the latest value of every slot and the latest form activation set before the cut,
and the last ``keep_turns`` turns whole.

Pure (event dictionaries in, event dictionaries out): tested without Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

Event = Dict[str, Any]

# Events whose effect depends on everything before them: a session holding one is kept whole.
# ("rewind" and "undo" only take back the latest turn or action: they are replayed below. Rasa
# writes a rewind whenever its fallback answers, so keeping such sessions whole kept most long
# conversations whole.)
REPLAYED_WHOLE = frozenset({"restart", "reset_slots", "pause", "resume"})


def _is_listen(event: Event) -> bool:
    return event.get("event") == "action" and event.get("name") == "action_listen"


def _session_start_end(events: List[Event]) -> int:
    """Index just after the first ``action_listen``: the events that opened the session."""
    for index, event in enumerate(events):
        if _is_listen(event):
            return index + 1
    return len(events)


def _taken_back(events: List[Event]) -> List[Event]:
    """``events`` without what a "rewind" (back to before the latest user message) or an
    "undo" (back to before the latest action) took back, as Rasa replays them."""
    kept: List[Event] = []
    for event in events:
        kind = event.get("event")
        if kind in ("rewind", "undo"):
            stop = "user" if kind == "rewind" else "action"
            while kept and kept.pop().get("event") != stop:
                pass
        else:
            kept.append(event)
    return kept


def compact_session(events: List[Event], keep_turns: int) -> Optional[List[Event]]:
    """``events`` of one session, shortened as the module docstring says.

    Returns None when there is nothing to gain (no more than ``keep_turns`` turns) or when
    the session holds an event that only a full replay gets right (``REPLAYED_WHOLE``).
    """
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) <= keep_turns or any(e.get("event") in REPLAYED_WHOLE for e in events):
        return None
    cut = users[-keep_turns]
    if cut > 0 and _is_listen(events[cut - 1]):
        cut -= 1  # a turn begins with the listen that waited for its message
    opened = _session_start_end(events)
    if cut <= opened:
        return None
    latest: Dict[str, Event] = {}
    for event in _taken_back(events[opened:cut]):
        if event.get("event") == "slot":
            latest[f"slot:{event.get('name')}"] = event
        elif event.get("event") == "active_loop":
            latest["active_loop"] = event
    return events[:opened] + list(latest.values()) + events[cut:]
