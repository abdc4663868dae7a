"""Loading a model into the running Rasa server (engine/serving/model_swap.py): only with the
API token, and the server goes on answering while the model loads."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.conftest import RunningAssistant

pytestmark = pytest.mark.e2e


def load(assistant: RunningAssistant, body: object, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(f"{assistant.rasa_url}/webhooks/model/load", json=body, headers=headers,
                      timeout=600)


def test_loading_a_model_needs_the_api_token(assistant: RunningAssistant) -> None:
    body = {"model_file": str(assistant.model)}
    assert load(assistant, body, None).status_code == 401
    assert load(assistant, body, "not-the-token").status_code == 401
    assert load(assistant, body, assistant.settings.channel_token).status_code == 401


def test_a_missing_model_file_is_refused_and_the_old_model_answers_on(
    assistant: RunningAssistant,
) -> None:
    token = assistant.settings.rasa_api_token
    reply = load(assistant, {"model_file": "/nowhere/model.tar.gz"}, token)
    assert reply.status_code == 400
    assert "no model file" in reply.json()["error"]
    assert "Article" in assistant.text("swap-missing", "I lost my passport")


def test_the_server_answers_while_a_model_loads_and_then_uses_it(
    assistant: RunningAssistant,
) -> None:
    token = assistant.settings.rasa_api_token
    finished: list[float] = []
    answered: list[float] = []

    def swap() -> None:
        assert load(assistant, {"model_file": str(assistant.model)}, token).status_code == 204
        finished.append(time.monotonic())

    loading = threading.Thread(target=swap)
    started = time.monotonic()
    loading.start()
    # The REST channel's own answer needs the event loop and nothing else: Rasa's PUT /model
    # would hold every one of them until the model is loaded.
    while loading.is_alive():
        if httpx.get(f"{assistant.rasa_url}/webhooks/rest/", timeout=60).status_code == 200:
            answered.append(time.monotonic())
    loading.join()
    assert finished, "the load request failed"
    during = [t for t in answered if started + 0.2 < t < finished[0]]
    assert during, f"nothing answered in the {finished[0] - started:.1f} s the load took"
    status = httpx.get(f"{assistant.rasa_url}/status", params={"token": token}, timeout=10)
    assert status.json()["model_file"].endswith(assistant.model.name)
    assert "Article" in assistant.text("swap-after", "I lost my passport")
