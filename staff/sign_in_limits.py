"""How many wrong staff tokens the sign-in form checks: per client address and per name.

At most ``MAX_FAILURES`` wrong tokens in any ``WINDOW_SECONDS`` (a sliding window) from one
address, and as many for one name typed into the form, whatever address it comes from. A
right token does not count. Once either key is full, the form answers 429 with Retry-After
and does not check the token at all, so a right guess is refused as well.

Why not slowapi: it limits a route per key that a function computes from the request before
the endpoint runs. The name is in the form body, which that function cannot read without
consuming it, and slowapi counts every request, where only wrong tokens should count. Why not
``limits`` (the package slowapi uses): its moving window can check a key and hit it, but not
take back a hit, so "count this attempt unless the token was right" becomes a check and a
later hit, and parallel guesses all pass the check before any of them is counted. Here an
attempt takes its place in both windows at once, under one lock, before the token is
compared, and a right token gives the place back (``SignInLimiter.succeeded``).

The counts live in this process's memory. That is enough because the staff page and API are
one process (docs/scaling.md). A restart forgets them, which gives an attacker at most
``MAX_FAILURES`` more guesses per restart; several processes would each count on their own.

The address is the one the ASGI server gives the request (``request.client``), never a
header read here. Uvicorn takes it from the connection, or, when the connection comes from
a proxy it trusts (``FORWARDED_ALLOW_IPS``, by default 127.0.0.1 and ::1: nginx on the same
machine, as docs/staff.md asks), from the last address that proxy appended to
X-Forwarded-For. An IPv6 client is counted by its /64 network, the block one machine
usually holds.
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections import deque
from dataclasses import dataclass

MAX_FAILURES = 5
"""Wrong tokens checked per address, and per name, in any ``WINDOW_SECONDS``."""
WINDOW_SECONDS = 15 * 60
NAME_KEY_LENGTH = 100
"""Names are compared on their first 100 characters (the longest name a session keeps)."""
SWEEP_FLOOR = 1024
"""Keys kept before the first sweep of expired ones (see ``SignInLimiter._sweep``)."""


def address_key(host: str | None) -> str:
    """The key counting an address: the IPv4 address, the /64 of an IPv6 one, else the text."""
    if not host:
        return "address:unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"address:{host[:NAME_KEY_LENGTH]}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"address:{address.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"address:{address}"


def name_key(name: str) -> str:
    """The key counting a name: spaces and letter case do not make another name."""
    return f"name:{' '.join(name.split()).casefold()[:NAME_KEY_LENGTH]}"


@dataclass(frozen=True)
class Attempt:
    """A sign-in let through: counted as a failure under ``keys`` from ``at`` on, until
    ``SignInLimiter.succeeded`` takes it back."""

    keys: tuple[str, ...]
    at: float


@dataclass(frozen=True)
class Refusal:
    """A sign-in refused unchecked: whole seconds until one more attempt would be let through."""

    retry_after: int


class SignInLimiter:
    """Sliding windows of failed sign-ins, one per key; thread-safe."""

    def __init__(self, max_failures: int = MAX_FAILURES,
                 window_seconds: float = WINDOW_SECONDS) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = SWEEP_FLOOR

    def attempt(self, address: str | None, name: str, now: float) -> Attempt | Refusal:
        """Let one sign-in from ``address`` for ``name`` through (and count it as failed until
        told otherwise), or refuse it when either key already has ``max_failures``.

        ``now`` is a monotonic clock in seconds (``time.monotonic()``).
        """
        keys = (address_key(address), name_key(name))
        with self._lock:
            self._sweep(now)
            windows = [self._window(key, now) for key in keys]
            full = [window for window in windows if len(window) >= self.max_failures]
            if full:
                oldest = max(window[-self.max_failures] for window in full)
                return Refusal(max(1, math.ceil(oldest + self.window_seconds - now)))
            for window in windows:
                window.append(now)
            return Attempt(keys, now)

    def succeeded(self, attempt: Attempt) -> None:
        """The token was right: the attempt is not a failure after all."""
        with self._lock:
            for key in attempt.keys:
                window = self._failures.get(key)
                if window is not None and attempt.at in window:
                    window.remove(attempt.at)

    def keys_kept(self) -> int:
        """How many addresses and names the limiter holds failures (or empty windows) for."""
        with self._lock:
            return len(self._failures)

    def _window(self, key: str, now: float) -> deque[float]:
        """The failures of ``key`` still inside the window (oldest first)."""
        window = self._failures.setdefault(key, deque())
        while window and window[0] <= now - self.window_seconds:
            window.popleft()
        return window

    def _sweep(self, now: float) -> None:
        """Forget keys whose failures have all left the window, once the number of keys has
        doubled since the last sweep: every name typed is a key, so memory stays bounded by
        the failures of the last window, at a cost that stays constant per attempt."""
        if len(self._failures) < self._sweep_at:
            return
        for key in list(self._failures):
            if not self._window(key, now):
                del self._failures[key]
        self._sweep_at = max(SWEEP_FLOOR, 2 * len(self._failures))
