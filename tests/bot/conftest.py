"""Real bridge processes against a fake Telegram Bot API (and a real or scripted Rasa)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from config.settings import Settings
from supervisor.processes import REPO_ROOT, ProcessGroup, ProcessSpec, assistant_processes
from tests.bot.fake_rasa import FakeRasa
from tests.bot.fake_telegram import TOKEN, FakeTelegram, fake_telegram
from tests.conftest import RunningAssistant, free_port

LOGS = REPO_ROOT / "test-artifacts" / "e2e-logs"
_chat_ids = itertools.count(7_000_001)


@dataclass(frozen=True)
class RunningBridge:
    """A bridge process, the fake Telegram it polls, and its case store."""

    telegram: FakeTelegram
    database_url: str
    webhook_url: str | None = None


def bridge_spec(settings: Settings, model: Path, name: str, *extra: str) -> ProcessSpec:
    """The Telegram process exactly as `make run` starts it, plus test-only options."""
    specs = assistant_processes(replace(settings, telegram_bot_token=TOKEN), model)
    spec = next(spec for spec in specs if spec.name == "telegram")
    return replace(spec, name=name, argv=(*spec.argv, *extra))


def run_bridge(
    spec: ProcessSpec, telegram: FakeTelegram, database_url: str,
    env: Mapping[str, str] | None = None,
) -> ProcessGroup:
    """Starts the bridge and waits until it is polling (or serving its webhook)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    environ.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=telegram.api_url,
                   DATABASE_URL=database_url, **(env or {}))
    group = ProcessGroup(environ=environ, log_dir=LOGS)
    group.start([spec])
    webhook = bool(env and env.get("TELEGRAM_WEBHOOK_URL"))
    telegram.wait_for(lambda: telegram.calls("setWebhook" if webhook else "deleteWebhook"),
                      timeout=60)
    return group


@pytest.fixture(scope="module")
def bridge(assistant: RunningAssistant, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[RunningBridge]:
    """The real bridge between a fake Telegram and the real assistant."""
    state = tmp_path_factory.mktemp("telegram") / "chats.pickle"
    with fake_telegram() as telegram:
        spec = bridge_spec(assistant.settings, assistant.model, "telegram",
                           "--state", str(state), "--outbox-poll", "0.3")
        group = run_bridge(spec, telegram, assistant.database_url)
        try:
            yield RunningBridge(telegram, assistant.database_url)
        finally:
            group.stop()


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasa]:
    """A Rasa that echoes after half a second, or sleeps when told to."""
    rasa = FakeRasa(delay=0.5)
    rasa.start()
    try:
        yield rasa
    finally:
        rasa.stop()


@pytest.fixture(scope="module")
def scripted_bridge(fake_rasa: FakeRasa, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[RunningBridge]:
    """The real bridge between a fake Telegram and the scripted Rasa (2 s timeout)."""
    folder = tmp_path_factory.mktemp("scripted")
    database_url = f"sqlite:///{folder / 'office.db'}"
    with fake_telegram() as telegram:
        spec = bridge_spec(Settings(), Path("unused.tar.gz"), "telegram-scripted",
                           "--rasa-url", fake_rasa.url, "--rasa-timeout", "2",
                           "--backlog", "3", "--state", str(folder / "chats.pickle"))
        group = run_bridge(spec, telegram, database_url)
        try:
            yield RunningBridge(telegram, database_url)
        finally:
            group.stop()


@pytest.fixture(scope="module")
def webhook_bridge(fake_rasa: FakeRasa, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[RunningBridge]:
    """The real bridge in webhook mode, Telegram's side played by the test."""
    folder = tmp_path_factory.mktemp("webhook")
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/updates"
    with fake_telegram() as telegram:
        spec = bridge_spec(Settings(), Path("unused.tar.gz"), "telegram-webhook",
                           "--rasa-url", fake_rasa.url, "--webhook-listen", f"127.0.0.1:{port}",
                           "--state", str(folder / "chats.pickle"))
        env = {"TELEGRAM_WEBHOOK_URL": url, "TELEGRAM_WEBHOOK_SECRET": "webhook-s3cret"}
        group = run_bridge(spec, telegram, f"sqlite:///{folder / 'office.db'}", env)
        try:
            yield RunningBridge(telegram, f"sqlite:///{folder / 'office.db'}", url)
        finally:
            group.stop()


@pytest.fixture
def chat_id() -> int:
    """A private chat of its own for each test."""
    return next(_chat_ids)
