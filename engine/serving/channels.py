"""Input channels whose identities come from the connector, never from the message body.

Rasa keys a conversation by its sender id alone, and its stock REST channel believes
whatever a caller writes: ``{"sender": "5550001111", "input_channel": "telegram",
"metadata": {"channel": "telegram"}}`` was enough to act as that Telegram user. Here each
channel owns a namespace of sender ids and the name the actions read
(``tracker.get_latest_input_channel()``):

* ``rest`` (``PublicRestInput``): anyone on the network; sender ``rest:<given id>``.
* ``socketio`` (``WebChatInput``): the web widget; sender ``web:<the widget's session id>``
  (a random id only that browser holds). The office's messages reach an open page through
  ``POST /webhooks/socketio/push``, with the same bearer token as the bridge's.
* ``telegram`` (``TelegramBridgeInput``): only the bridge, which proves itself with the
  bearer token in ``CHANNEL_TOKEN`` (compared in constant time); sender = the chat id.

Only the language a person chose and the university whose page the chat is on pass from a
public channel's metadata (neither says who the person is); the bridge may also send
Telegram's update id (for idempotency) and the chat id. Requests that are not a
JSON object with a non-empty ``sender`` string, a ``message`` string and an object (or no)
``metadata`` get 400 and a reason; a message longer than ``MAX_MESSAGE_CHARS`` is not
given to the model (it once ran DIET out of memory) but answered with the domain's
``message_too_long`` intent, so the person is told.
"""

from __future__ import annotations

import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from engine.context import LANGUAGES
from engine.languages import written_in

MAX_MESSAGE_CHARS = 4096  # Telegram's own limit for one message
MAX_SENDER_CHARS = 128
TOO_LONG_PAYLOAD = "/message_too_long"
PUBLIC_METADATA = ("language", "message_id", "university")
BRIDGE_METADATA = ("language", "message_id", "chat_id")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def body_problem(body: Any, max_sender: int = MAX_SENDER_CHARS) -> Optional[str]:
    """Why a webhook body cannot be taken, or None when it can."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string"
    if len(sender) > max_sender:
        return f"'sender' must be at most {max_sender} characters"
    if not isinstance(body.get("message"), str):
        return "'message' must be a string"
    if body.get("metadata") is not None and not isinstance(body.get("metadata"), dict):
        return "'metadata' must be a JSON object"
    return None


def kept_metadata(metadata: Any, allowed: tuple = PUBLIC_METADATA) -> Dict[Text, Any]:
    """The keys of ``metadata`` a channel lets through; anything else is dropped."""
    if not isinstance(metadata, dict):
        return {}
    return {key: metadata[key] for key in allowed if isinstance(metadata.get(key), (str, int))}


def guarded(on_new_message: OnNewMessage, prefix: str, allowed: tuple) -> OnNewMessage:
    """``on_new_message`` for one channel: its sender namespace, metadata and size limit."""

    async def handle(message: UserMessage) -> Any:
        message.sender_id = f"{prefix}{message.sender_id}"
        message.metadata = kept_metadata(message.metadata, allowed)
        text = message.text if isinstance(message.text, str) else ""
        message.text = text
        if len(text) > MAX_MESSAGE_CHARS:
            # A payload skips the pipeline that reads the reply language: it names it itself.
            language = message.metadata.get("language")
            if language not in LANGUAGES:
                language = written_in(text[:500]) or "en"
            message.text = f'{TOO_LONG_PAYLOAD}{{"language":"{language}"}}'
            message.metadata["language"] = language
        return await on_new_message(message)

    return handle


def refuse_bad_bodies(blueprint: Blueprint, token: Optional[str] = None) -> Blueprint:
    """Adds to a REST-style blueprint the checks of the module docstring (and the token)."""

    @blueprint.middleware("request")
    async def check(request: Request) -> Optional[HTTPResponse]:
        if request.method != "POST":
            return None
        if token is not None and not bearer_matches(request.headers.get("authorization"), token):
            return response.json({"error": "this channel needs its bearer token"}, status=401)
        try:
            body = request.json
        except Exception:  # Sanic raises its own error on a body that is not JSON
            return response.json({"error": "the body must be JSON"}, status=400)
        problem = body_problem(body)
        return response.json({"error": problem}, status=400) if problem else None

    return blueprint


def bearer_matches(header: Optional[str], token: str) -> bool:
    """Whether an Authorization header carries ``token`` (constant-time comparison)."""
    expected = f"Bearer {token}".encode()
    return header is not None and hmac.compare_digest(header.encode(), expected)


class PublicRestInput(RestInput):
    """Rasa's REST channel for anyone: its own sender namespace, no claimed identity."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()  # never the body's "input_channel"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        inner = guarded(on_new_message, "rest:", PUBLIC_METADATA)
        return refuse_bad_bodies(super().blueprint(inner))


