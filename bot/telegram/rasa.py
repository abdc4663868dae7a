"""The bridge's client of the Rasa server: its ``telegram`` channel."""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)

REPLY_TIMEOUT_SECONDS = 20.0


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    """Talks to one Rasa server over HTTP; open it with ``async with``."""

    def __init__(
        self, rasa_url: str, timeout: float = REPLY_TIMEOUT_SECONDS,
        channel_token: str | None = None,
    ) -> None:
        """``rasa_url``: e.g. ``http://localhost:5005``; ``timeout``: seconds per request;
        ``channel_token``: what Rasa's ``telegram`` channel demands of the bridge."""
        self._url = rasa_url.rstrip("/")
        headers = {"Authorization": f"Bearer {channel_token}"} if channel_token else {}
        self._client = httpx.AsyncClient(timeout=timeout, headers=headers)

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Closes the HTTP connections."""
        await self._client.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Sends one message over Rasa's ``telegram`` channel and returns Rasa's replies.

        Raises ``RasaUnavailable`` on a timeout, a connection error or a bad answer.
        """
        body = {"sender": sender, "message": text, "metadata": metadata}
        try:
            response = await self._client.post(f"{self._url}/webhooks/telegram/webhook", json=body)
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        if not isinstance(replies, list):
            raise RasaUnavailable(f"unexpected answer {replies!r:.200}")
        return [reply for reply in replies if isinstance(reply, dict)]
