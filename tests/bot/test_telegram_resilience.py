"""The real bridge when Rasa is slow, when a chat floods it, in webhook mode, and its latency.

Rasa is scripted here (tests/bot/fake_rasa.py) because the real one cannot be made slow on
demand; the bridge process, its settings and the Bot API protocol are the real ones.
"""

from __future__ import annotations

import json
import statistics
import time

import httpx
import pytest

from bot.telegram import texts
from supervisor.processes import REPO_ROOT
from tests.bot.conftest import RunningBridge
from tests.bot.fake_rasa import LONG_PAYLOAD, FakeRasa

pytestmark = pytest.mark.e2e

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def texts_to(bridge: RunningBridge, chat_id: int) -> list[str]:
    return [m.params["text"] for m in bridge.telegram.messages(chat_id)]


def test_a_slow_rasa_gets_a_bilingual_try_again_not_silence(
    scripted_bridge: RunningBridge, chat_id: int
) -> None:
    started = time.monotonic()
    scripted_bridge.telegram.write(chat_id, "sleep:30")
    reply = scripted_bridge.telegram.wait_for_messages(chat_id, 1, timeout=20)[0]
    assert reply.params["text"] == texts.TRY_AGAIN.chosen(None)
    assert "try again" in reply.params["text"] and "稍后再试" in reply.params["text"]
    assert reply.at - started < 10  # the bridge gave up after its 2 s timeout


def test_metadata_carries_update_and_chat(
    scripted_bridge: RunningBridge, fake_rasa: FakeRasa, chat_id: int
) -> None:
    update_id = scripted_bridge.telegram.write(chat_id, "hello")
    scripted_bridge.telegram.wait_for_messages(chat_id, 1)
    sent = fake_rasa.messages(str(chat_id))[0]
    assert sent["message"] == "hello"
    assert sent["metadata"] == {"message_id": str(update_id),
                                "chat_id": chat_id}


def test_a_flooding_chat_does_not_starve_another(
    scripted_bridge: RunningBridge, fake_rasa: FakeRasa, chat_id: int
) -> None:
    telegram, other = scripted_bridge.telegram, chat_id + 500_000
    for n in range(12):
        telegram.write(chat_id, f"flood {n}")
    telegram.write(other, "I am next")
    telegram.wait_for(lambda: len(telegram.messages(chat_id)) >= 5, timeout=30)
    time.sleep(1.0)  # nothing more may come

    flood = texts_to(scripted_bridge, chat_id)
    assert flood.count(texts.SLOW_DOWN.chosen(None)) == 1  # told once, not eight times
    answered = [text for text in flood if text.startswith("echo: ")]
    assert answered == [f"echo: flood {n}" for n in range(4)]  # one answered + 3 waiting
    assert len(fake_rasa.messages(str(chat_id))) == 4  # the rest cost Rasa nothing

    other_reply = telegram.messages(other)[0]
    flood_replies = [m for m in telegram.messages(chat_id) if m.params["text"].startswith("echo")]
    assert other_reply.params["text"] == "echo: I am next"
    assert other_reply.at < flood_replies[1].at  # not queued behind the flood


def test_a_button_whose_payload_is_too_long_for_telegram_still_works(
    scripted_bridge: RunningBridge, fake_rasa: FakeRasa, chat_id: int
) -> None:
    telegram = scripted_bridge.telegram
    telegram.write(chat_id, "buttons")
    question = telegram.wait_for_messages(chat_id, 1)[0]
    data = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("k:") and len(data.encode()) <= 64
    telegram.tap(chat_id, question, data)
    telegram.wait_for_messages(chat_id, 2)
    assert fake_rasa.messages(str(chat_id))[-1]["message"] == LONG_PAYLOAD

    telegram.tap(chat_id, question, "k:unknown")
    expired = telegram.wait_for_messages(chat_id, 3)[-1]
    assert expired.params["text"] == texts.BUTTON_EXPIRED.chosen(None)


def test_stickers_get_a_text_only_note(scripted_bridge: RunningBridge, chat_id: int) -> None:
    telegram = scripted_bridge.telegram
    telegram.send_sticker(chat_id)
    assert telegram.wait_for_messages(chat_id, 1)[0].params["text"] == texts.TEXT_ONLY.chosen(None)


def test_help_lists_the_commands_then_asks_rasa_and_lang_offers_both_languages(
    scripted_bridge: RunningBridge, fake_rasa: FakeRasa, chat_id: int
) -> None:
    telegram = scripted_bridge.telegram
    telegram.write(chat_id, "/help")
    commands, rasa_help = telegram.wait_for_messages(chat_id, 2)
    assert commands.params["text"] == texts.HELP.chosen(None)
    assert rasa_help.params["text"] == "echo: /help"
    telegram.write(chat_id, "/lang")
    choice = telegram.wait_for_messages(chat_id, 3)[-1]
    buttons = choice.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in buttons for b in row] == ["lang:en", "lang:zh"]

    telegram.tap(chat_id, choice, "lang:zh")
    telegram.wait_for_messages(chat_id, 4)
    assert fake_rasa.messages(str(chat_id))[-1]["message"] == '/choose_language{"language":"zh"}'
    telegram.write(chat_id, "hello")
    telegram.wait_for_messages(chat_id, 5)
    assert fake_rasa.messages(str(chat_id))[-1]["metadata"]["language"] == "zh"
    assert telegram.calls("setMyCommands")  # the command menu, in English and Chinese


def test_webhook_mode_registers_the_secret_and_refuses_requests_without_it(
    webhook_bridge: RunningBridge, chat_id: int
) -> None:
    telegram, url = webhook_bridge.telegram, webhook_bridge.webhook_url
    assert url is not None
    registered = telegram.calls("setWebhook")[0].params
    assert (registered["url"], registered["secret_token"]) == (url, "webhook-s3cret")
    health = url.rsplit("/telegram", 1)[0] + "/health"
    telegram.wait_for(lambda: _up(health), timeout=30)

    update = {"update_id": 5, "message": {
        "message_id": 1, "date": int(time.time()), "text": "hello",
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Student"}}}
    assert httpx.post(url, json=update).status_code == 403
    assert httpx.post(url, json=update, headers={SECRET_HEADER: "guess"}).status_code == 403
    assert telegram.messages(chat_id) == []

    ok = httpx.post(url, json=update, headers={SECRET_HEADER: "webhook-s3cret"})
    assert ok.status_code == 200
    assert telegram.wait_for_messages(chat_id, 1)[0].params["text"] == "echo: hello"


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_bridge_latency_to_the_fake_api_is_measured(
    scripted_bridge: RunningBridge, fake_rasa: FakeRasa, chat_id: int
) -> None:
    """Time from an update being available to the reply at the Bot API, Rasa's 0.5 s removed."""
    telegram, latencies = scripted_bridge.telegram, []
    for n in range(20):
        written = time.monotonic()
        telegram.write(chat_id, f"ping {n}")
        reply = telegram.wait_for_messages(chat_id, n + 1)[-1]
        latencies.append(reply.at - written - fake_rasa.delay)
    median = statistics.median(latencies)
    figures = {"messages": len(latencies), "median_s": round(median, 3),
               "max_s": round(max(latencies), 3), "rasa_delay_s": fake_rasa.delay}
    out = REPO_ROOT / "test-artifacts" / "telegram-bridge-latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2))
    assert median < 1.0, figures
