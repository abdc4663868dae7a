"""Brings the office's messages (status changes, replies, reminders) to web-chat users.

A web-chat person is a widget session (``web:<session id>``) that is only reachable while
one of its pages is connected to a Rasa server's socket.io channel. Each round asks every
Rasa server (``GET /webhooks/socketio/connected``) which sessions have a page open, reads
the outbox for those sessions only, and hands each message to the server holding the page
(``POST /webhooks/socketio/push``). A message for a closed page stays in the outbox, so the
person sees it as soon as they open the chat again (the widget keeps its session id).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import DEFAULT_POLL_SECONDS, Outgoing, push_forever

log = logging.getLogger(__name__)

CHANNEL = "socketio"
CONNECTED_PATH = "/webhooks/socketio/connected"
PUSH_PATH = "/webhooks/socketio/push"


class WebPush:
    """The web chat's side of the outbox, over the Rasa servers at ``rasa_urls``."""

    def __init__(self, rasa_urls: Sequence[str], channel_token: str,
                 client: httpx.AsyncClient | None = None) -> None:
        self._urls = tuple(url.rstrip("/") for url in rasa_urls)
        self._headers = {"Authorization": f"Bearer {channel_token}"}
        self._client = client or httpx.AsyncClient(timeout=10.0)
        self._holder: dict[str, str] = {}

    async def reachable(self) -> set[str]:
        """The senders with a page open now, remembering which server holds each page."""
        holder: dict[str, str] = {}
        for url in self._urls:
            try:
                answer = await self._client.get(f"{url}{CONNECTED_PATH}", headers=self._headers)
                answer.raise_for_status()
                senders = answer.json().get("senders", [])
            except (httpx.HTTPError, ValueError) as error:
                log.info("cannot ask %s for open chat pages: %s", url, error)
                continue
            holder.update((sender, url) for sender in senders if isinstance(sender, str))
        self._holder = holder
        return set(holder)

    async def send(self, outgoing: Outgoing) -> bool:
        """Hands one message to the page of its session; False when no page took it."""
        url = self._holder.get(outgoing.recipient)
        if url is None:
            return False
        try:
            answer = await self._client.post(
                f"{url}{PUSH_PATH}", headers=self._headers,
                json={"recipient": outgoing.recipient, "text": outgoing.text})
            answer.raise_for_status()
            return bool(answer.json().get("delivered"))
        except (httpx.HTTPError, ValueError) as error:
            log.info("notification %s not pushed yet: %s", outgoing.id, error)
            return False

    async def forever(self, sessions: sessionmaker[Session],
                      poll_seconds: float = DEFAULT_POLL_SECONDS) -> None:
        """Pushes the web chat's outbox every ``poll_seconds`` until cancelled."""
        try:
            await push_forever(sessions, CHANNEL, self.send, poll_seconds, self.reachable)
        finally:
            await self._client.aclose()
