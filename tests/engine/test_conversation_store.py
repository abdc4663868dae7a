"""The SQL tracker store, run in the engine's own environment against a real SQLite file:
every event is stored once, and a long session comes back compacted with its state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from supervisor.processes import REPO_ROOT, rasa_environment
from tests.preloaded import run_in_engine

OPENING = """
async def open_session(store):
    tracker = DialogueStateTracker("s1", domain.slots)
    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    await store.save(tracker)
"""

THIRTY_TURNS = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, SessionStarted,
                                     SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from engine.serving.stores import ConversationStore

domain = Domain.load("domain.yml")
store = ConversationStore(domain, host=sys.argv[1], keep_turns=4)
""" + OPENING + """
async def main():
    await open_session(store)
    for n in range(30):
        tracker = await store.retrieve("s1")
        tracker.update(UserUttered(f"m{n}", {"name": "greet", "confidence": 1.0}))
        if n == 3:
            tracker.update(SlotSet("institution", "JSNU"))
        if n == 5:
            tracker.update(ActiveLoop("permit_duration_form"))
        tracker.update(BotUttered(f"a{n}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
    compact = await store.retrieve("s1")
    full = await store.retrieve_full_tracker("s1")
    said = lambda t: [e.text for e in t.events if isinstance(e, UserUttered)]
    # What Rasa's PUT /conversations/<id>/tracker/events does with [] (erasing a person).
    await store.save(DialogueStateTracker.from_dict("s1", [], domain.slots))
    print(json.dumps({"compact": said(compact), "full": said(full),
                      "events": [len(compact.events), len(full.events)],
                      "institution": compact.get_slot("institution"),
                      "loop": compact.active_loop_name,
                      "after_erasure": await store.retrieve_full_tracker("s1") is None}))

asyncio.run(main())
"""


def in_engine(script: str, folder: Path) -> dict[str, Any]:
    """What ``script`` prints last, run in the engine's environment on a fresh SQLite file."""
    run = run_in_engine(script, f"sqlite:///{folder / 'conversations.db'}",
                        env={**rasa_environment(), "PYTHONPATH": str(REPO_ROOT)}, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def test_thirty_turns_are_stored_once_come_back_short_with_their_state_and_can_be_erased(
    tmp_path: Path,
) -> None:
    result = in_engine(THIRTY_TURNS, tmp_path)
    assert result["full"] == [f"m{n}" for n in range(30)]
    assert result["compact"] == ["m26", "m27", "m28", "m29"]
    assert result["events"][0] < 20 < result["events"][1]
    assert (result["institution"], result["loop"]) == ("JSNU", "permit_duration_form")
    assert result["after_erasure"], "an empty tracker saved erases the conversation"


TWO_WRITERS = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from engine.serving.stores import ConversationStore

domain = Domain.load("domain.yml")
first = ConversationStore(domain, host=sys.argv[1], keep_turns=4)
second = ConversationStore(domain, host=sys.argv[1], keep_turns=4)  # another replica
""" + OPENING + """
async def turn(store, text, **slots):
    tracker = await store.retrieve("s1")
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)

async def main():
    await open_session(first)
    for n in range(10):
        await turn(first, f"m{n}")          # the first replica remembers its session
    await turn(second, "from the other replica", institution="QJNU")
    await turn(first, "m10")                # must see the other replica's turn and slot
    seen = await first.retrieve("s1")
    full = await first.retrieve_full_tracker("s1")
    said = lambda t: [e.text for e in t.events if isinstance(e, UserUttered)]
    print(json.dumps({"compact": said(seen), "full": said(full),
                      "institution": seen.get_slot("institution")}))

asyncio.run(main())
"""


def test_a_remembered_session_is_read_again_when_another_replica_wrote_since(
    tmp_path: Path,
) -> None:
    result = in_engine(TWO_WRITERS, tmp_path)
    assert result["full"] == [*(f"m{n}" for n in range(10)), "from the other replica", "m10"]
    assert result["compact"] == ["m8", "m9", "from the other replica", "m10"]
    assert result["institution"] == "QJNU"


DURABILITY = """
import json, sqlite3, sys
from rasa.shared.core.domain import Domain
from engine.serving.stores import ConversationStore

def synchronous(url):
    store = ConversationStore(Domain.load("domain.yml"), host=url)
    with store.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA synchronous").scalar()

rollback_journal = synchronous(sys.argv[1])
wal_file = sys.argv[1].replace("conversations.db", "shared.db")
sqlite3.connect(wal_file[len("sqlite:///"):]).execute("PRAGMA journal_mode=WAL").fetchall()
print(json.dumps({"rollback_journal": rollback_journal, "wal": synchronous(wal_file)}))
"""


def test_turns_commit_without_an_fsync_only_in_wal_mode(tmp_path: Path) -> None:
    """SQLite's synchronous levels: 2 is FULL (the default), 1 is NORMAL."""
    result = in_engine(DURABILITY, tmp_path)
    assert result == {"rollback_journal": 2, "wal": 1}
