"""One process failing never takes the assistant down, and nothing outlives a stop.

The first tests use small stand-in processes (sleepers, a tiny http.server) and a fast
Supervision; the end-to-end tests at the bottom drive the real launcher (`make run`) on free
ports and kill its real processes with SIGKILL.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import select

from casestore.db import make_engine, make_session_factory
from casestore.models import Case, Person
from supervisor.processes import REPO_ROOT, ProcessGroup, ProcessSpec, Supervision, group_members
from tests.conftest import free_port
from training.model import ensure_model

FAST = Supervision(health_interval=0.3, health_timeout=0.5, failures_before_restart=3,
                   first_backoff=0.2, max_backoff=2.0, restart_grace=1.0, ready_interval=0.1,
                   step=0.05)
RESTART = re.compile(r"restarting in ([\d.]+) s \(restart (\d+)\)")

# A health endpoint that hangs once a file named hang-<its pid> exists in its directory; it
# starts a child in its own process group and a grandchild in a session of its own, and
# writes their pids, to see that a restart takes the whole tree with it.
HANGING_SERVER = """
import http.server, os, subprocess, sys, time
here, port = sys.argv[1], int(sys.argv[2])
sleep = [sys.executable, "-c", "import time; time.sleep(600)"]
child = subprocess.Popen(sleep)
loner = subprocess.Popen(sleep, start_new_session=True)
with open(os.path.join(here, f"tree-{os.getpid()}"), "w") as out:
    out.write(f"{child.pid} {loner.pid}")

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        while os.path.exists(os.path.join(here, f"hang-{os.getpid()}")):
            time.sleep(0.1)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(str(os.getpid()).encode())

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
"""

# The listening socket is served by a forked worker, as rasa_sdk's workers did: killing the
# leader alone leaves the worker holding the port.
FORKING_SERVER = """
import http.server, os, sys, time

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(str(os.getpid()).encode())

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health)
if os.fork() == 0:
    server.serve_forever()
while True:
    time.sleep(1)
