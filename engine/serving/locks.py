"""Rasa's Redis lock store, with each change of a conversation's lock one Redis transaction.

Several Rasa servers share the conversations (``make cluster``, docs/scaling.md); the lock
store lets one of them at a time handle a conversation. Rasa's ``RedisLockStore`` changes a
lock by reading it, changing it in Python (issue a ticket, remove one, drop expired ones)
and writing it back. Two servers doing that for the same conversation at the same moment
overwrite each other's change: both hold ticket 0, and both handle a message of that person
at once. In tests/cluster one such pair in twenty lost a message. A new conversation has no
stored events to count, so the second server to save its turn believes the first one's
events are its own and stores nothing.

``AtomicRedisLockStore`` reads, changes and writes a lock inside ``WATCH``/``MULTI``/``EXEC``:
when another server changed the lock in between, Redis refuses the write and the change is
made again on what that server wrote. Everything else is Rasa's: the tickets, the waiting,
``TICKET_LOCK_LIFETIME``.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")
# A change: the lock as stored (None: there is none) -> the lock to store (None: delete it)
# and what the caller gets back.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Result]]


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock changes are atomic (see the module docstring).

    Configured like Rasa's ``redis`` lock store (``url``, ``port``, ``db``, ``password``,
    ``key_prefix``…) with ``type: engine.serving.locks.AtomicRedisLockStore``.
    """

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        options = dict(endpoint_config.kwargs) if endpoint_config else {}
        options.update(kwargs)
        if endpoint_config is not None and endpoint_config.url:
            options.setdefault("host", endpoint_config.url)
        super().__init__(**options)

    def _change(self, conversation_id: Text, change: Change[Result]) -> Result:
        """Applies ``change`` to the stored lock in one transaction, again until no other
        server changed the lock in between."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    changed, result = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock: change what it wrote

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issues the conversation's next ticket (a new lock when there is none)."""

        def issue(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Drops the conversation's expired tickets."""

        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes one ticket from the conversation's lock."""

        def remove(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Removes the ticket, and the lock with it when no other ticket waits."""

        def remove_and_drop_if_unused(
            lock: Optional[TicketLock],
        ) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, remove_and_drop_if_unused)
