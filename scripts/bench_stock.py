"""Benchmark (issue 20): this assistant against the stock `rasa init` bot, same engine, same load.

Builds the stock bot with the engine's own `rasa init` (which trains its model) in a temporary
folder, starts it with `rasa run --enable-api`, starts this assistant as `make run` does (every
process, free ports, a scratch SQLite database), and drives both with the same messages over
the REST channel, one bot after the other, phase by phase:

1. one user, 30 turns in English and Chinese (p50 and p95 per turn), ``--rounds`` times;
2. ``--users`` users at once, 10 turns each (throughput, p50, p95, failures, empty replies);
3. one conversation of ``--long-turns`` turns: the median of its first pass through the mix
   against the median of its last whole pass (the same 30 messages, so that the ratio shows
   what the conversation's length costs, not which messages happen to come last);
4. model load: from starting the Rasa server until its REST channel first answers.

Figures and ratios ours/stock are printed next to the goals of issue 20; nothing is asserted
(the machines are shared and noisy: compare medians and ratios within one run). The stock
bot's custom actions are all commented out in `rasa init`'s actions.py and its endpoints.yml
names no action server, so none is started unless a future `rasa init` declares one.

    .venv/bin/python scripts/bench_stock.py [--rounds 3] [--users 20] [--long-turns 300]
        [--skip-stock] [--json FILE] [--profile]

``--skip-stock`` measures only this assistant and takes the stock figures from an earlier
run's JSON (``--stock-figures``). ``--profile`` then runs one more concurrent pass, and the
last 50 turns of one more long conversation, with py-spy (from PyPI through `.tools/bin/uv
tool run`) attached to our Rasa server and action server, and writes flame graphs, raw stacks
and summaries (stages of a turn, top functions) to test-artifacts/bench-profile/. It never
trains this project's model: it waits for the one `training.model.model_path()` names.
docs/performance.md has the figures of a run and what the profile showed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime
import json
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casestore.db import migrate
from config.settings import load_settings
from supervisor.ports import free_port
from supervisor.processes import (
    REPO_ROOT,
    ProcessGroup,
    Supervision,
    assistant_processes,
    rasa_environment,
    rasa_executable,
    with_run_secrets,
)
from training.model import model_path

log = logging.getLogger("bench")

ARTIFACTS = REPO_ROOT / "test-artifacts"
LOGS = ARTIFACTS / "bench-logs"
PROFILES = ARTIFACTS / "bench-profile"
REST = "/webhooks/rest/webhook"
STOP_GRACE_SECONDS = 15.0

# What one person says in a session, in English then in Chinese: a greeting, a rule question
# (whose form asks how long the person will study: answered), a permit question with its facts,
# a lost passport taken through to its reference (yes to the offered request, the university,
# who the person is, yes to the summary; in the second pass the request is already open), its
# status, the permit form
# answered turn by turn, a question about family, a deadline from a date, documents, goodbye.
# The stock bot gets the same texts and answers them with its own intents (Chinese mostly with
# nothing): the point is the engine's cost per turn.
ENGLISH = [
    "hello",
    "which visa do I need to study in China?",
    "4 years",
    "returning master student, paid the whole year, attendance 85%, not final year "
    "- how long is my permit?",
    "I lost my passport yesterday",
    "yes",
    "China Pharmaceutical University",
    "My name is Sam Taylor, student number 2024100123, sam.taylor@example.com",
    "yes",
    "what is the status of my request?",
    "How long will my residence permit be?",
    "I'm a returning student",
    "the whole year",
    "85%",
    "no",
    "can my wife come with me to China?",
    "my visa expired yesterday",
    "what documents do I need to extend my residence permit?",
    "thanks, bye",
]
CHINESE = [
    "你好",
    "去中国留学需要办什么签证？",
    "四年",
    "我是老生，读硕士，交了一整年学费，出勤率85%，不是最后一年，居留许可能办多久？",
    "我的护照昨天丢了",
    "好的",
    "中国药科大学",
    "我叫李明，学号2024100123，电话13912345678",
    "是的",
    "我的申请现在是什么状态？",
    "我的居留许可能办多久？",
    "我是老生",
    "一整年",
    "85%",
    "不是",
    "我妻子可以跟我一起来中国吗？",
    "我的签证昨天到期了",
    "延长居留许可需要什么材料？",
    "谢谢，再见",
]
MIX = ENGLISH + CHINESE

GOALS = {
    "one_user_p50": 1.5,  # ours/stock at most
    "crowd_throughput": 1.0,  # ours/stock at least
    "crowd_p95_seconds": 1.5,  # ours, absolute
    "long_growth": 1.3,  # ours: the last pass through the mix over the first, at most
    "load": 1.2,  # ours/stock at most
}


@dataclass(frozen=True)
class Turn:
    """One message and its answer: seconds, HTTP status (0: no answer), replies."""

    seconds: float
    status: int
    replies: list[dict[str, Any]]

    @property
    def failed(self) -> bool:
        """Not answered with 200."""
        return self.status != 200

    @property
    def empty(self) -> bool:
        """Answered with 200 and nothing to say."""
        return self.status == 200 and not self.replies


@dataclass
class Bot:
    """A running bot: its REST URL, the pids of the servers to profile, how to stop it."""

    name: str
    url: str
    load_seconds: float
    stop: Callable[[], None]
    pids: dict[str, int] = field(default_factory=dict)




def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, interpolated between ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(turns: Sequence[Turn]) -> dict[str, float | int]:
    """p50 and p95 in milliseconds, failures (non-200 or no answer) and empty replies."""
    seconds = [turn.seconds for turn in turns]
    return {
        "n": len(turns),
        "p50_ms": round(percentile(seconds, 50) * 1000, 1),
        "p95_ms": round(percentile(seconds, 95) * 1000, 1),
        "failed": sum(turn.failed for turn in turns),
        "empty": sum(turn.empty for turn in turns),
    }


def script(start: int, turns: int) -> list[str]:
    """``turns`` messages of the mix from position ``start``, starting over after the last."""
    return [MIX[(start + index) % len(MIX)] for index in range(turns)]


# --------------------------------------------------------------------------- driving the bots

async def say(client: httpx.AsyncClient, url: str, sender: str, text: str) -> Turn:
    """Sends one message over the REST channel and times the answer."""
    started = time.perf_counter()
    try:
        response = await client.post(f"{url}{REST}", json={"sender": sender, "message": text})
        status = response.status_code
        replies = response.json() if status == 200 else []
    except (httpx.HTTPError, ValueError):
        status, replies = 0, []
    return Turn(time.perf_counter() - started, status, replies if isinstance(replies, list) else [])


async def conversation(
    client: httpx.AsyncClient, url: str, sender: str, messages: Sequence[str]
) -> list[Turn]:
    """One person's messages, each sent once the previous one was answered."""
    return [await say(client, url, sender, text) for text in messages]


