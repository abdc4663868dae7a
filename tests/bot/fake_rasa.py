"""A scripted stand-in for the Rasa server, for what the real one cannot do on demand:
answer slowly, or not at all. It echoes each message after a delay and records what the
bridge sent (text and metadata)."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.conftest import free_port

LONG_PAYLOAD = '/inform{"note":"' + "x" * 80 + '"}'


class FakeRasa:
    """Echoes ``text`` as ``echo: text`` after ``delay`` s; ``sleep:N`` waits N seconds;
    ``buttons`` answers with a button whose payload is too long for Telegram."""

    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.delay = delay
        self.received: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        app = Starlette(routes=[
            Route("/webhooks/telegram/webhook", self._webhook, methods=["POST"]),
        ])
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                     log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        """Where the bridge finds this Rasa."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Serves in a background thread."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("fake Rasa did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stops serving (requests still sleeping are cut off)."""
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=10)

    def messages(self, sender: str) -> list[dict[str, Any]]:
        """What the bridge sent for one conversation, in order."""
        with self._lock:
            return [body for body in self.received if body.get("sender") == sender]

    async def _webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        with self._lock:
            self.received.append(body)
        text = str(body.get("message", ""))
        await asyncio.sleep(float(text[6:]) if text.startswith("sleep:") else self.delay)
        reply: dict[str, Any] = {"recipient_id": body.get("sender"), "text": f"echo: {text}"}
        if text == "buttons":
            reply["buttons"] = [{"title": "Long", "payload": LONG_PAYLOAD}]
        return JSONResponse([reply])
