"""Benchmark: reply latency of the running assistant over the REST channel.

Starts the real Rasa server and action server (as `make run` does, on free ports
and a scratch database), sends each message N times from fresh conversations and
prints the median and 90th percentile per message kind. Figures, not assertions:
the machines are shared and noisy, so compare medians and ratios between runs.

    .venv/bin/python scripts/bench_latency.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.model import ensure_model
from bot.processes import REPO_ROOT, ProcessGroup, assistant_processes, with_run_secrets
from office.db import migrate
from office.settings import load_settings

MESSAGES = {
    "greeting (NLU + rule, no action)": "hello",
    "permit form start (form action)": "How long will my residence permit be?",
    "lost passport (rules + database write)": "I lost my passport",
    "Chinese lost passport": "我的护照丢了",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(rasa_url: str, message: str, rounds: int) -> list[float]:
    """Seconds per round trip, one fresh conversation per round."""
    timings = []
    with httpx.Client(timeout=60) as client:
        for _ in range(rounds):
            started = time.perf_counter()
            client.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": f"bench-{uuid.uuid4().hex}", "message": message},
            ).raise_for_status()
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as scratch:
        settings = replace(
            with_run_secrets(load_settings()),
            database_url=f"sqlite:///{scratch}/office.db",
            rasa_port=free_port(),
            action_server_port=free_port(),
        )
        migrate(settings.database_url)
        model = ensure_model()
        group = ProcessGroup(
            environ={**os.environ, "DATABASE_URL": settings.database_url},
            log_dir=REPO_ROOT / "test-artifacts" / "bench-logs",
        )
        started = time.perf_counter()
        group.start(assistant_processes(settings, model), timeout=600)
        print(f"start-up to ready: {time.perf_counter() - started:.1f} s")
        try:
            rasa_url = f"http://localhost:{settings.rasa_port}"
            measure(rasa_url, "hello", 3)  # warm-up
            print(f"{'message':45} {'median ms':>10} {'p90 ms':>8}  (n={rounds})")
            for kind, message in MESSAGES.items():
                timings = sorted(measure(rasa_url, message, rounds))
                p90 = timings[int(0.9 * (len(timings) - 1))]
                print(f"{kind:45} {statistics.median(timings) * 1000:10.0f} {p90 * 1000:8.0f}")
        finally:
            group.stop()


if __name__ == "__main__":
    main()
