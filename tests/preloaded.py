"""``python -c SCRIPT`` in the Rasa engine's environment, through one process that imported
Rasa once (``tests/engine_preload.py``): the same script, arguments, environment and working
directory, the same CompletedProcess back, without 10-15 s of importing Rasa each time."""

from __future__ import annotations

import atexit
import json
import select
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from supervisor.processes import rasa_environment, rasa_python

REPO_ROOT = Path(__file__).resolve().parents[1]


class _Preloaded:
    """The engine process the scripts are forked from (one per test session)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(rasa_python()), "-m", "tests.engine_preload"],
            cwd=REPO_ROOT, env={**rasa_environment(), "PYTHONPATH": str(REPO_ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lock = threading.Lock()
        atexit.register(self.close)

    def run(self, request: dict[str, object], timeout: float) -> int:
        """Sends one request; returns the script's exit status."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.process.kill()
            _preloaded.cache_clear()
            raise subprocess.TimeoutExpired(["python", "-c", "..."], timeout)
        answer = self.process.stdout.readline()
        if not answer:
            _preloaded.cache_clear()
            raise AssertionError("the engine's preloaded process has exited")
        return int(json.loads(answer)["status"])

    def close(self) -> None:
        if self.process.poll() is None and self.process.stdin is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


@cache
def _preloaded() -> _Preloaded:
    return _Preloaded()


def run_in_engine(script: str, *args: str, env: Mapping[str, str] | None = None,
                  cwd: Path = REPO_ROOT, timeout: float = 600,
                  check: bool = False) -> subprocess.CompletedProcess[str]:
    """What ``subprocess.run([engine python, "-c", script, *args], capture_output=True,
    text=True)`` returns, run in a fresh process forked from the preloaded engine."""
    environment = dict(rasa_environment() if env is None else env)
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        preloaded = _preloaded()
        with preloaded.lock:
            status = preloaded.run({"script": script, "argv": list(args), "env": environment,
                                    "cwd": str(cwd), "stdout": str(out), "stderr": str(err)},
                                   timeout)
        done = subprocess.CompletedProcess(["python", "-c", script, *args], status,
                                           out.read_text(encoding="utf-8", errors="replace"),
                                           err.read_text(encoding="utf-8", errors="replace"))
    if check:
        done.check_returncode()
    return done
