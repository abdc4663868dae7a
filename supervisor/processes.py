"""The processes of the assistant and how to start, watch and stop them together."""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

from config.settings import Settings, conversation_store_url

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
            (python, "-m", "actions.server", "--host", host,
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
                "TRACKER_STORE_URL": conversation_store_url(settings),
            }),
        ),
        ProcessSpec(
            "staff-api",
            (python, "-m", "staff.api", "--host", host,
             "--port", str(settings.staff_api_port)),
            ready_url=f"http://localhost:{settings.staff_api_port}/health",
        ),
        ProcessSpec("reminder-worker", (python, "-m", "reminders.worker")),
        # The maintainers' loop: a saved change to data/ is checked, trained and loaded
        # into the running Rasa server (training/live_model.py).
        ProcessSpec("model-watcher", (python, "-m", "training.live_model", "--rasa-url", rasa_url),
                    env={"RASA_API_TOKEN": token}),
    ]
    # The channels talk to the Rasa server started here, whatever RASA_URL says.
    specs.append(ProcessSpec(
        "web", (python, "-m", "bot.web", "--host", host, "--port", str(settings.web_port),
                "--rasa-url", rasa_url),
        ready_url=f"http://localhost:{settings.web_port}/health",
        env={"CHANNEL_TOKEN": settings.channel_token},
    ))
    if settings.telegram_bot_token:
        specs.append(ProcessSpec(
            "telegram", (python, "-m", "bot.telegram", "--rasa-url", rasa_url),
            env={"CHANNEL_TOKEN": settings.channel_token, "RASA_API_TOKEN": token},
        ))
    return specs


def group_members(pgid: int) -> list[int]:
    """The processes of process group ``pgid`` that still run (zombies left out)."""
    members = []
    for pid in psutil.pids():
        try:
            if os.getpgid(pid) == pgid and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                members.append(pid)
        except (OSError, psutil.Error):
            continue  # gone meanwhile
    return members


