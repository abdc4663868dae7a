"""A long session handed to the policies as a short one with the same state."""

from __future__ import annotations

from typing import Any

import pytest

from engine.serving.compaction import compact_session

Event = dict[str, Any]


def listen() -> Event:
    return {"event": "action", "name": "action_listen"}


def opened() -> list[Event]:
    return [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
            {"event": "slot", "name": "language", "value": "en"}, listen()]


def turn(n: int, *extra: Event) -> list[Event]:
    return [{"event": "user", "text": f"message {n}"}, *extra,
            {"event": "bot", "text": f"answer {n}"}, listen()]


def session(turns: int) -> list[Event]:
    events = opened()
    for n in range(turns):
        events += turn(n)
    return events


def test_a_short_session_is_left_whole() -> None:
    assert compact_session(session(8), keep_turns=8) is None


def test_a_long_session_keeps_its_opening_and_its_last_turns() -> None:
    kept = compact_session(session(300), keep_turns=8)
    assert kept is not None
    assert kept[:4] == opened()
    said = [e["text"] for e in kept if e["event"] == "user"]
    assert said == [f"message {n}" for n in range(292, 300)]
    assert len(kept) <= 4 + 8 * 4


def test_every_slot_keeps_its_latest_value_and_the_form_stays_active() -> None:
    events = opened()
    events += turn(0, {"event": "slot", "name": "institution", "value": "JSNU"})
    events += turn(1, {"event": "active_loop", "name": "permit_duration_form"},
                   {"event": "slot", "name": "attendance", "value": 85})
    events += turn(2, {"event": "slot", "name": "attendance", "value": 74})
    for n in range(3, 20):
        events += turn(n)
    kept = compact_session(events, keep_turns=4)
    assert kept is not None
    first_kept_turn = next(i for i, e in enumerate(kept) if e["event"] == "user") - 1
    carried = kept[4:first_kept_turn]
    assert {"event": "slot", "name": "institution", "value": "JSNU"} in carried
    assert {"event": "slot", "name": "attendance", "value": 74} in carried
    assert {"event": "slot", "name": "attendance", "value": 85} not in carried
    assert {"event": "active_loop", "name": "permit_duration_form"} in carried


def test_a_form_that_ended_before_the_cut_stays_ended() -> None:
    events = opened()
    events += turn(0, {"event": "active_loop", "name": "request_form"})
    events += turn(1, {"event": "active_loop", "name": None})
    for n in range(2, 12):
        events += turn(n)
    kept = compact_session(events, keep_turns=3)
    assert kept is not None
    loops = [e for e in kept if e["event"] == "active_loop"]
    assert loops == [{"event": "active_loop", "name": None}]


@pytest.mark.parametrize("kind", ["restart", "reset_slots", "pause"])
def test_a_session_holding_an_event_that_needs_the_whole_history_is_kept_whole(
    kind: str,
) -> None:
    events = [*session(5), {"event": kind}, *session(20)[4:]]
    assert compact_session(events, keep_turns=4) is None


def test_the_kept_turn_starts_with_the_listen_that_waited_for_it() -> None:
    kept = compact_session(session(30), keep_turns=2)
    assert kept is not None
    first_user = next(i for i, e in enumerate(kept) if e["event"] == "user")
    assert kept[first_user - 1] == listen()


def test_a_turn_the_fallback_took_back_leaves_no_slot_behind() -> None:
    events = opened()
    events += turn(0, {"event": "slot", "name": "institution", "value": "JSNU"})
    events += [{"event": "user", "text": "blorp"},
               {"event": "slot", "name": "institution", "value": "QJNU"},
               {"event": "action", "name": "action_two_stage_fallback"},
               {"event": "rewind"}, listen()]
    for n in range(1, 20):
        events += turn(n)
    kept = compact_session(events, keep_turns=4)
    assert kept is not None, "a rewind no longer keeps the whole session"
    slots = [e for e in kept if e["event"] == "slot" and e["name"] == "institution"]
    assert slots == [{"event": "slot", "name": "institution", "value": "JSNU"}]
    assert len(kept) < len(events) // 2


def test_an_undone_action_leaves_no_slot_behind() -> None:
    events = opened()
    events += turn(0, {"event": "action", "name": "action_x"},
                   {"event": "slot", "name": "paid", "value": "year"}, {"event": "undo"})
    for n in range(1, 20):
        events += turn(n)
    kept = compact_session(events, keep_turns=4)
    assert kept is not None
    assert not [e for e in kept if e["event"] == "slot" and e["name"] == "paid"]
