"""Starts the real assistant (Rasa server, action server) once for the end-to-end tests."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.model import ensure_model
from bot.processes import REPO_ROOT, ProcessGroup, assistant_processes
from office.db import migrate
from office.settings import load_settings


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class RunningAssistant:
    """The running assistant's addresses and its case store."""

    rasa_url: str
    database_url: str

    def say(self, sender: str, message: str, **metadata: Any) -> list[dict[str, Any]]:
        """Sends one message over the REST channel and returns the bot's replies."""
        response = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": metadata},
            timeout=60.0,
        )
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
        return replies

    def text(self, sender: str, message: str, **metadata: Any) -> str:
        """The bot's replies to one message, joined into one text."""
        return "\n".join(r.get("text", "") for r in self.say(sender, message, **metadata))


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """The assistant as `make run` starts it, on free ports and a fresh database."""
    database = Path(tmp_path_factory.mktemp("e2e")) / "office.db"
    settings = replace(
        load_settings(),
        database_url=f"sqlite:///{database}",
        rasa_port=free_port(),
        action_server_port=free_port(),
        staff_api_port=free_port(),
        web_port=free_port(),
    )
    migrate(settings.database_url)
    model = ensure_model()
    logs = REPO_ROOT / "test-artifacts" / "e2e-logs"
    group = ProcessGroup(
        environ={**os.environ, "DATABASE_URL": settings.database_url}, log_dir=logs
    )
    try:
        group.start(assistant_processes(settings, model), timeout=600)
        yield RunningAssistant(f"http://localhost:{settings.rasa_port}", settings.database_url)
    finally:
        group.stop()


@pytest.fixture
def sender() -> str:
    """A conversation id of its own for each test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"
