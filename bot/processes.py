"""The processes of the assistant and how to start, watch and stop them together."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

import httpx

from office.settings import Settings

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
STOP_GRACE_SECONDS = 15.0


def rasa_executable(root: Path = REPO_ROOT) -> Path:
    """The `rasa` command of the engine's own Python 3.10 environment."""
    return root / ".venv-rasa" / "bin" / "rasa"


def rasa_python(root: Path = REPO_ROOT) -> Path:
    """The Python interpreter of the engine's own Python 3.10 environment."""
    return rasa_executable(root).parent / "python"


def rasa_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for Rasa: no telemetry (there is no internet), quiet TensorFlow."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore",
    )
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class ProcessSpec:
    """A process to start: its command, environment and the URL that answers when ready."""

    name: str
    argv: tuple[str, ...]
    ready_url: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


def with_run_secrets(settings: Settings) -> Settings:
    """``settings`` with every secret the processes share: the configured ones, or random
    ones for this run (Rasa's API token, the action server's token, the bridge's token)."""
    def chosen(value: str | None) -> str:
        return value or secrets.token_urlsafe(24)

    return replace(
        settings,
        rasa_api_token=chosen(settings.rasa_api_token),
        action_server_token=chosen(settings.action_server_token),
        channel_token=chosen(settings.channel_token),
    )


def chat_origins(settings: Settings) -> str:
    """The origins whose pages may open Rasa's socket.io channel: the web chat's own page
    (behind the proxy the page and the socket share one origin and need no CORS)."""
    return " ".join(f"http://{host}:{settings.web_port}" for host in ("localhost", "127.0.0.1"))


def assistant_processes(settings: Settings, model: Path) -> list[ProcessSpec]:
    """Every process `make run` starts, for these settings and this model.

    Every server binds to ``settings.listen_address`` (loopback by default). Rasa's HTTP API
    (conversations, model) answers only with the API token, which reaches Rasa through its
    environment (``engine.serving.server``), never its command line; the action server answers
    only calls carrying the action server's token (endpoints.yml sends it); Rasa's
    ``telegram`` channel only the bridge, which holds the channel token. The action server
    gets the API token to erase a conversation when its person asks for their data to be
    deleted.
    """
    settings = with_run_secrets(settings)
    token = settings.rasa_api_token
    assert token is not None and settings.action_server_token and settings.channel_token
    python = sys.executable
    host = settings.listen_address
    action_url = f"http://localhost:{settings.action_server_port}"
    rasa_url = f"http://localhost:{settings.rasa_port}"
    specs = [
        ProcessSpec(
            "action-server",
            (python, "-m", "bot.action_server", "--host", host,
             "--port", str(settings.action_server_port)),
            ready_url=f"{action_url}/health",
            env={"RASA_URL": rasa_url, "RASA_API_TOKEN": token,
                 "ACTION_SERVER_TOKEN": settings.action_server_token},
        ),
        ProcessSpec(
            "rasa",
            (str(rasa_python()), "-m", "engine.serving.server", "run", "--enable-api",
             "--interface", host, "--cors", *chat_origins(settings).split(),
             "--port", str(settings.rasa_port), "--model", str(model),
             "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"),
            ready_url=f"{rasa_url}/status?token={quote(token, safe='')}",
            env=rasa_environment({
                "ACTION_ENDPOINT_URL": f"{action_url}/webhook",
                "ACTION_SERVER_TOKEN": settings.action_server_token,
                "CHANNEL_TOKEN": settings.channel_token,
                "RASA_API_TOKEN": token,
                "TRACKER_STORE_URL": settings.tracker_store_url or settings.database_url,
            }),
        ),
        ProcessSpec(
            "staff-api",
            (python, "-m", "office.staff_api", "--host", host,
             "--port", str(settings.staff_api_port)),
            ready_url=f"http://localhost:{settings.staff_api_port}/health",
        ),
        ProcessSpec("reminder-worker", (python, "-m", "office.reminders")),
    ]
    # The channels talk to the Rasa server started here, whatever RASA_URL says.
    specs.append(ProcessSpec(
        "web", (python, "-m", "bot.web", "--host", host, "--port", str(settings.web_port),
                "--rasa-url", rasa_url),
        ready_url=f"http://localhost:{settings.web_port}/health",
    ))
    if settings.telegram_bot_token:
        specs.append(ProcessSpec(
            "telegram", (python, "-m", "bot.telegram", "--rasa-url", rasa_url),
            env={"CHANNEL_TOKEN": settings.channel_token, "RASA_API_TOKEN": token},
        ))
    return specs


class ProcessGroup:
    """Starts processes, waits until each is ready, and stops them all together."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, log_dir: Path | None = None
    ) -> None:
        """`log_dir`: write each process's output to `<name>.log` there instead of the terminal."""
        self._environ = dict(environ if environ is not None else os.environ)
        self._log_dir = log_dir
        self._running: list[tuple[ProcessSpec, subprocess.Popen[bytes]]] = []

    def start(self, specs: Iterable[ProcessSpec], timeout: float = 300.0) -> None:
        """Starts each process in its own session and waits until all are ready."""
        for spec in specs:
            env = {**self._environ, **spec.env}
            log.info("starting %s", spec.name)
            output = None
            if self._log_dir is not None:
                self._log_dir.mkdir(parents=True, exist_ok=True)
                output = (self._log_dir / f"{spec.name}.log").open("ab")
            process = subprocess.Popen(
                spec.argv, cwd=REPO_ROOT, env=env, start_new_session=True,
                stdout=output, stderr=subprocess.STDOUT if output else None,
            )
            if output is not None:
                output.close()  # the child holds its own copy
            self._running.append((spec, process))
        deadline = time.monotonic() + timeout
        for spec, process in self._running:
            if spec.ready_url:
                self._wait_ready(spec, process, deadline)
            log.info("%s is ready", spec.name)

    def _wait_ready(
        self, spec: ProcessSpec, process: subprocess.Popen[bytes], deadline: float
    ) -> None:
        assert spec.ready_url is not None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{spec.name} exited with code {process.returncode}")
            try:
                if httpx.get(spec.ready_url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{spec.name} was not ready at {spec.ready_url.split('?')[0]}")

    def first_exited(self) -> tuple[str, int] | None:
        """Name and exit code of a process that has stopped, if any has."""
        for spec, process in self._running:
            code = process.poll()
            if code is not None:
                return spec.name, code
        return None

    def stop(self) -> None:
        """Asks every process to stop, then kills those still running after a grace period."""
        for _, process in reversed(self._running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for spec, process in reversed(self._running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", spec.name)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._running.clear()
