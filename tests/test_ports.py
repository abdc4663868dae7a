"""Ports for the servers the tests start (supervisor/ports.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from supervisor import ports


def test_ports_are_free_distinct_and_below_the_ephemeral_range() -> None:
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text(encoding="utf-8")
    low = int(ephemeral.split()[0])
    given = [ports.free_port() for _ in range(50)]
    assert len(set(given)) == 50
    assert all(port < low for port in given)
    with socket.socket() as server:
        server.bind(("", given[0]))  # nothing else holds it


def test_a_port_something_listens_on_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        draws = iter([taken, 23_456])
        monkeypatch.setattr(ports.random, "randint", lambda low, high: next(draws))
        monkeypatch.setattr(ports, "_given", set())
        assert ports.free_port() == 23_456
