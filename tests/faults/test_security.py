"""Nobody reads or changes another person's case: forged calls and claimed identities,
tried against the real Rasa server, action server and case store."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import httpx
import psutil
import pytest
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import get_or_create_person, open_case
from casestore.db import make_engine, make_session_factory
from casestore.models import Case
from supervisor.processes import REPO_ROOT
from tests.conftest import RunningAssistant, rest_id

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"\b[A-Z]+-\d{4}-\d{6}\b")
LOG_DIR = REPO_ROOT / "test-artifacts" / "e2e-logs"  # where tests/conftest.py's servers log


def store(assistant: RunningAssistant) -> sessionmaker[Session]:
    """Sessions on the running assistant's database."""
    return make_session_factory(make_engine(assistant.database_url))


def telegram_case(assistant: RunningAssistant) -> tuple[str, str]:
    """A Telegram user's open request, stored directly: (chat id, reference)."""
    chat_id = str(5_550_000_000 + uuid.uuid4().int % 1_000_000)
    with store(assistant).begin() as session:
        person = get_or_create_person(session, channel="telegram", channel_user_id=chat_id,
                                      reach={"chat_id": int(chat_id)})
        case = open_case(session, person=person, case_type="lost_document", institution="CPU",
                         facts={"document": "passport", "what_happened": "stolen",
                                "noticed_on": "2026-11-30"}, today=date(2026, 12, 1))
        return chat_id, case.reference


def case_status(assistant: RunningAssistant, reference: str) -> str:
    """The stored status of the case ``reference``."""
    with store(assistant).begin() as session:
        case = session.query(Case).filter_by(reference=reference).one()
        return str(case.status)


