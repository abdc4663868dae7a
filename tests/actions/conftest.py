"""Actions run with real SDK trackers and dispatchers, against a real migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

from actions import conversation, store
from casestore.db import migrate

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain, as the Rasa server sends it to the action server."""
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text("utf-8"))
    return loaded


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated SQLite case store that the actions use through DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    store.sessions.cache_clear()
    conversation.default_institution.cache_clear()
    yield url
    store.sessions.cache_clear()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    sender_id: str = "student-1",
    metadata: dict[str, Any] | None = None,
    active_loop: str | None = None,
    requested_slot: str | None = None,
) -> Tracker:
    """A tracker as the Rasa server would send it after the user's latest message."""
    all_slots = {"language": "en", **(slots or {})}
    if requested_slot:
        all_slots["requested_slot"] = requested_slot
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [],
        "message_id": "m-1",
        "metadata": metadata or {},
    }
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}
    ]
    events += [{"event": "slot", "name": k, "value": v} for k, v in all_slots.items()]
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
