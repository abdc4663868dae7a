"""Start and stop the staff app (``python -m staff.api``) as a real server process.

Each server is a process of its own, forked from one that imported the staff app once
(``tests/staff/preload.py``): the same ``staff.api.main`` a ``python -m staff.api`` runs, with
the test's environment, without importing everything again for each of the sixty starts.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from typing import IO

import httpx

from supervisor.ports import free_port
from tests.preloaded import Preloaded


@cache
def _preloaded() -> Preloaded:
    return Preloaded(sys.executable, "tests.staff.preload", env=os.environ)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class RunningStaffApp:
    """A staff app process, its base URL and the file its output goes to.

    The output goes to a file, not a pipe: nobody reads a pipe while the test runs, and a
    full pipe would block the server in the middle of a request.
    """

    pid: int
    url: str
    output: IO[str]

    def running(self) -> bool:
        """Whether the server process is still there."""
        return _running(self.pid)

    def stop(self) -> str:
        """Stop the server (SIGTERM, then SIGKILL after 30 s); return everything it printed."""
        if self.running():
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while self.running():
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                deadline = time.monotonic() + 30
            time.sleep(0.05)
        self.output.seek(0)
        printed = self.output.read()
        self.output.close()
        return printed


def start_staff_app(env: dict[str, str]) -> RunningStaffApp:
    """Start the staff app on a free port; return it once it answers."""
    port = free_port()
    output = tempfile.NamedTemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by stop()
    pid = int(_preloaded().ask({"argv": ["--port", str(port)], "env": env,
                                "output": output.name}, timeout=60)["pid"])
    app = RunningStaffApp(pid, f"http://127.0.0.1:{port}", output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not app.running():
            raise AssertionError(f"staff app exited early:\n{app.stop()}")
        try:
            if httpx.get(f"{app.url}/health", timeout=1).status_code == 200:
                return app
        except httpx.TransportError:
            time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"staff app did not answer within 60 s:\n{app.stop()}")