def client(users: int = 1) -> httpx.AsyncClient:
    """An HTTP client with a connection for each simultaneous user."""
    limits = httpx.Limits(max_connections=users + 2, max_keepalive_connections=users + 2)
    return httpx.AsyncClient(timeout=120, limits=limits)


async def one_user(bot: Bot, run: str, round_: int) -> list[Turn]:
    """Phase 1: the 30-turn mix from a fresh conversation."""
    async with client() as http:
        return await conversation(http, bot.url, f"bench-{run}-one-{round_}", MIX)


async def crowd(bot: Bot, run: str, round_: int, users: int, turns: int) -> dict[str, Any]:
    """Phase 2: ``users`` people at once, ``turns`` each; half start in English, half in
    Chinese. Returns every turn and the wall-clock seconds of the whole phase."""
    async with client(users) as http:
        started = time.perf_counter()
        results = await asyncio.gather(*(
            conversation(http, bot.url, f"bench-{run}-crowd-{round_}-{user}",
                         script(0 if user % 2 == 0 else len(ENGLISH), turns))
            for user in range(users)
        ))
        elapsed = time.perf_counter() - started
    return {"turns": [turn for result in results for turn in result], "seconds": elapsed}


async def long_conversation(bot: Bot, run: str, turns: int) -> list[Turn]:
    """Phase 3: one conversation of ``turns`` turns (the mix over and over)."""
    async with client() as http:
        return await conversation(http, bot.url, f"bench-{run}-long", script(0, turns))