"""


def python(code: str, *args: str) -> tuple[str, ...]:
    return (sys.executable, "-c", code, *args)


def gone(pid: int) -> bool:
    """Whether no process ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def supervise_until(group: ProcessGroup, condition: Callable[[], bool], timeout: float) -> float:
    """Runs the group's supervision until ``condition()``; returns the seconds it took."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        group.supervise()
        if condition():
            return time.monotonic() - began
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {group.pids()}")


def answering_pid(url: str) -> int | None:
    """The pid the stand-in server answers with, None if it does not answer."""
    try:
        response = httpx.get(url, timeout=0.5)
    except httpx.HTTPError:
        return None
    return int(response.text) if response.status_code == 200 else None


def restart_delays(caplog: pytest.LogCaptureFixture) -> list[float]:
    return [float(found[1]) for found in map(RESTART.search, caplog.messages) if found]


def test_a_process_whose_health_check_hangs_is_restarted_with_its_whole_tree(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supervisor.processes")
    port = free_port()
    url = f"http://127.0.0.1:{port}/health"
    group = ProcessGroup(supervision=FAST)
    try:
        group.start([
            ProcessSpec("server", python(HANGING_SERVER, str(tmp_path), str(port)), ready_url=url),
            ProcessSpec("other", python("import time; time.sleep(600)")),
        ], timeout=30)
        first, other = group.pids()["server"], group.pids()["other"]
        assert first is not None and other is not None
        tree = [int(pid) for pid in (tmp_path / f"tree-{first}").read_text().split()]
        (tmp_path / f"hang-{first}").touch()

        took = supervise_until(group, lambda: any(
            "server is ready again" in message for message in caplog.messages), timeout=30)

        print(f"hung server replaced in {took:.1f} s")
        assert all(gone(pid) for pid in (first, *tree))
        assert group.pids()["other"] == other
        assert any("server failed 3 health checks in a row; restarting in 0.2 s (restart 1)"
                   in message for message in caplog.messages)
        assert answering_pid(url) not in (None, first)
    finally:
        group.stop()


def test_orphans_of_a_killed_process_are_killed_and_its_port_is_free_for_the_restart() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/health"
    group = ProcessGroup(supervision=FAST)
    try:
        group.start([ProcessSpec("forking", python(FORKING_SERVER, str(port)), ready_url=url)],
                    timeout=30)
        leader, worker = group.pids()["forking"], answering_pid(url)
        assert leader is not None and worker is not None and worker != leader

        os.kill(leader, signal.SIGKILL)
        supervise_until(group, lambda: answering_pid(url) not in (None, worker), timeout=30)

        assert gone(worker)
        assert group.pids()["forking"] not in (None, leader)
    finally:
        group.stop()
    assert gone(worker)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))  # nothing holds the port any more


def test_stop_kills_descendants_that_left_the_process_group(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/health"
    group = ProcessGroup(supervision=FAST)
    try:
        group.start([ProcessSpec("server", python(HANGING_SERVER, str(tmp_path), str(port)),
                                 ready_url=url)], timeout=30)
        leader = group.pids()["server"]
        assert leader is not None
        tree = [int(pid) for pid in (tmp_path / f"tree-{leader}").read_text().split()]
        assert not any(gone(pid) for pid in tree)
    finally:
        group.stop()
    assert all(gone(pid) for pid in (leader, *tree))


def test_restarts_back_off_exponentially_up_to_the_cap(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="supervisor.processes")
    rules = Supervision(first_backoff=0.1, max_backoff=0.4, stable_after=60, step=0.05)
    group = ProcessGroup(supervision=rules)
    try:
        group.start([ProcessSpec("short-lived", python("import time; time.sleep(0.2)"))])
        supervise_until(group, lambda: len(restart_delays(caplog)) >= 5, timeout=30)
    finally:
        group.stop()
    assert restart_delays(caplog)[:5] == [0.1, 0.2, 0.4, 0.4, 0.4]
    assert any("short-lived exited with code 0; restarting in 0.1 s (restart 1)" in message
               for message in caplog.messages)


def test_backoff_starts_over_once_the_process_has_been_healthy_for_a_while(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="supervisor.processes")
    rules = Supervision(first_backoff=0.1, max_backoff=0.4, stable_after=0.3, step=0.05)
    group = ProcessGroup(supervision=rules)
    try:
        group.start([ProcessSpec("steady", python("import time; time.sleep(0.8)"))])
        supervise_until(group, lambda: len(restart_delays(caplog)) >= 3, timeout=30)
    finally:
        group.stop()
    assert restart_delays(caplog)[:3] == [0.1, 0.1, 0.1]


def test_a_process_that_never_becomes_ready_after_a_restart_is_restarted_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supervisor.processes")
    port = free_port()
    url = f"http://127.0.0.1:{port}/health"
    marker = tmp_path / "started-once"
    # Serves the first time only; afterwards it runs without ever listening.
    code = textwrap.dedent(f"""
        import http.server, os, pathlib, sys, time
        marker = pathlib.Path({str(marker)!r})
        if marker.exists():
            time.sleep(600)
        marker.touch()
        exec({HANGING_SERVER!r})
    """)
    rules = Supervision(health_interval=0.3, health_timeout=0.5, first_backoff=0.1,
                        start_timeout=1.0, ready_interval=0.1, step=0.05)
    group = ProcessGroup(supervision=rules)
    try:
        group.start([ProcessSpec("server", python(code, str(tmp_path), str(port)),
                                 ready_url=url)], timeout=30)
        first = group.pids()["server"]
        assert first is not None
        os.kill(first, signal.SIGKILL)
        supervise_until(group, lambda: len(restart_delays(caplog)) >= 3, timeout=30)
    finally:
        group.stop()
    assert any("server was not ready within 1 s" in message for message in caplog.messages)
    assert restart_delays(caplog)[:3] == [0.1, 0.2, 0.4]


# `rasa train` stand-in: it starts a child, writes both pids and trains for ten minutes.
FAKE_TRAINING = """#!{python}
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open({pids!r} + ".tmp", "w") as out:
    out.write(f"{{os.getpid()}} {{child.pid}}")