class ProcessTree:
    """A started process and everything it started: its process group (the process leads a
    session of its own) and every descendant seen while it ran, also those that left the group.

    The leader is reaped only once the whole tree is gone: until then its zombie keeps its pid,
    which is also the group's id, from being given to an unrelated process.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self._seen: dict[int, psutil.Process] = {}

    @property
    def pid(self) -> int:
        """The leader's pid, which is also the id of its process group."""
        return self.process.pid

    def exit_code(self) -> int | None:
        """The leader's exit code (minus the signal that killed it), None while it runs."""
        if self.process.returncode is not None:
            return self.process.returncode
        try:
            exited = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:  # reaped elsewhere
            return self.process.poll()
        if exited is None:
            return None
        return exited.si_status if exited.si_code == os.CLD_EXITED else -exited.si_status

    def remember_descendants(self) -> None:
        """Notes the leader's descendants now, to find them after the leader has died."""
        if self.exit_code() is not None:
            return
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.Error:
            return
        self._seen = {process.pid: process for process in self._living_descendants()}
        for child in children:
            self._seen[child.pid] = child  # a reused pid: the earlier process is gone

    def _living_descendants(self) -> list[psutil.Process]:
        living = []
        for process in self._seen.values():
            with contextlib.suppress(psutil.Error):
                # psutil compares creation times: a reused pid is not mistaken for ours
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    living.append(process)
        return living

    def send(self, signum: int) -> None:
        """Sends ``signum`` to the process group and to every descendant seen."""
        self.remember_descendants()
        if self.process.returncode is None:  # not reaped: the group id is still ours
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)
        else:
            for pid in group_members(self.pid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signum)
        for process in self._living_descendants():
            with contextlib.suppress(psutil.Error):
                process.send_signal(signum)

    def alive(self) -> bool:
        """Whether any process of the tree still runs."""
        if self.exit_code() is None:
            return True
        return bool(self._living_descendants() or group_members(self.pid))

    def reap(self) -> None:
        """Collects the leader's exit status (call once ``alive()`` is False)."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1.0)


def stop_trees(trees: Sequence[ProcessTree], grace: float = STOP_GRACE_SECONDS) -> list[int]:
    """Asks every tree to stop (SIGTERM), kills what still runs after ``grace`` seconds
    (SIGKILL), waits until nothing of them runs; returns the pids of the leaders killed."""
    for tree in trees:
        tree.send(signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(tree.alive() for tree in trees) and time.monotonic() < deadline:
        time.sleep(0.1)
    killed = [tree.pid for tree in trees if tree.alive()]
    for tree in trees:
        if tree.alive():
            tree.send(signal.SIGKILL)
    deadline = time.monotonic() + 10.0
    while any(tree.alive() for tree in trees) and time.monotonic() < deadline:
        time.sleep(0.05)
        for tree in trees:
            if tree.alive():  # a process forked between two signals
                tree.send(signal.SIGKILL)
    for tree in trees:
        tree.reap()
    return killed


@dataclass(frozen=True)
class Supervision:
    """How a ProcessGroup watches its processes once they run.

    A process with a ``ready_url`` is probed every ``health_interval`` seconds (each probe
    waiting at most ``health_timeout``); after ``failures_before_restart`` failures in a row it
    counts as dead. A dead process is stopped (its whole tree: SIGTERM, SIGKILL after
    ``restart_grace``) and started again after a delay that doubles from ``first_backoff`` up
    to ``max_backoff``, and starts from ``first_backoff`` again once the process has been
    healthy for ``stable_after`` seconds. A restarted process not ready within
    ``start_timeout`` is restarted again.
    """

    health_interval: float = 5.0
    health_timeout: float = 3.0
    failures_before_restart: int = 3
    first_backoff: float = 1.0
    max_backoff: float = 60.0
    stable_after: float = 120.0
    start_timeout: float = 600.0
    restart_grace: float = 5.0
    ready_interval: float = 0.5
    step: float = 0.5

    def backoff(self, restarts_in_a_row: int) -> float:
        """Seconds to wait before the next restart, after this many restarts in a row."""
        return float(min(self.first_backoff * 2**restarts_in_a_row, self.max_backoff))


class _State(enum.Enum):
    STARTING = "starting"
    RUNNING = "running"
    DOWN = "down"


@dataclass
class _Supervised:
    """One process of the group and what the supervisor knows about it."""

    spec: ProcessSpec
    tree: ProcessTree | None = None
    state: _State = _State.DOWN
    ever_ready: bool = False
    started_at: float = 0.0
    ready_at: float = 0.0
    down_at: float = 0.0
    restart_at: float = 0.0
    kill_at: float = 0.0
    failures: int = 0
    restarts: int = 0
    in_a_row: int = 0
    probe: Future[bool] | None = None
    next_probe_at: float = 0.0
    next_look_at: float = 0.0


def _answers(url: str, timeout: float) -> bool:
    """Whether ``url`` answers 200 within ``timeout`` seconds."""
    try:
        return httpx.get(url, timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


class ProcessGroup:
    """Starts processes, waits until each is ready, keeps them running, stops them together.

    ``start()`` starts every process in its own session and waits until all are ready;
    ``supervise()`` (called in a loop by ``run()``) restarts, with exponential backoff, a
    process that has exited or stopped answering its health checks, leaving the others
    serving; ``stop()`` stops the whole tree of every process.
    """

    def __init__(
        self, environ: Mapping[str, str] | None = None, log_dir: Path | None = None,
        supervision: Supervision | None = None,
    ) -> None:
        """`log_dir`: write each process's output to `<name>.log` there instead of the terminal."""
        self._environ = dict(environ if environ is not None else os.environ)
        self._log_dir = log_dir
        self.supervision = supervision or Supervision()
        self._processes: list[_Supervised] = []
        self._probes: ThreadPoolExecutor | None = None
        self._starting = False

    def start(
        self, specs: Iterable[ProcessSpec], timeout: float = 300.0,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Starts each process and waits until all are ready (or ``should_stop()``).

        Raises RuntimeError if a process exits before it was ever ready, TimeoutError if one
        is not ready within ``timeout`` seconds.
        """
        added = [_Supervised(spec) for spec in specs]
        self._processes.extend(added)
        for supervised in added:
            self._spawn(supervised, time.monotonic())
        deadline = time.monotonic() + timeout
        self._starting = True
        try:
            while not should_stop():
                self.supervise()
                if all(p.state is _State.RUNNING for p in self._processes):
                    return
                if time.monotonic() > deadline:
                    late = [p.spec for p in added if not p.ever_ready]
                    if not late:
                        return  # a restarted one comes back under supervision
                    url = (late[0].ready_url or "").split("?")[0]
                    raise TimeoutError(f"{late[0].name} was not ready at {url}")
                time.sleep(self.supervision.step)
        finally:
            self._starting = False

    def run(self, should_stop: Callable[[], bool]) -> None:
        """Supervises the processes until ``should_stop()``."""
        while not should_stop():
            self.supervise()
            time.sleep(self.supervision.step)

    def pids(self) -> dict[str, int | None]:
        """The pid of each process's current leader (None while it is down)."""
        return {p.spec.name: p.tree.pid if p.tree else None for p in self._processes}

    def supervise(self) -> None:
        """One look at every process: restart the dead, probe the living, start the due."""
        for supervised in self._processes:
            now = time.monotonic()
            if supervised.state is _State.DOWN:
                self._bring_back(supervised, now)
            else:
                self._watch(supervised, now)

    def _spawn(self, supervised: _Supervised, now: float) -> None:
        spec = supervised.spec
        log.info("starting %s", spec.name)
        output = None
        if self._log_dir is not None:
            self._log_dir.mkdir(parents=True, exist_ok=True)
            output = (self._log_dir / f"{spec.name}.log").open("ab")
        process = subprocess.Popen(
            spec.argv, cwd=REPO_ROOT, env={**self._environ, **spec.env},
            start_new_session=True, stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )
        if output is not None:
            output.close()  # the child holds its own copy
        supervised.tree = ProcessTree(process)
        supervised.state = _State.STARTING
        supervised.started_at = supervised.next_probe_at = supervised.next_look_at = now
        supervised.failures = 0
        supervised.probe = None

    def _watch(self, supervised: _Supervised, now: float) -> None:
        """Checks a starting or running process: has it exited, does it answer?"""
        tree, spec = supervised.tree, supervised.spec
        assert tree is not None
        code = tree.exit_code()
        if code is not None:
            self._restart(supervised, f"{spec.name} exited with code {code}", now)
            return
        if now >= supervised.next_look_at:
            tree.remember_descendants()
            supervised.next_look_at = now + self.supervision.health_interval
        if spec.ready_url is None:
            if supervised.state is _State.STARTING:
                self._ready(supervised, now)
        else:
            self._probe(supervised, spec.ready_url, now)
        if (supervised.state is _State.RUNNING and supervised.in_a_row
                and now - supervised.ready_at >= self.supervision.stable_after):
            supervised.in_a_row = 0

    def _probe(self, supervised: _Supervised, url: str, now: float) -> None:
        """Reads the finished health probe, if any, and sends the next one when it is due.

        Probes run in threads, so a process that hangs holds up no one else's supervision.
        """
        rules = self.supervision
        if supervised.probe is not None and supervised.probe.done():
            answered = supervised.probe.result()
            supervised.probe = None
            if supervised.state is _State.STARTING:
                if answered:
                    self._ready(supervised, now)
            elif answered:
                supervised.failures = 0
            else:
                supervised.failures += 1
                if supervised.failures >= rules.failures_before_restart:
                    reason = f"{supervised.spec.name} failed {supervised.failures} health checks"
                    self._restart(supervised, f"{reason} in a row", now)
                    return
        starting = supervised.state is _State.STARTING
        # The first start has start()'s own timeout; this one is for restarts.
        if (starting and supervised.ever_ready
                and now - supervised.started_at > rules.start_timeout):
            self._restart(supervised, f"{supervised.spec.name} was not ready within "
                                      f"{rules.start_timeout:g} s", now)
            return
        if supervised.probe is None and now >= supervised.next_probe_at:
            if self._probes is None:
                self._probes = ThreadPoolExecutor(max_workers=8, thread_name_prefix="health")
            supervised.probe = self._probes.submit(_answers, url, rules.health_timeout)
            interval = rules.ready_interval if starting else rules.health_interval
            supervised.next_probe_at = now + interval

    def _ready(self, supervised: _Supervised, now: float) -> None:
        supervised.state = _State.RUNNING
        supervised.ready_at = now
        if supervised.ever_ready:
            log.info("%s is ready again, %.0f s after it went down (restart %d)",
                     supervised.spec.name, now - supervised.down_at, supervised.restarts)
        else:
            log.info("%s is ready", supervised.spec.name)
        supervised.ever_ready = True

    def _restart(self, supervised: _Supervised, reason: str, now: float) -> None:
        """Stops what is left of a dead or unhealthy process and schedules its restart."""
        if self._starting and not supervised.ever_ready:
            raise RuntimeError(reason)
        delay = self.supervision.backoff(supervised.in_a_row)
        supervised.in_a_row += 1
        supervised.restarts += 1
        log.warning("%s; restarting in %g s (restart %d)", reason, delay, supervised.restarts)
        assert supervised.tree is not None
        supervised.tree.send(signal.SIGTERM)
        supervised.state = _State.DOWN
        supervised.probe = None
        supervised.down_at = now
        supervised.restart_at = now + delay
        supervised.kill_at = now + self.supervision.restart_grace

    def _bring_back(self, supervised: _Supervised, now: float) -> None:
        """Kills what still runs of a dead process after the grace; restarts it when due."""
        tree = supervised.tree
        if tree is not None:
            if tree.alive():
                if now < supervised.kill_at:
                    return
                log.warning("%s did not stop in time; killing it", supervised.spec.name)
                tree.send(signal.SIGKILL)
                if tree.alive():
                    return
            tree.reap()
            supervised.tree = None
        if now >= supervised.restart_at:
            self._spawn(supervised, now)

    def stop(self) -> None:
        """Stops every process with its whole tree: SIGTERM, SIGKILL after a grace period."""
        trees = [p.tree for p in reversed(self._processes) if p.tree is not None]
        names = {p.tree.pid: p.spec.name for p in self._processes if p.tree is not None}
        for pid in stop_trees(trees):
            log.warning("%s did not stop in time; killed it", names[pid])
        self._processes.clear()
        if self._probes is not None:
            self._probes.shutdown(wait=False, cancel_futures=True)
            self._probes = None