LOAD_TIMEOUT_SECONDS = 1800.0  # a shared machine under heavy load can take many minutes


def wait_first_answer(url: str, started: float, timeout: float = LOAD_TIMEOUT_SECONDS) -> float:
    """Seconds from ``started`` until the REST channel answers "hello" with a reply."""
    deadline = started + timeout
    with httpx.Client(timeout=30) as http:
        while time.perf_counter() < deadline:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                response = http.post(f"{url}{REST}", json={"sender": "bench-load",
                                                           "message": "hello"})
                if response.status_code == 200 and response.json():
                    return time.perf_counter() - started
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


# --------------------------------------------------------------------------- the stock bot

def build_stock(folder: Path) -> float:
    """`rasa init` (which trains the stock model) into ``folder``; returns its seconds."""
    LOGS.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)  # `rasa init` refuses a folder that is missing
    started = time.perf_counter()
    with (LOGS / "stock-init.log").open("wb") as output:
        subprocess.run(
            [str(rasa_executable()), "init", "--no-prompt", "--init-dir", str(folder)],
            cwd=folder.parent, env=rasa_environment(), stdout=output,
            stderr=subprocess.STDOUT, check=True,
        )
    return time.perf_counter() - started


def declares_action_server(folder: Path) -> bool:
    """Whether the stock endpoints.yml has an uncommented ``action_endpoint``."""
    text = (folder / "endpoints.yml").read_text(encoding="utf-8")
    return re.search(r"^action_endpoint:", text, flags=re.MULTILINE) is not None


