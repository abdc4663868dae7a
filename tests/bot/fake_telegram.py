"""A fake Telegram Bot API on loopback, for driving the real bridge process in tests.

It implements what python-telegram-bot calls (getMe, deleteWebhook, setWebhook,
setMyCommands, getUpdates with long polling and offsets, sendMessage, sendChatAction,
answerCallbackQuery, editMessageReplyMarkup), records every call, and lets a test queue
updates as if people wrote to the bot or tapped its buttons.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.conftest import free_port

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Office", "username": "office_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
JSON_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "reply_markup",
               "allowed_updates", "commands", "drop_pending_updates", "show_alert"}
LONG_POLL_CAP_SECONDS = 2.0  # answer empty sooner than asked, so shutdowns are quick


@dataclass(frozen=True)
class Call:
    """One Bot API request the bridge made."""

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    next_update_id: int = 1000
    next_message_id: int = 1


def _decode(form: dict[str, str]) -> dict[str, Any]:
    """Bot API parameters as PTB sends them (form fields, objects as JSON text)."""
    params: dict[str, Any] = {}
    for name, value in form.items():
        if name in JSON_FIELDS:
            try:
                params[name] = json.loads(value)
                continue
            except ValueError:
                pass
        params[name] = value
    return params


class FakeTelegram:
    """The fake Bot API server and the test's handle on it."""

    def __init__(self) -> None:
        self.port = free_port()
        self._state = _State()
        routes = [Route("/bot{token}/{method}", self._endpoint, methods=["POST", "GET"])]
        self._server = uvicorn.Server(uvicorn.Config(
            Starlette(routes=routes), host="127.0.0.1", port=self.port, log_level="warning",
        ))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def api_url(self) -> str:
        """TELEGRAM_API_URL for the bridge."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> None:
        """Serves in a background thread; returns once it accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("fake Telegram did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stops the server thread."""
        self._server.should_exit = True
        self._thread.join(timeout=10)

    # What people do -----------------------------------------------------------------

    def _user(self, chat_id: int, language_code: str) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": "Student",
                "language_code": language_code}

    def _queue(self, body: dict[str, Any], times: int = 1) -> int:
        with self._state.lock:
            update_id = self._state.next_update_id
            self._state.next_update_id += 1
            self._state.updates.extend({"update_id": update_id, **body} for _ in range(times))
        return update_id

    def write(self, chat_id: int, text: str, *, language_code: str = "en", times: int = 1) -> int:
        """A person writes ``text`` in their private chat; returns the update id.

        ``times=2`` delivers the same update twice, as Telegram does when a bot went down
        before confirming it.
        """
        message: dict[str, Any] = {
            "message_id": self._message_id(), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
            "from": self._user(chat_id, language_code), "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._queue({"message": message}, times)

    def send_sticker(self, chat_id: int) -> int:
        """A person sends a sticker (no text)."""
        message = {
            "message_id": self._message_id(), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
            "from": self._user(chat_id, "en"),
            "sticker": {"file_id": "s1", "file_unique_id": "s1", "width": 512, "height": 512,
                        "is_animated": False, "is_video": False, "type": "regular"},
        }
        return self._queue({"message": message})

    def tap(self, chat_id: int, message: Call, data: str) -> int:
        """A person taps the button with ``data`` under a message the bot sent."""
        sent = {
            "message_id": message.params["result_message_id"], "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Student"},
            "from": BOT_USER, "text": message.params.get("text", ""),
        }
        query = {"id": f"cq{self._message_id()}", "from": self._user(chat_id, "en"),
                 "message": sent, "chat_instance": f"ci{chat_id}", "data": data}
        return self._queue({"callback_query": query})

    # What the bot did ---------------------------------------------------------------

    def calls(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        """Recorded calls, optionally of one method and to one chat."""
        with self._state.lock:
            calls = list(self._state.calls)
        return [c for c in calls if (method is None or c.method == method)
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def messages(self, chat_id: int) -> list[Call]:
        """Messages the bot sent to the chat, in order."""
        return self.calls("sendMessage", chat_id)

    def wait_for(self, condition: Callable[[], Any], timeout: float = 60.0) -> Any:
        """Polls ``condition`` until it returns something truthy; fails after ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s; calls: {self.calls()[-10:]}")

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 60.0) -> list[Call]:
        """Waits until the bot has sent at least ``count`` messages to the chat."""
        return list(self.wait_for(
            lambda: self.messages(chat_id) if len(self.messages(chat_id)) >= count else None,
            timeout,
        ))

    # The Bot API --------------------------------------------------------------------

    def _message_id(self) -> int:
        with self._state.lock:
            self._state.next_message_id += 1
            return self._state.next_message_id

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != TOKEN:
            return JSONResponse({"ok": False, "error_code": 401,
                                 "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        body = (await request.body()).decode()
        params = _decode(dict(parse_qsl(body, keep_blank_values=True)))
        if method.lower() == "getupdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        result = self._answer(method, params)
        if result is None:
            return JSONResponse({"ok": False, "error_code": 404,
                                 "description": f"Not Found: method {method} not faked"},
                                status_code=404)
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), LONG_POLL_CAP_SECONDS)
        deadline = time.monotonic() + wait
        while True:
            with self._state.lock:
                # Confirmed updates (below the offset) are forgotten, as Telegram does.
                self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
                ready = list(self._state.updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _record(self, method: str, params: dict[str, Any]) -> None:
        with self._state.lock:
            self._state.calls.append(Call(method, params, time.monotonic()))

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            message_id = self._message_id()
            self._record(method, {**params, "result_message_id": message_id})
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": {"id": params["chat_id"], "type": "private"},
                       "from": BOT_USER, "text": params.get("text", "")}
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        self._record(method, params)
        if method == "getMe":
            return BOT_USER
        if method == "editMessageReplyMarkup":
            return {"message_id": params.get("message_id"), "date": int(time.time()),
                    "chat": {"id": params.get("chat_id"), "type": "private"}, "text": "…"}
        if method in {"deleteWebhook", "setWebhook", "setMyCommands", "sendChatAction",
                      "answerCallbackQuery", "close", "logOut"}:
            return True
        return None


@contextmanager
def fake_telegram() -> Iterator[FakeTelegram]:
    """A started fake Bot API, stopped afterwards."""
    fake = FakeTelegram()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