os.rename({pids!r} + ".tmp", {pids!r})
time.sleep(600)
"""

# The launcher, with the fake project root above and no database to migrate.
LAUNCHER = """
import sys
from pathlib import Path
import supervisor.launcher as launcher
from training.model import ensure_model
launcher.migrate = lambda url: None
launcher.ensure_model = lambda: ensure_model(Path(sys.argv[1]))
sys.exit(launcher.main())
"""


def fake_project(root: Path, pids: Path) -> None:
    """A project whose model is missing and whose `rasa train` is FAKE_TRAINING."""
    for name in ("data", "engine", ".venv-rasa/bin"):
        (root / name).mkdir(parents=True)
    (root / "config.yml").write_text("recipe: default.v1\n")
    (root / "domain.yml").write_text("version: '3.1'\n")
    rasa = root / ".venv-rasa" / "bin" / "rasa"
    rasa.write_text(FAKE_TRAINING.format(python=sys.executable, pids=str(pids)))
    rasa.chmod(0o755)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_launcher_started_in_the_background_stops_the_training_on_a_signal(
    signum: signal.Signals, tmp_path: Path
) -> None:
    pids = tmp_path / "training.pids"
    fake_project(tmp_path / "project", pids)
    driver = tmp_path / "launcher.py"
    driver.write_text(LAUNCHER)
    # `cmd &` in a non-interactive shell starts cmd with SIGINT ignored.
    shell = subprocess.Popen(
        ["sh", "-c", f'"{sys.executable}" "{driver}" "{tmp_path / "project"}" & echo $!; wait'],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE, stderr=(tmp_path / "launcher.log").open("wb"),
    )
    try:
        assert shell.stdout is not None
        launcher = int(shell.stdout.readline())
        deadline = time.monotonic() + 60
        while not pids.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pids.exists(), (tmp_path / "launcher.log").read_text()
        training = [int(pid) for pid in pids.read_text().split()]

        os.kill(launcher, signum)
        shell.wait(timeout=30)

        assert gone(launcher)
        deadline = time.monotonic() + 10
        while not all(gone(pid) for pid in training) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(gone(pid) for pid in training)
        log = (tmp_path / "launcher.log").read_text()
        assert f"{signum.name} received; stopped before the assistant started" in log
    finally:
        if shell.poll() is None:
            shell.kill()


# --- The real assistant under `python -m supervisor.launcher`, one launcher for the tests below ---

TOKEN = "supervision-test-token"
PORTS = ("RASA_PORT", "ACTION_SERVER_PORT", "WEB_PORT", "STAFF_API_PORT")


def health_url(ports: dict[str, int], port: str) -> str:
    """The URL the launcher probes for the server on ``port``."""
    path = f"/status?token={TOKEN}" if port == "RASA_PORT" else "/health"
    return f"http://localhost:{ports[port]}{path}"


@dataclass(frozen=True)
class Launched:
    """The running launcher, its ports, its log and how long it took to start."""

    process: subprocess.Popen[bytes]
    ports: dict[str, int]
    log: Path
    startup_seconds: float
    database_url: str

    def url(self, port: str, path: str) -> str:
        return f"http://localhost:{self.ports[port]}{path}"

    def health(self, port: str) -> str:
        return health_url(self.ports, port)

    def leader(self, module: str) -> psutil.Process | None:
        """The running process started as ``python -m <module>``, if there is one."""
        for child in psutil.Process(self.process.pid).children():
            try:
                if module in child.cmdline() and not gone(child.pid):
                    return child
            except psutil.Error:
                continue
        return None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def rule_answer(launched: Launched) -> bool:
    """Whether a visa question is answered with its article (which needs the action server)."""
    try:
        replies = httpx.post(
            launched.url("RASA_PORT", "/webhooks/rest/webhook"),
            json={"sender": f"supervision-{uuid.uuid4().hex[:8]}",
                  "message": "which visa types are there?"},
            timeout=30,
        ).json()
    except (httpx.HTTPError, ValueError):
        return False
    return any("Art" in reply.get("text", "") for reply in replies)


def action_server_back(launched: Launched, victim: psutil.Process) -> Callable[[], bool]:
    """Whether a new action server runs, a rule is answered through it, and the launcher
    has seen it ready again (only then does it watch its health checks)."""
    seen = launched.log.read_text().count("action-server is ready again")

    def back() -> bool:
        return (launched.leader("actions.server") not in (None, victim)
                and answers(launched.health("ACTION_SERVER_PORT")) and rule_answer(launched)
                and launched.log.read_text().count("action-server is ready again") > seen)
    return back


def recovery_time(launched: Launched, name: str, condition: Callable[[], bool],
                  limit: float) -> float:
    """Seconds until ``condition()`` holds; fails with the launcher's log after ``limit``."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if condition():
            took = time.monotonic() - began
            print(f"\n{name} recovered in {took:.1f} s")
            return took
        time.sleep(0.5)
    raise AssertionError(f"{name} did not recover in {limit} s:\n{launched.log_tail()}")


