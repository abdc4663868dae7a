"""The running assistant, started once per test session for every end-to-end test.

It lives here (not in tests/e2e/) so that the channel tests in tests/bot/ share the same
Rasa server, action server and web server instead of starting their own.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from casestore.db import migrate
from config.settings import Settings, load_settings
from supervisor.ports import free_port
from supervisor.processes import REPO_ROOT, ProcessGroup, assistant_processes, with_run_secrets
from tests import postgres
from tests.database import (  # noqa: F401  (fixtures offered to every suite)
    blank_database_url,
    database_url,
    engine,
    factory,
    project_env,
    subprocess_env,
)
from training.model import ensure_model

# The office's holidays for the end-to-end tests' processes (SEMESTER_HOLIDAYS): from 60 to
# 90 days ahead, so that the JSNU Art. 9 answers have a holiday to keep clear of.
TEST_HOLIDAYS = (date.today() + timedelta(days=60), date.today() + timedelta(days=90))


def rest_id(sender: str) -> str:
    """The conversation (and case-store person) id of ``sender`` on the REST channel."""
    return f"rest:{sender}"




CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# What a first request asks before it can be sent (utter_request_ask_<field> in domain.yml),
# and a person's answers; "" for the university's question, answered with the chosen one's name.
WHO_ANSWERS = {
    "Which university is this request for?": "",
    "这份申请是哪所学校的？": "",
    "what is your full name?": "Ali Khan",
    "您的姓名是？": "王小明",
    "student or staff number?": "2023123456",
    "学号或工号是多少": "2023123456",
    "may the office use to reach you?": "ali.khan@example.com",
    "邮箱或电话联系您": "13812345678",
}
UNIVERSITY_NAMES = {"CPU": "China Pharmaceutical University", "JSNU": "江苏师范大学",
                    "WESTLAKE": "Westlake University", "QJNU": "Qujing Normal University"}


@dataclass(frozen=True)
class RunningAssistant:
    """The running assistant's addresses, its case store and the settings it runs with."""

    rasa_url: str
    database_url: str
    web_url: str
    settings: Settings
    model: Path

    @property
    def staff_url(self) -> str:
        """The staff page (sign in with ``settings.staff_api_token``)."""
        return f"http://localhost:{self.settings.staff_api_port}/staff/"

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

    def introduce(self, sender: str, reply: str, university: str = "CPU") -> str:
        """Answers the questions a first request asks (which university, name, number,
        contact) while ``reply`` asks one of them; returns the reply to the last answer."""
        for _ in range(len(WHO_ANSWERS)):
            asked = next((key for key in WHO_ANSWERS if key in reply), None)
            if asked is None:
                break
            reply = self.text(sender, WHO_ANSWERS[asked] or UNIVERSITY_NAMES[university])
        return reply

    def tracker(self, sender: str, token: str | None = None, prefix: str = "rest:"
                ) -> dict[str, Any]:
        """The conversation of ``sender`` on the REST channel (``prefix="web:"``: the web
        widget's session ``sender``) as Rasa's HTTP API returns it (with the run's API token)."""
        response = httpx.get(
            f"{self.rasa_url}/conversations/{prefix}{sender}/tracker",
            params={"token": token if token is not None else self.settings.rasa_api_token},
            timeout=30.0,
        )
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """The assistant as `make run` starts it, on free ports and a fresh database.

    The Telegram bridge is left out (a developer's real token must not be used by tests);
    tests/bot/ starts it against a fake Bot API.
    """
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(_running_assistant(e2e_database(tmp_path_factory, stack)))


def e2e_database(tmp_path_factory: pytest.TempPathFactory, stack: contextlib.ExitStack) -> str:
    """The end-to-end suite's database: PostgreSQL when the run has it (``make test`` does: a
    fresh database, conversations and cases in it), else a SQLite file. The restart test
    (``tests/e2e/test_persistence.py``) keeps the SQLite default of ``make run``."""
    if postgres.available():
        return stack.enter_context(postgres.fresh_database(postgres.base_url("e2e"), "e2e"))
    return f"sqlite:///{Path(tmp_path_factory.mktemp('e2e')) / 'office.db'}"


@contextlib.contextmanager
def _running_assistant(url: str) -> Iterator[RunningAssistant]:
    settings = replace(
        with_run_secrets(load_settings()),
        database_url=url,
        rasa_port=free_port(),
        action_server_port=free_port(),
        staff_api_port=free_port(),
        web_port=free_port(),
        telegram_bot_token=None,
        staff_api_token=f"e2e-staff-{uuid.uuid4().hex[:12]}",
    )
    migrate(settings.database_url)
    model = ensure_model()
    logs = REPO_ROOT / "test-artifacts" / "e2e-logs"
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith("TELEGRAM_")}
    holidays = f"{TEST_HOLIDAYS[0]}..{TEST_HOLIDAYS[1]}"
    group = ProcessGroup(environ={**environ, "DATABASE_URL": settings.database_url,
                                  "STAFF_API_TOKEN": str(settings.staff_api_token),
                                  "SEMESTER_HOLIDAYS": holidays}, log_dir=logs)
    try:
        group.start(assistant_processes(settings, model), timeout=600)
        yield RunningAssistant(
            rasa_url=f"http://localhost:{settings.rasa_port}",
            database_url=settings.database_url,
            web_url=f"http://localhost:{settings.web_port}",
            settings=settings,
            model=model,
        )
    finally:
        group.stop()


@pytest.fixture
def sender() -> str:
    """A conversation id of its own for each test."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian's package (never a Playwright-downloaded build)."""
    if not CHROMIUM.exists():
        message = "Chromium is not installed at /usr/bin/chromium: run scripts/chromium.sh"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