def spawn(argv: list[str], cwd: Path, log_name: str) -> subprocess.Popen[bytes]:
    """Starts ``argv`` in a session of its own with the engine's environment, output to a log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / log_name).open("ab") as output:
        return subprocess.Popen(argv, cwd=cwd, env=rasa_environment(), stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True)


def stop_sessions(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each process's session, SIGKILL to what still runs after the grace."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_stock(folder: Path) -> Bot:
    """`rasa run --enable-api` in the stock bot's folder (and `rasa run actions` if its
    endpoints.yml names an action server), timed until the REST channel answers."""
    rasa = str(rasa_executable())
    processes = []
    if declares_action_server(folder):
        processes.append(spawn([rasa, "run", "actions"], folder, "stock-actions.log"))
    port = free_port()
    started = time.perf_counter()
    processes.append(spawn([rasa, "run", "--enable-api", "--interface", "127.0.0.1",
                            "--port", str(port)], folder, "stock-rasa.log"))
    url = f"http://localhost:{port}"
    try:
        load = wait_first_answer(url, started)
    except BaseException:
        stop_sessions(processes)
        raise
    return Bot("stock", url, load, lambda: stop_sessions(processes),
               {"rasa": processes[-1].pid})


# --------------------------------------------------------------------------- this assistant

def wait_for_model(timeout: float) -> Path:
    """The project's trained model, once it exists and has stopped growing (another
    engineer's `make train` may be writing it: this script never trains)."""
    path = model_path()
    deadline = time.monotonic() + timeout
    announced = False
    while time.monotonic() < deadline:
        if path.exists():
            size = path.stat().st_size
            time.sleep(5)
            if path.exists() and path.stat().st_size == size:
                return path
            continue
        if not announced:
            log.info("waiting for the model %s (training elsewhere; not training here)", path)
            announced = True
        time.sleep(15)
    raise TimeoutError(f"no model at {path} after {timeout:.0f} s: run `make train`")


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on TCP ``port``."""
    for connection in psutil.net_connections(kind="tcp"):
        if (connection.status == psutil.CONN_LISTEN and connection.laddr
                and connection.laddr.port == port and connection.pid):
            return int(connection.pid)
    return None


def start_ours(scratch: Path, model: Path) -> Bot:
    """Every process `make run` starts, on free ports and a scratch database; the other
    processes first, then the Rasa server, timed until its REST channel answers."""
    settings = replace(
        with_run_secrets(load_settings()),
        database_url=f"sqlite:///{scratch}/office.db",
        tracker_store_url=None,
        rasa_port=free_port(),
        action_server_port=free_port(),
        staff_api_port=free_port(),
        web_port=free_port(),
        telegram_bot_token=None,  # a developer's real bot must not take part
    )
    migrate(settings.database_url)
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith("TELEGRAM_")}
    group = ProcessGroup(environ={**environ, "DATABASE_URL": settings.database_url},
                         log_dir=LOGS, supervision=Supervision(start_timeout=LOAD_TIMEOUT_SECONDS))
    specs = assistant_processes(settings, model)
    url = f"http://localhost:{settings.rasa_port}"
    try:
        group.start([spec for spec in specs if spec.name != "rasa"], timeout=600)
        started = time.perf_counter()
        answered: dict[str, float | BaseException] = {}

        def probe() -> None:
            try:
                answered["load"] = wait_first_answer(url, started)
            except BaseException as failure:  # handed to the main thread
                answered["load"] = failure

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        group.start([spec for spec in specs if spec.name == "rasa"], timeout=LOAD_TIMEOUT_SECONDS)
        prober.join()
    except BaseException:
        group.stop()
        raise
    load = answered["load"]
    if isinstance(load, BaseException):
        group.stop()
        raise load
    pids = {name: pid for name, port in (("rasa", settings.rasa_port),
                                         ("action-server", settings.action_server_port))
            if (pid := listening_pid(port)) is not None}
    return Bot("ours", url, load, group.stop, pids)


# --------------------------------------------------------------------------- profiling

def start_py_spy(pid: int, output: Path, fmt: str) -> subprocess.Popen[bytes]:
    """py-spy (from PyPI, through uv) recording ``pid`` without pausing it, until SIGINT."""
    uv = REPO_ROOT / ".tools" / "bin" / "uv"
    argv = [str(uv), "tool", "run", "--from", "py-spy", "py-spy", "record",
            "--pid", str(pid), "--rate", "100", "--nonblocking", "--format", fmt,
            "--output", str(output)]
    with (LOGS / f"py-spy-{output.name}.log").open("ab") as log_file:
        return subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop_py_spy(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Ctrl-C to each py-spy (it writes its output then), as a terminal would send it."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """``function (file)`` with the line number dropped and the path cut after site-packages
    (or the repository)."""
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", f"{REPO_ROOT}/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['function']} ({path})"


def package_of(name: str) -> str:
    """The top-level package (or standard-library module) a frame name belongs to."""
    path = name.rsplit("(", 1)[-1].rstrip(")")
    if "/lib/python3" in path:
        return "stdlib " + path.rsplit("/lib/python3", 1)[1].split("/", 2)[1].removesuffix(".py")
    return path.split("/", 1)[0].removesuffix(".py")


# Frames where a thread waits for work: with uvloop the wait happens in C, below Sanic's
# serve(), so py-spy cannot tell it is idle. Those samples are counted apart.
EVENT_LOOP_LEAVES = frozenset({
    "serve (sanic/server/runners.py)",  # Sanic 21 (Rasa 3.6)
    "_run_server_forever (sanic/server/runners.py)",  # Sanic 23 (rasa-sdk 3.21)
    "_worker (concurrent/futures/thread.py)",  # an idle worker thread waiting for work
    "run_forever (asyncio/base_events.py)",
    "_run_once (asyncio/base_events.py)",
    "select (selectors.py)",
})


# Where a turn's time goes in Rasa 3.6, by the frame each stage runs under (inclusive).
STAGES = (
    ("load the tracker (tracker store, session check)",
     lambda frame: frame.startswith("fetch_tracker_and_update_session (rasa/core/processor")),
    ("  of which rebuilding it from its events",
     lambda frame: frame.startswith("from_events (rasa/shared/core/trackers")),
    ("NLU (parse_message)", lambda frame: frame.startswith("parse_message (rasa/core/processor")),
    ("policies (_predict_next_with_tracker)",
     lambda frame: frame.startswith("_predict_next_with_tracker (rasa/core/processor")),
    ("  of which TED", lambda frame: "rasa/core/policies/ted_policy" in frame),
    ("  of which RulePolicy", lambda frame: "rasa/core/policies/rule_policy" in frame),
    ("running actions (_run_action)",
     lambda frame: frame.startswith("_run_action (rasa/core/processor")),
    ("calls to the action server (aiohttp), anywhere", lambda frame: "aiohttp/" in frame),
    ("validating the action server's answers (jsonschema), anywhere",
     lambda frame: frame.startswith("_validate_action_result (rasa/core/actions/action")),
    ("save the tracker (save_tracker)",
     lambda frame: frame.startswith("save_tracker (rasa/core/processor")),
    ("replaying events (applied_events), anywhere",
     lambda frame: frame.startswith("applied_events (rasa/shared/core/trackers")),
    ("copying trackers (travel_back_in_time), anywhere",
     lambda frame: frame.startswith("travel_back_in_time (rasa/shared/core/trackers")),
    ("TensorFlow, anywhere", lambda frame: "tensorflow/" in frame),
    ("SQLAlchemy, anywhere", lambda frame: "sqlalchemy/" in frame),
    ("JSON encoding and decoding, anywhere", lambda frame: frame.endswith(("(json/encoder.py)",
                                                                           "(json/decoder.py)"))),
)


def top_functions(raw: Path, limit: int = 25) -> dict[str, Any]:
    """From py-spy's raw (collapsed) stacks: samples, the share of them in which the event loop
    waited, and, as shares of the other (busy) samples, the functions where the time is spent
    (self), the functions under which it is spent (inclusive) and self time per package."""
    own: collections.Counter[str] = collections.Counter()
    under: collections.Counter[str] = collections.Counter()
    packages: collections.Counter[str] = collections.Counter()
    stages: collections.Counter[str] = collections.Counter()
    total = waiting = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(frame) for frame in stack.split(";") if "(" in frame]
        if not frames:
            continue
        total += count
        if frames[-1] in EVENT_LOOP_LEAVES:
            waiting += count
            continue
        own[frames[-1]] += count
        packages[package_of(frames[-1])] += count
        for name in set(frames):
            under[name] += count
        for label, runs_under in STAGES:
            if any(runs_under(frame) for frame in frames):
                stages[label] += count
    busy = total - waiting

    def shares(counter: collections.Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / busy, 1)) for name, n in counter.most_common(limit)]

    # Leave out the call chain every request goes through (server, handler, processor): the
    # frames found in nearly as many samples as the commonest frame.
    chain = 0.95 * max(under.values(), default=0)
    under = collections.Counter({name: n for name, n in under.items() if n < chain})

    if not busy:
        return {"samples": total, "busy": 0}
    return {"samples": total, "busy": busy, "waiting_percent": round(100 * waiting / total, 1),
            "stages": [(label, round(100 * stages[label] / busy, 1)) for label, _ in STAGES],
            "self": shares(own), "inclusive": shares(under), "packages": shares(packages)}


def write_top(top: dict[str, Any], path: Path) -> None:
    """The top-function summary as text."""
    lines = [f"{top['samples']} samples at 100 per second (idle threads left out); "
             f"{top.get('waiting_percent', 0)} % in the event loop waiting (left out below)"]
    for key, title in (("stages", "the stages of a turn (inclusive %; Rasa's server only)"),
                       ("self", "where the busy time is spent (self %)"),
                       ("inclusive", "under which function (inclusive %; the call chain "
                                     "every request goes through left out)"),
                       ("packages", "self time per package (%)")):
        lines += ["", title]
        lines += [f"{share:6.1f}  {name}" for name, share in top.get(key, [])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def profiled(bot: Bot, phase: str, load: Awaitable[Any]) -> dict[str, Any]:
    """Runs ``load`` with py-spy attached to each of our servers; writes `<server>-<phase>`
    .txt (raw stacks), -top.txt and, for Rasa, .svg (flame graph) to test-artifacts/."""
    PROFILES.mkdir(parents=True, exist_ok=True)
    samplers = []
    for name, pid in bot.pids.items():
        samplers.append(start_py_spy(pid, PROFILES / f"{name}-{phase}.txt", "raw"))
        if name == "rasa":
            samplers.append(start_py_spy(pid, PROFILES / f"{name}-{phase}.svg", "flamegraph"))
    await asyncio.sleep(5)  # uv resolves py-spy and py-spy attaches
    try:
        await load
    finally:
        stop_py_spy(samplers)
    tops = {}
    for name in bot.pids:
        raw = PROFILES / f"{name}-{phase}.txt"
        if raw.exists():
            tops[name] = top_functions(raw)
            write_top(tops[name], PROFILES / f"{name}-{phase}-top.txt")
    return tops


async def profile_ours(bot: Bot, run: str, args: argparse.Namespace) -> dict[str, Any]:
    """One more concurrent pass, then the last 50 turns of one more long conversation, each
    with py-spy attached to our Rasa server and action server."""
    passes: list[dict[str, Any]] = []

    async def crowd_pass() -> None:
        passes.append(await crowd(bot, run, 99, args.users, args.user_turns))

    tops = {"crowd": await profiled(bot, "crowd", crowd_pass())}
    messages = script(0, args.long_turns)
    tail = min(50, len(messages))
    async with client() as http:
        sender = f"bench-{run}-long-profiled"
        await conversation(http, bot.url, sender, messages[:-tail])
        tops["long"] = await profiled(
            bot, "long", conversation(http, bot.url, sender, messages[-tail:]))
    return {"crowd": summarise_crowd(passes), "long_profiled_turns": tail, "top": tops}


# --------------------------------------------------------------------------- the run

def summarise_crowd(passes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Throughput (messages per second of wall clock) and per-turn figures over the passes."""
    turns = [turn for result in passes for turn in result["turns"]]
    seconds = sum(result["seconds"] for result in passes)
    return {**summary(turns), "throughput": round(len(turns) / seconds, 2),
            "seconds": round(seconds, 1)}