@pytest.fixture(scope="module")
def launched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launched]:
    """`make run`'s launcher on free ports and a fresh database, its model trained before."""
    ensure_model()
    here = tmp_path_factory.mktemp("supervision")
    ports = {name: free_port() for name in PORTS}
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    database_url = f"sqlite:///{here / 'office.db'}"
    env.update({name: str(port) for name, port in ports.items()},
               DATABASE_URL=database_url, RASA_API_TOKEN=TOKEN)
    log = here / "launcher.log"
    process = subprocess.Popen([sys.executable, "-m", "supervisor.launcher"], cwd=REPO_ROOT,
                               env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    began = time.monotonic()
    try:
        while not all(answers(health_url(ports, port)) for port in PORTS):
            assert process.poll() is None and time.monotonic() - began < 900, log.read_text()
            time.sleep(1)
        startup = time.monotonic() - began
        print(f"\nthe launcher started everything in {startup:.1f} s")
        yield Launched(process, ports, log, startup, database_url)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.e2e
def test_a_killed_action_server_is_restarted_and_rules_answer_again(launched: Launched) -> None:
    victim = launched.leader("actions.server")
    assert victim is not None and rule_answer(launched)
    victim.kill()
    recovery_time(launched, "action server (kill -9)", action_server_back(launched, victim),
                  limit=60)


@pytest.mark.e2e
def test_a_frozen_action_server_is_restarted_after_failing_its_health_checks(
    launched: Launched,
) -> None:
    victim = launched.leader("actions.server")
    assert victim is not None
    victim.suspend()  # alive to `poll()`, answering nothing
    recovery_time(launched, "action server (SIGSTOP, found by health checks)",
                  action_server_back(launched, victim), limit=120)
    assert gone(victim.pid)
    assert "action-server failed 3 health checks in a row" in launched.log.read_text()


@pytest.mark.e2e
@pytest.mark.parametrize(("module", "port"), [
    ("staff.api", "STAFF_API_PORT"),
    ("bot.web", "WEB_PORT"),
    ("reminders.worker", None),
])
def test_a_killed_process_comes_back_while_the_others_keep_serving(
    launched: Launched, module: str, port: str | None
) -> None:
    victim = launched.leader(module)
    assert victim is not None
    others = {m: launched.leader(m) for m in ("engine.serving.server", "actions.server")}
    victim.kill()

    def back() -> bool:
        current = launched.leader(module)
        fresh = current is not None and current.pid != victim.pid
        return fresh and (port is None or answers(launched.health(port)))

    recovery_time(launched, f"{module} (kill -9)", back, limit=60)
    assert {m: launched.leader(m) for m in others} == others


@pytest.mark.e2e
def test_a_killed_rasa_server_is_restarted_while_the_others_keep_serving(
    launched: Launched,
) -> None:
    victim = launched.leader("engine.serving.server")
    assert victim is not None
    staff = launched.leader("staff.api")
    sender = f"before-kill-{uuid.uuid4().hex[:8]}"
    acknowledged = [text for text in ("hello", "talk to a person", "which visa do I need?")
                    if said(launched, sender, text, message_id=text)]
    assert len(acknowledged) == 3
    victim.kill()
    began = time.monotonic()
    while answers(launched.health("RASA_PORT")) and time.monotonic() - began < 10:
        time.sleep(0.2)  # the socket closes with the process
    assert answers(launched.health("STAFF_API_PORT")) and answers(launched.health("WEB_PORT"))
    # Loading the model takes one to two minutes, several on a machine busy training.
    limit = max(300.0, 2 * launched.startup_seconds)
    recovery_time(launched, "rasa (kill -9)", lambda: rule_answer(launched), limit=limit)
    assert launched.leader("staff.api") == staff
    assert "rasa exited with code -9; restarting in" in launched.log.read_text()
    # Nothing acknowledged before the kill is lost, and a redelivery duplicates no case.
    assert said(launched, sender, "talk to a person", message_id="talk to a person")
    tracker = httpx.get(launched.url("RASA_PORT", f"/conversations/rest:{sender}/tracker"),
                        params={"token": TOKEN}, timeout=30).json()
    typed = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert typed[:3] == acknowledged, typed
    sessions = make_session_factory(make_engine(launched.database_url))
    with sessions.begin() as session:
        cases = session.scalars(select(Case).join(Person).where(
            Person.channel_user_id == f"rest:{sender}")).all()
        assert len(cases) == 1, [case.reference for case in cases]
    print(f"\nrasa kill -9: {len(acknowledged)} acknowledged messages kept, 0 lost, "
          f"{len(cases)} case after a redelivery")


def said(launched: Launched, sender: str, text: str, **metadata: str) -> bool:
    """Whether Rasa acknowledged ``text`` with a reply (HTTP 200 and at least one message)."""
    try:
        reply = httpx.post(launched.url("RASA_PORT", "/webhooks/rest/webhook"), timeout=60,
                           json={"sender": sender, "message": text, "metadata": metadata})
    except httpx.HTTPError:
        return False
    return reply.status_code == 200 and bool(reply.json())


@pytest.mark.e2e
def test_stopping_the_launcher_leaves_no_process_and_frees_every_port(
    launched: Launched,
) -> None:
    leaders = psutil.Process(launched.process.pid).children()
    tree = psutil.Process(launched.process.pid).children(recursive=True)
    assert len(leaders) >= 5

    launched.process.send_signal(signal.SIGINT)
    assert launched.process.wait(timeout=60) == 0, launched.log_tail()

    _, alive = psutil.wait_procs(tree, timeout=30)
    assert [process for process in alive if not gone(process.pid)] == []
    assert all(group_members(leader.pid) == [] for leader in leaders)
    for port in launched.ports.values():
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))  # nobody listens there any more
