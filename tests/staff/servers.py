"""Start and stop the staff app (``python -m staff.api``) as a real server process."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import IO

import httpx


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningStaffApp:
    """A staff app process, its base URL and the file its output goes to.

    The output goes to a file, not a pipe: nobody reads a pipe while the test runs, and a
    full pipe would block the server in the middle of a request.
    """

    process: subprocess.Popen[bytes]
    url: str
    output: IO[str]

    def stop(self) -> str:
        """Stop the server; return everything it printed."""
        self.process.terminate()
        self.process.wait(timeout=30)
        self.output.seek(0)
        printed = self.output.read()
        self.output.close()
        return printed


def start_staff_app(env: dict[str, str]) -> RunningStaffApp:
    """Start the staff app on a free port; return it once it answers."""
    port = free_port()
    output = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by stop()
    process = subprocess.Popen([sys.executable, "-m", "staff.api", "--port", str(port)],
                               env=env, stdout=output, stderr=subprocess.STDOUT)
    app = RunningStaffApp(process, f"http://127.0.0.1:{port}", output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"staff app exited early:\n{app.stop()}")
        try:
            if httpx.get(f"{app.url}/health", timeout=1).status_code == 200:
                return app
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"staff app did not answer within 60 s:\n{app.stop()}")
