"""One conversation at a time per chat, a bounded backlog, and no chat starving the others.

The Application handles updates concurrently, so different chats are answered in
parallel; within one chat, messages take turns in arrival order (a lock per chat, and
asyncio locks are first come, first served). A chat that floods the bot gets at most
``backlog`` messages waiting; the rest are refused at once, costing no Rasa call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

DEFAULT_BACKLOG = 3


class Backlogged(Exception):
    """The chat already has too many messages waiting.

    ``first`` is true for the first refusal since the backlog was last empty, so the
    person is told once rather than once per refused message.
    """

    def __init__(self, first: bool) -> None:
        super().__init__("too many messages waiting in this chat")
        self.first = first


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    warned: bool = False


class ChatQueues:
    """Per-chat turns with a bounded number of waiting messages."""

    def __init__(self, backlog: int = DEFAULT_BACKLOG) -> None:
        """``backlog``: how many messages of one chat may wait behind the one being answered."""
        self._backlog = backlog
        self._chats: dict[int, _Chat] = {}

    def waiting(self, chat_id: int) -> int:
        """Messages of the chat being answered or waiting for their turn."""
        chat = self._chats.get(chat_id)
        return chat.waiting if chat else 0

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Waits for the chat's turn; raises ``Backlogged`` when too many are waiting."""
        chat = self._chats.setdefault(chat_id, _Chat())
        if chat.waiting > self._backlog:
            first, chat.warned = not chat.warned, True
            raise Backlogged(first)
        chat.waiting += 1
        try:
            async with chat.lock:
                yield
        finally:
            chat.waiting -= 1
            if chat.waiting == 0:
                del self._chats[chat_id]  # forget idle chats: memory stays bounded