class TelegramBridgeInput(RestInput):
    """The Telegram bridge's channel: the bridge's bearer token, chat ids as senders."""

    def __init__(self, token: Optional[str] = None) -> None:
        self.token = token or os.environ.get("CHANNEL_TOKEN") or None

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramBridgeInput":
        return cls((credentials or {}).get("token"))

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        inner = guarded(on_new_message, "", BRIDGE_METADATA)
        # Without a token nobody may speak for Telegram users: an unguessable one stands in.
        token = self.token or os.urandom(32).hex()
        return refuse_bad_bodies(super().blueprint(inner), token=token)


WEB_PREFIX = "web:"


class WebChatOutput(SocketIOOutput):
    """Sends to the widget's session room, which is named without the sender prefix."""

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id.removeprefix(WEB_PREFIX), response)


class WebChatInput(SocketIOInput):
    """Rasa's socket.io channel for the web widget, in its own sender namespace."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        output = super().get_output_channel()
        return WebChatOutput(output.sio, output.bot_message_evt) if output else None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        inner = guarded(on_new_message, WEB_PREFIX, PUBLIC_METADATA)

        async def handle(message: UserMessage) -> Any:
            sent = message.output_channel
            if isinstance(sent, SocketIOOutput):
                message.output_channel = WebChatOutput(sent.sio, sent.bot_message_evt)
            return await inner(message)

        blueprint = super().blueprint(handle)
        token = os.environ.get("CHANNEL_TOKEN") or os.urandom(32).hex()
        blueprint.add_route(self._push_handler(token), "/push", methods=["POST"],
                            name="push")
        blueprint.add_route(self._connected_handler(token), "/connected", methods=["GET"],
                            name="connected")
        return blueprint

    def _connected_handler(self, token: str) -> Callable[[Request], Awaitable[HTTPResponse]]:
        """``GET /webhooks/socketio/connected``: the sender ids (``web:<session>``) with a
        page connected to this server, so that the outbox looks only for their messages."""

        async def sessions(request: Request) -> HTTPResponse:
            if not bearer_matches(request.headers.get("authorization"), token):
                return response.json({"error": "this channel needs its bearer token"},
                                     status=401)
            rooms = self.sio.manager.rooms.get("/", {}) if self.sio is not None else {}
            sockets = rooms.get(None, {})  # each socket is also alone in a room of its own
            return response.json({"senders": sorted(
                f"{WEB_PREFIX}{room}" for room in rooms
                if isinstance(room, str) and room not in sockets and connected(self.sio, room))})

        return sessions

    def _push_handler(self, token: str) -> Callable[[Request], Awaitable[HTTPResponse]]:
        """``POST /webhooks/socketio/push {"recipient": "web:<session>", "text": ...}``: the
        office's outbox (bot/web/outbox.py) hands a message to the widget of that session.

        Only with the channel's bearer token. ``{"delivered": false}`` when no page of the
        session is connected to this server: the message stays in the outbox and is tried
        again, so a page opened later (or one connected to another replica) still gets it.
        """

        async def push(request: Request) -> HTTPResponse:
            if not bearer_matches(request.headers.get("authorization"), token):
                return response.json({"error": "this channel needs its bearer token"},
                                     status=401)
            try:
                body = request.json
            except Exception:  # Sanic raises its own error on a body that is not JSON
                body = None
            recipient = body.get("recipient") if isinstance(body, dict) else None
            text = body.get("text") if isinstance(body, dict) else None
            if not isinstance(recipient, str) or not isinstance(text, str) or not text:
                return response.json({"error": "'recipient' and 'text' must be strings"},
                                     status=400)
            room = recipient.removeprefix(WEB_PREFIX)
            if self.sio is None or not connected(self.sio, room):
                return response.json({"delivered": False})
            await self.sio.emit(self.bot_message_evt, {"text": text}, room=room)
            return response.json({"delivered": True})

        return push


def connected(sio: Any, room: str) -> bool:
    """Whether a page of the widget session ``room`` is connected to this server."""
    rooms = sio.manager.rooms.get("/", {})
    return room in rooms and any(True for _ in sio.manager.get_participants("/", room))
