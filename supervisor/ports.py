"""Free TCP ports for the processes a test or a benchmark starts on this machine.

A port the kernel hands out for ``bind(("", 0))`` comes from the ephemeral range (32768-60999
on Linux), the range every outgoing connection also takes its local port from: between the
moment a port is chosen and the moment the server that gets it binds it (seconds, for Rasa),
a connection to PostgreSQL or another server may take it ("address already in use"). So ports
are drawn from below that range, and never handed out twice by one process.
"""

from __future__ import annotations

import random
import socket
import threading
from typing import Final

_RANGE: Final = (20_000, 32_767)
_given: set[int] = set()
_lock = threading.Lock()


def free_port() -> int:
    """A TCP port below the ephemeral range that nothing listens on now and that this
    process has not handed out before."""
    with _lock:
        for _ in range(1_000):
            port = random.randint(*_RANGE)
            if port in _given:
                continue
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("", port))
                except OSError:
                    continue
            _given.add(port)
            return port
    raise RuntimeError(f"no free TCP port between {_RANGE[0]} and {_RANGE[1]}")
