"""Conversations survive a restart: Rasa keeps them in the SQL tracker store."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from casestore.db import make_engine, migrate
from config.settings import Settings, conversation_store_url, load_settings
from supervisor.processes import REPO_ROOT, ProcessGroup, assistant_processes, with_run_secrets
from tests import postgres
from tests.conftest import RunningAssistant, free_port
from training.model import ensure_model

pytestmark = pytest.mark.e2e


def start(settings: Settings, model: Path) -> ProcessGroup:
    """The assistant as `make run` starts it, on ``settings``' ports and database."""
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith("TELEGRAM_")}
    # Another default than the university the person names, so that remembering shows.
    environ.update(DATABASE_URL=settings.database_url, DEFAULT_INSTITUTION="WESTLAKE")
    group = ProcessGroup(environ=environ,
                         log_dir=REPO_ROOT / "test-artifacts" / "persistence-logs")
    group.start(assistant_processes(settings, model), timeout=600)
    return group


def say(settings: Settings, sender: str, message: str) -> str:
    """The replies to one REST message, joined."""
    replies = httpx.post(f"http://localhost:{settings.rasa_port}/webhooks/rest/webhook",
                         json={"sender": sender, "message": message}, timeout=60).json()
    return "\n".join(reply.get("text", "") for reply in replies)


def test_a_half_filled_form_continues_after_the_assistant_is_restarted(tmp_path: Path) -> None:
    settings = replace(
        with_run_secrets(load_settings()),
        database_url=f"sqlite:///{tmp_path / 'office.db'}",
        rasa_port=free_port(), action_server_port=free_port(), staff_api_port=free_port(),
        web_port=free_port(), telegram_bot_token=None, tracker_store_url=None,
    )
    migrate(settings.database_url)
    model = ensure_model()
    sender = f"restart-{uuid.uuid4().hex[:10]}"
    group = start(settings, model)
    try:
        assert "中国药科大学" in say(settings, sender, "我在中国药科大学读书")
        assert "新生" in say(settings, sender, "我的居留许可能办多久？")
        asked = say(settings, sender, "老生")
        assert "缴" in asked, asked
    finally:
        group.stop()
    group = start(settings, model)
    try:
        answer = say(settings, sender, "一学年")
        assert "出勤率" in answer, answer  # the form goes on where it was, in Chinese
        answer = say(settings, sender, "85%")
        assert "毕业班" in answer, answer
        answer = say(settings, sender, "不是")
        assert "中国药科大学 第六条" in answer, answer  # the university is still known
    finally:
        group.stop()


def test_the_suite_keeps_conversations_and_cases_in_its_database(
        assistant: RunningAssistant, sender: str) -> None:
    """Under ``make test`` (PostgreSQL running) the whole end-to-end suite talks to a
    PostgreSQL database: Rasa's conversations and the case store's people are in it."""
    if postgres.available():
        assert assistant.database_url.startswith("postgresql")
    assistant.text(sender, "hello")
    conversations = make_engine(conversation_store_url(assistant.settings))
    try:
        with conversations.connect() as connection:
            events = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :sender"),
                {"sender": f"rest:{sender}"}).scalar_one()
    finally:
        conversations.dispose()
    assert events > 0
