"""``python -c SCRIPT`` or ``python -m MODULE`` through a process that imported their libraries
once (``tests/preload.py``): the same arguments, environment, working directory and standard
input, the same CompletedProcess back, without importing everything again for each run.

``run_in_engine`` runs in the Rasa engine's environment (Rasa preloaded: 10-15 s saved per
run); ``run_module`` in the project's own (the staff command line preloaded).
"""

from __future__ import annotations

import atexit
import json
import select
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from supervisor.processes import rasa_environment, rasa_python

REPO_ROOT = Path(__file__).resolve().parents[1]

# What the engine checks import, loaded once.
ENGINE_MODULES = ("rasa.core.agent", "rasa.core.actions.action", "rasa.shared.core.domain",
                  "rasa.shared.importers.importer", "rasa.core.nlg.response", "keras",
                  "engine.components")
PROJECT_MODULES = ("staff.cli",)


class Preloaded:
    """A process that imported its libraries once and answers one JSON line per request (one
    per interpreter and test session): ``tests/preload.py`` here, the staff app's servers in
    ``tests/staff/preload.py``."""

    def __init__(self, python: str, module: str, *args: str, env: Mapping[str, str]) -> None:
        self.process = subprocess.Popen(
            [python, "-m", module, *args], cwd=REPO_ROOT,
            env={**env, "PYTHONPATH": str(REPO_ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lock = threading.Lock()
        atexit.register(self.close)

    def ask(self, request: Mapping[str, object], timeout: float) -> dict[str, Any]:
        """Sends one request and returns the answer; the process is killed when it does not
        answer within ``timeout`` seconds."""
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            if not ready:
                self.process.kill()
                raise subprocess.TimeoutExpired(self.process.args, timeout)
            answer = self.process.stdout.readline()
        if not answer:
            raise AssertionError(f"the preloaded process {self.process.args} has exited")
        return dict(json.loads(answer))

    def close(self) -> None:
        if self.process.poll() is None and self.process.stdin is not None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


@cache
def _engine() -> Preloaded:
    return Preloaded(str(rasa_python()), "tests.preload", *ENGINE_MODULES,
                     env=rasa_environment())


@cache
def _project() -> Preloaded:
    return Preloaded(sys.executable, "tests.preload", *PROJECT_MODULES, env={})


def _run(preloaded: Preloaded, what: dict[str, object], args: tuple[str, ...],
         env: Mapping[str, str], cwd: Path, stdin: str | None, timeout: float,
         check: bool) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        given, out, err = (Path(folder) / name for name in ("stdin", "stdout", "stderr"))
        if stdin is not None:
            given.write_text(stdin, encoding="utf-8")
        try:
            status = int(preloaded.ask({**what, "argv": list(args), "env": dict(env),
                                        "cwd": str(cwd), "stdin": str(given) if stdin else None,
                                        "stdout": str(out), "stderr": str(err)},
                                       timeout)["status"])
        except subprocess.TimeoutExpired:
            _engine.cache_clear()  # the next run starts a fresh one
            _project.cache_clear()
            raise
        label = ["python", "-m", str(what["module"])] if "module" in what else \
            ["python", "-c", str(what["script"])]
        done = subprocess.CompletedProcess([*label, *args], status,
                                           out.read_text(encoding="utf-8", errors="replace"),
                                           err.read_text(encoding="utf-8", errors="replace"))
    if check:
        done.check_returncode()
    return done


def run_in_engine(script: str, *args: str, env: Mapping[str, str] | None = None,
                  cwd: Path = REPO_ROOT, timeout: float = 600,
                  check: bool = False) -> subprocess.CompletedProcess[str]:
    """What ``subprocess.run([engine python, "-c", script, *args], capture_output=True,
    text=True)`` returns, run in a fresh process forked from the preloaded engine."""
    return _run(_engine(), {"script": script}, args,
                rasa_environment() if env is None else env, cwd, None, timeout, check)


def run_module(module: str, *args: str, env: Mapping[str, str], input: str | None = None,
               cwd: Path = REPO_ROOT, timeout: float = 120,
               check: bool = False) -> subprocess.CompletedProcess[str]:
    """What ``subprocess.run([sys.executable, "-m", module, *args], input=input,
    capture_output=True, text=True)`` returns (standard input empty without ``input``), run
    in a fresh process forked from the project's preloaded interpreter."""
    return _run(_project(), {"module": module}, args, env, cwd, input, timeout, check)