def forged_cancel(assistant: RunningAssistant, conversation: str, reference: str) -> dict[str, Any]:
    """The call Rasa would make to have ``action_cancel_request`` cancel ``reference``."""
    text = f"cancel {reference}"
    return {
        "next_action": "action_cancel_request",
        "sender_id": conversation,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": conversation, "slots": {"language": "en"},
            "latest_message": {"text": text, "intent": {"name": "cancel_request"},
                               "entities": []},
            "events": [{"event": "user", "text": text, "input_channel": "telegram"}],
            "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def action_webhook(assistant: RunningAssistant) -> str:
    """The action server's webhook of the running assistant."""
    return f"http://localhost:{assistant.settings.action_server_port}/webhook"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Bearer", "Basic abc"])
def test_a_forged_action_call_is_refused_and_changes_nothing(
    assistant: RunningAssistant, authorization: str | None
) -> None:
    chat_id, reference = telegram_case(assistant)
    headers = {"Authorization": authorization} if authorization is not None else {}
    reply = httpx.post(action_webhook(assistant), json=forged_cancel(assistant, chat_id, reference),
                       headers=headers, timeout=30)
    assert reply.status_code == 401
    assert case_status(assistant, reference) == "submitted"


def test_the_same_call_with_the_shared_secret_is_obeyed(assistant: RunningAssistant) -> None:
    """The forged call above is a real one: only the secret stops it."""
    chat_id, reference = telegram_case(assistant)
    token = assistant.settings.action_server_token
    reply = httpx.post(action_webhook(assistant), json=forged_cancel(assistant, chat_id, reference),
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert reply.status_code == 200, reply.text
    assert case_status(assistant, reference) == "closed"  # cancelled by its requester


def test_the_rest_channel_cannot_speak_as_a_telegram_user(assistant: RunningAssistant) -> None:
    chat_id, reference = telegram_case(assistant)
    claimed = {"sender": chat_id, "message": "what is the status of my request?",
               "input_channel": "telegram", "metadata": {"channel": "telegram",
                                                         "chat_id": int(chat_id)}}
    replies = httpx.post(f"{assistant.rasa_url}/webhooks/rest/webhook", json=claimed,
                         timeout=60).json()
    assert replies, "the REST caller gets an answer of its own"
    assert reference not in " ".join(r.get("text", "") for r in replies)
    cancel = {**claimed, "message": f"cancel {reference}"}
    httpx.post(f"{assistant.rasa_url}/webhooks/rest/webhook", json=cancel, timeout=60)
    assert case_status(assistant, reference) == "submitted"


@pytest.mark.parametrize("authorization", [None, "Bearer not-the-channel-token"])
def test_the_telegram_channel_answers_only_the_bridge(
    assistant: RunningAssistant, authorization: str | None
) -> None:
    chat_id, reference = telegram_case(assistant)
    headers = {"Authorization": authorization} if authorization is not None else {}
    reply = httpx.post(f"{assistant.rasa_url}/webhooks/telegram/webhook", headers=headers,
                       json={"sender": chat_id, "message": "what is the status of my request?"},
                       timeout=60)
    assert reply.status_code == 401
    assert reference not in reply.text


def test_the_bridge_with_its_token_reaches_its_own_user(assistant: RunningAssistant) -> None:
    chat_id, reference = telegram_case(assistant)
    reply = httpx.post(f"{assistant.rasa_url}/webhooks/telegram/webhook",
                       headers={"Authorization": f"Bearer {assistant.settings.channel_token}"},
                       json={"sender": chat_id, "message": "what is the status of my request?"},
                       timeout=60)
    assert reply.status_code == 200
    assert reference in reply.text


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic b2ZmaWNlOm9mZmljZQ=="])
def test_only_the_channel_token_may_push_to_web_chat_pages_or_list_them(
    assistant: RunningAssistant, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    push = httpx.post(f"{assistant.rasa_url}/webhooks/socketio/push", headers=headers,
                      json={"recipient": "web:someone", "text": "forged"}, timeout=30)
    listing = httpx.get(f"{assistant.rasa_url}/webhooks/socketio/connected", headers=headers,
                        timeout=30)
    assert (push.status_code, listing.status_code) == (401, 401)
    # With the token: nobody's page is open for this session, so nothing is delivered.
    token = {"Authorization": f"Bearer {assistant.settings.channel_token}"}
    push = httpx.post(f"{assistant.rasa_url}/webhooks/socketio/push", headers=token,
                      json={"recipient": "web:someone", "text": "hello"}, timeout=30)
    assert push.json() == {"delivered": False}
    bad = httpx.post(f"{assistant.rasa_url}/webhooks/socketio/push", headers=token,
                     content=b"not json", timeout=30)
    assert bad.status_code == 400


@pytest.mark.parametrize("body", [
    [{"sender": "x", "message": "hi"}],
    {"message": "hi"},
    {"sender": "", "message": "hi"},
    {"sender": None, "message": "hi"},
    {"sender": "s" * 500, "message": "hi"},
    {"sender": "someone"},
    {"sender": "someone", "message": None},
    {"sender": "someone", "message": 42},
    {"sender": "someone", "message": {"text": "hi"}},
    {"sender": "someone", "message": "hi", "metadata": "zh"},
], ids=["array", "no sender", "empty sender", "null sender", "long sender", "no message",
        "null message", "number message", "object message", "string metadata"])
def test_a_malformed_request_gets_a_4xx_and_a_reason(
    assistant: RunningAssistant, body: object
) -> None:
    reply = httpx.post(f"{assistant.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    assert reply.status_code == 400
    assert reply.json()["error"]


def test_a_body_that_is_not_json_gets_a_4xx(assistant: RunningAssistant) -> None:
    reply = httpx.post(f"{assistant.rasa_url}/webhooks/rest/webhook", content=b"{not json",
                       headers={"Content-Type": "application/json"}, timeout=30)
    assert reply.status_code == 400


def test_the_servers_listen_on_loopback_only(assistant: RunningAssistant) -> None:
    settings = assistant.settings
    ports = {settings.rasa_port, settings.action_server_port, settings.staff_api_port,
             settings.web_port}
    listening = {conn.laddr.port: conn.laddr.ip for conn in psutil.net_connections("inet")
                 if conn.status == psutil.CONN_LISTEN and conn.laddr.port in ports}
    assert set(listening) == ports
    assert all(ip in ("127.0.0.1", "::1") for ip in listening.values()), listening


def test_no_secret_shows_in_the_process_list(assistant: RunningAssistant) -> None:
    settings = assistant.settings
    secrets = [s for s in (settings.rasa_api_token, settings.action_server_token,
                           settings.channel_token) if s]
    assert len(secrets) == 3
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        assert not any(secret in command for secret in secrets), command[:200]


def test_an_answer_to_rest_is_kept_in_its_own_conversation(
    assistant: RunningAssistant, sender: str
) -> None:
    assistant.text(sender, "hello")
    events = assistant.tracker(sender)["events"]
    said = [e for e in events if e["event"] == "user"]
    assert said and all(e.get("input_channel") == "rest" for e in said)
    assert assistant.tracker(sender)["sender_id"] == rest_id(sender)


def test_identifiers_the_person_sent_reach_no_log(assistant: RunningAssistant, sender: str) -> None:
    """Passport and phone numbers sent in messages, in a request and in a failing action
    call appear in no server's log (Rasa's own error lines included)."""
    passport = f"E{uuid.uuid4().int % 10**8:08d}"
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    assistant.text(sender, f"I lost my passport {passport}, call me on {phone}")
    assistant.text(sender, f"my passport number is {passport} and my phone {phone}")
    assistant.text(sender, "talk to a person")
    broken = {"next_action": "action_case_status", "sender_id": f"rest:{phone}",
              "version": "3.6.21", "domain": {},
              "tracker": {"sender_id": phone, "slots": {"passport": passport},
                          "latest_message": {"text": f"{passport} {phone}"}, "events": "broken"}}
    httpx.post(action_webhook(assistant), json=broken, timeout=30,
               headers={"Authorization": f"Bearer {assistant.settings.action_server_token}"})
    assistant.text(sender, "what is the status of my request?")
    logs = sorted(LOG_DIR.glob("*.log"))
    assert logs, f"no server logs in {LOG_DIR}"
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert passport not in text and phone not in text, f"an identifier is in {log.name}"


@pytest.mark.parametrize(("text", "expected"), [
    ("visa " * 200_000, "too long"),  # a megabyte once ran DIET out of memory
    ("签证" * 3000, "太长"),
])
def test_an_oversized_message_is_refused_with_a_reason_and_the_next_one_is_answered(
    assistant: RunningAssistant, sender: str, text: str, expected: str
) -> None:
    assert expected in assistant.text(sender, text)
    assert "Art" in assistant.text(sender, "which visa types are there?")
    for log in LOG_DIR.glob("*.log"):
        assert text[:5000] not in log.read_text(encoding="utf-8", errors="replace")