def summarise_long(turns: Sequence[Turn]) -> dict[str, Any]:
    """Median of the first pass through the mix, of the last whole pass, their ratio (the
    same messages at the start and at the end of the conversation); the medians by fifty."""
    cycle = len(MIX)
    last_start = (len(turns) // cycle - 1) * cycle
    first = statistics.median(turn.seconds for turn in turns[:cycle])
    last = statistics.median(turn.seconds for turn in turns[last_start:last_start + cycle])
    by_fifty = [round(statistics.median(t.seconds for t in turns[i:i + 50]) * 1000, 1)
                for i in range(0, len(turns), 50)]
    return {**summary(turns), "first_ms": round(first * 1000, 1),
            "last_ms": round(last * 1000, 1), "growth": round(last / first, 2),
            "last_pass": f"{last_start + 1}–{last_start + cycle}",
            "median_ms_by_50": by_fifty,
            "seconds": [round(turn.seconds, 3) for turn in turns],
            "statuses": [turn.status for turn in turns]}


async def measure(bots: Sequence[Bot], args: argparse.Namespace, run: str) -> dict[str, Any]:
    """Every phase for every bot, one bot after the other (which one goes first alternates
    from round to round, so that a change in the machine's load falls on both)."""
    figures: dict[str, dict[str, Any]] = {bot.name: {} for bot in bots}
    for bot in bots:
        async with client() as http:  # warm-up: the first turns after loading are slower
            await conversation(http, bot.url, f"bench-{run}-warm", ENGLISH[:2] + CHINESE[:2])
    singles: dict[str, list[Turn]] = {bot.name: [] for bot in bots}
    transcripts: dict[str, list[Any]] = {}
    for round_ in range(args.rounds):
        for bot in bots if round_ % 2 == 0 else list(reversed(bots)):
            log.info("%s: one user, round %d", bot.name, round_ + 1)
            turns = await one_user(bot, run, round_)
            singles[bot.name] += turns
            transcripts.setdefault(bot.name, [
                [text, turn.status, [reply.get("text") for reply in turn.replies]]
                for text, turn in zip(MIX, turns, strict=True)
            ])
    crowds: dict[str, list[dict[str, Any]]] = {bot.name: [] for bot in bots}
    for round_ in range(args.rounds):
        for bot in bots if round_ % 2 == 0 else list(reversed(bots)):
            log.info("%s: %d users, round %d", bot.name, args.users, round_ + 1)
            crowds[bot.name].append(await crowd(bot, run, round_, args.users, args.user_turns))
    for bot in bots:
        log.info("%s: one conversation of %d turns", bot.name, args.long_turns)
        long_turns = await long_conversation(bot, run, args.long_turns)
        figures[bot.name] = {
            "one_user": summary(singles[bot.name]),
            "crowd": summarise_crowd(crowds[bot.name]),
            "long": summarise_long(long_turns),
            "load_seconds": round(bot.load_seconds, 1),
            "transcript": transcripts[bot.name],
        }
    return figures


def ratio(ours: float | None, stock: float | None) -> float | None:
    """ours / stock, None when either is missing."""
    if ours is None or not stock:
        return None
    return ours / stock


def verdict(value: float | None, limit: float, at_least: bool = False) -> str:
    """"yes" or "no" for a goal, "?" without the figure."""
    if value is None:
        return "?"
    return "yes" if (value >= limit if at_least else value <= limit) else "no"


def table(stock: dict[str, Any] | None, ours: dict[str, Any], users: int, turns: int) -> str:
    """The figures, their ratios ours/stock and the goals of issue 20, as a Markdown table."""
    def get(figures: dict[str, Any] | None, *keys: str) -> Any:
        for key in keys:
            if figures is None:
                return None
            figures = figures.get(key)
        return figures

    def number(value: Any, digits: int = 0) -> str:
        return "—" if value is None else f"{value:,.{digits}f}"

    def times(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}×"

    rows = []

    def row(label: str, keys: tuple[str, ...], digits: int = 0, goal: str = "",
            met: str = "", show_ratio: bool = True) -> None:
        s, o = get(stock, *keys), get(ours, *keys)
        shown = times(ratio(o, s)) if show_ratio else ""
        rows.append(f"| {label} | {number(s, digits)} | {number(o, digits)} | {shown} "
                    f"| {goal} | {met} |")

    n1 = get(ours, "one_user", "n")
    rows.append(f"| **1 user, 30 turns** (n={n1}) | | | | | |")
    p50 = ratio(get(ours, "one_user", "p50_ms"), get(stock, "one_user", "p50_ms"))
    row("p50 per turn, ms", ("one_user", "p50_ms"), goal="≤ 1.5× stock",
        met=verdict(p50, GOALS["one_user_p50"]))
    row("p95 per turn, ms", ("one_user", "p95_ms"))
    rows.append(f"| **{users} users × {turns} turns** (n={get(ours, 'crowd', 'n')}) | | | | | |")
    throughput = ratio(get(ours, "crowd", "throughput"), get(stock, "crowd", "throughput"))
    row("throughput, messages/s", ("crowd", "throughput"), 1, "≥ 1.0× stock",
        verdict(throughput, GOALS["crowd_throughput"], at_least=True))
    row("p50 per turn, ms", ("crowd", "p50_ms"))
    p95 = get(ours, "crowd", "p95_ms")
    row("p95 per turn, ms", ("crowd", "p95_ms"), goal="≤ 1,500 ms",
        met=verdict(None if p95 is None else p95 / 1000, GOALS["crowd_p95_seconds"]))
    failures = get(ours, "crowd", "failed")
    row("failed (non-200, no answer)", ("crowd", "failed"), goal="none",
        met=verdict(failures, 0), show_ratio=False)
    row("empty replies", ("crowd", "empty"), goal="none",
        met=verdict(get(ours, "crowd", "empty"), 0), show_ratio=False)
    long_n = get(ours, "long", "n")
    rows.append(f"| **one conversation of {long_n} turns** | | | | | |")
    row(f"median of turns 1–{len(MIX)} (first pass), ms", ("long", "first_ms"))
    row(f"median of turns {get(ours, 'long', 'last_pass')} (last pass), ms", ("long", "last_ms"))
    row("growth (last pass / first pass)", ("long", "growth"), 2, "ours ≤ 1.3×",
        verdict(get(ours, "long", "growth"), GOALS["long_growth"]))
    rows.append("| **model load** | | | | | |")
    load = ratio(get(ours, "load_seconds"), get(stock, "load_seconds"))
    row("start to first REST answer, s", ("load_seconds",), 1, "≤ 1.2× stock",
        verdict(load, GOALS["load"]))
    head = ["| | stock | ours | ours/stock | goal (issue 20) | met |",
            "|---|---:|---:|---:|---|---|"]
    return "\n".join(head + rows)


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    def git(*argv: str) -> str:
        return subprocess.run(["git", *argv], cwd=REPO_ROOT, capture_output=True,
                              text=True).stdout

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()
               if line[:2].strip() and not line.startswith("??")]
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "commit": git("rev-parse", "--short", "HEAD").strip(), "changed_files": changed,
            "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="passes of the one-user and the concurrent phases (default 3)")
    parser.add_argument("--users", type=int, default=20, help="simultaneous users (default 20)")
    parser.add_argument("--user-turns", type=int, default=10,
                        help="turns per simultaneous user (default 10)")
    parser.add_argument("--long-turns", type=int, default=300,
                        help=f"turns of the long conversation (default 300, at least "
                             f"{2 * len(MIX)}: two passes through the mix)")
    parser.add_argument("--skip-stock", action="store_true",
                        help="measure only this assistant; stock figures from --stock-figures")
    parser.add_argument("--stock-figures", type=Path, default=ARTIFACTS / "bench_stock.json",
                        help="an earlier run's JSON, read with --skip-stock")
    parser.add_argument("--json", type=Path, default=ARTIFACTS / "bench_stock.json",
                        help="where to write every figure (default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="one more concurrent pass with py-spy on our servers")
    parser.add_argument("--wait-model", type=float, default=3600,
                        help="seconds to wait for the model another engineer trains")
    args = parser.parse_args()
    if args.long_turns < 2 * len(MIX):
        parser.error(f"--long-turns needs at least {2 * len(MIX)} (first pass through the mix "
                     "against the last)")
    return args


def reused_stock(path: Path) -> dict[str, Any]:
    """The stock figures of an earlier run, marked with that run's date."""
    earlier = json.loads(path.read_text(encoding="utf-8"))
    stock: dict[str, Any] = earlier["stock"]
    stock["reused_from"] = earlier.get("machine", {}).get("date", str(path))
    return stock


def main() -> None:
    """Builds and starts both bots, measures them, prints and writes the figures."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args = arguments()
    run = time.strftime("%H%M%S")
    before = machine()
    model = wait_for_model(args.wait_model)
    result: dict[str, Any] = {"machine": before, "model": model.name,
                              "options": {k: str(v) for k, v in vars(args).items()}}
    stock_figures = reused_stock(args.stock_figures) if args.skip_stock else None
    with tempfile.TemporaryDirectory(prefix="bench-stock-") as scratch, \
            contextlib.ExitStack() as running:
        bots = []
        if not args.skip_stock:
            folder = Path(scratch) / "stock-bot"
            log.info("rasa init (trains the stock model) in %s", folder)
            result["stock_init_seconds"] = round(build_stock(folder), 1)
            log.info("starting the stock bot")
            bots.append(start_stock(folder))
            running.callback(bots[-1].stop)
        log.info("starting this assistant as `make run` does")
        ours = start_ours(Path(scratch), model)
        running.callback(ours.stop)
        bots.append(ours)
        log.info("model load: %s", ", ".join(f"{b.name} {b.load_seconds:.1f} s" for b in bots))
        figures = asyncio.run(measure(bots, args, run))
        if args.profile:
            log.info("profiling our servers (%s): %d users, then a long conversation",
                     ours.pids, args.users)
            result["profile"] = asyncio.run(profile_ours(ours, run, args))
    result.update(stock=stock_figures or figures.get("stock"), ours=figures["ours"])
    result["machine_after"] = machine()
    print()
    print(f"{before['date']}, commit {before['commit']} "
          f"(+{len(before['changed_files'])} files changed in the working tree), "
          f"model {model.name}, "
          f"{before['cores']} cores, load average {before['load_average']} before and "
          f"{result['machine_after']['load_average']} after")
    if stock_figures:
        print(f"stock figures reused from the run of {stock_figures['reused_from']}")
    print(table(result["stock"], result["ours"], args.users, args.user_turns))
    for phase, tops in result.get("profile", {}).get("top", {}).items():
        for name, top in tops.items():
            print(f"\n{name}, {phase}: {top.get('samples', 0)} samples, "
                  f"{top.get('waiting_percent', 0)} % event loop waiting; "
                  "of the busy samples, top self time:")
            for function, share in top.get("self", [])[:10]:
                print(f"  {share:5.1f}%  {function}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nevery figure: {args.json}")


if __name__ == "__main__":
    main()
