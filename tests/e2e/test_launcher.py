"""`make run`'s launcher: everything comes up, and Ctrl-C stops every process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from supervisor.launcher import START_TIMEOUT_SECONDS
from supervisor.processes import REPO_ROOT
from tests.e2e.conftest import free_port
from training.model import ensure_model

pytestmark = pytest.mark.e2e


def wait_for(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def test_launcher_serves_the_rest_channel_and_ctrl_c_stops_every_process(tmp_path: Path) -> None:
    ensure_model()  # trained beforehand: the launcher must then reuse it, not train
    ports = {name: str(free_port()) for name in
             ("RASA_PORT", "ACTION_SERVER_PORT", "WEB_PORT", "STAFF_API_PORT")}
    env = {**os.environ, **ports, "DATABASE_URL": f"sqlite:///{tmp_path / 'office.db'}",
           "RASA_API_TOKEN": "launcher-test-token"}
    log = (tmp_path / "launcher.log").open("wb")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "supervisor.launcher"], cwd=REPO_ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        rasa = f"http://localhost:{ports['RASA_PORT']}"
        status = f"{rasa}/status?token=launcher-test-token"
        assert wait_for(status, timeout=START_TIMEOUT_SECONDS), (
            tmp_path / "launcher.log").read_text()
        assert httpx.get(f"{rasa}/status", timeout=10).status_code == 401  # API needs the token
        reply = httpx.post(f"{rasa}/webhooks/rest/webhook",
                           json={"sender": "launcher-test", "message": "talk to a person"},
                           timeout=60).json()
        assert any("CPU-" in r.get("text", "") for r in reply)
        children = psutil.Process(launcher.pid).children(recursive=True)
        assert len(children) >= 2

        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
        _, alive = psutil.wait_procs(children, timeout=30)
        assert alive == []
        for port in ports.values():  # the next `make run` finds its ports free
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(("127.0.0.1", int(port)))
    finally:
        if launcher.poll() is None:  # stopped as Ctrl-C does: SIGKILL would leave its children
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                launcher.kill()
    # Read from its log, not from models/, where another run may be training meanwhile.
    output = (tmp_path / "launcher.log").read_text()
    assert "reusing the trained model" in output and "training a new model" not in output
