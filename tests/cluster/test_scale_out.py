"""Two Rasa replicas and two action servers behind nginx, Redis as the lock store, PostgreSQL
for conversations and cases: the cluster `make cluster REPLICAS=2` starts, on loopback.

Twenty people talk at once, ten turns each: to one replica alone, then through nginx to
both (the figures are printed side by side), then through nginx while one Rasa replica and
one action server are killed. Every message is answered, in order; no acknowledged message
is lost; no case is opened twice. Messages of one person sent to both replicas at the same
moment are handled one after the other.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

import httpx
import psutil
import pytest
from sqlalchemy import Engine

from casestore.db import make_engine, migrate
from config.settings import Settings, load_settings
from supervisor.cluster import SUPERVISION, ClusterLayout, install_services, start_cluster
from supervisor.processes import REPO_ROOT, ProcessGroup, with_run_secrets
from tests import postgres
from tests.cluster.load import (
    Answered,
    LoadResult,
    Turn,
    cases_per_person,
    interleaved,
    run_load,
    send_message,
    stored_events,
)
from tests.conftest import free_port, rest_id
from training.model import ensure_model

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

USERS = 20
REFERENCE = r"[A-Z]+-\d{4}-\d{6}"
# Ten turns; each pattern matches only the answer to its own message, so an answer that
# belonged to another message of the conversation would fail.
SCRIPT = (
    Turn("I want to open a request", "Which kind of request"),
    Turn('/inform{"case_type":"talk_to_person"}', "Which university is this request for"),
    Turn("China Pharmaceutical University", "What would you like to ask the office"),
    Turn("Can I travel to Yunnan during the winter holidays?", "what is your full name"),
    Turn("I'm Ali Khan, student number 2023123456, ali@example.com",
         "Please check your request"),
    Turn("yes", rf"I have opened request {REFERENCE}"),
    Turn("I lost my passport yesterday", "passport is lost or damaged"),
    # The university and who the person is are known by now: sent at once.
    Turn("yes", rf"I am sending this to the office(.|\n)*I have opened request {REFERENCE}"),
    Turn("What is the status of my request?", r"Your requests:(.|\n)*Talk to a person"),
    Turn("我的居留许可能办多久？", "新生"),
)
CASES_PER_PERSON = 2  # the request confirmed at turn 6 and the lost passport's at turn 8
PAIR = (Turn("I lost my passport", "passport is lost"), Turn("hello", "Hello!"))
FIGURES = REPO_ROOT / "test-artifacts" / "cluster-figures.json"


@dataclass(frozen=True)
class RunningCluster:
    """The running cluster's layout, its PostgreSQL database and the process group."""

    layout: ClusterLayout
    settings: Settings
    database: Engine
    group: ProcessGroup

    def replica_url(self, index: int) -> str:
        """Rasa replica ``index`` (from 1), without nginx."""
        return f"http://127.0.0.1:{self.layout.rasa_replica_ports[index - 1]}"


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[str]:
    """A new PostgreSQL database for the cluster's conversations and cases, dropped after."""
    with postgres.fresh_database(postgres.base_url("the cluster tests"), "cluster") as url:
        yield url


@pytest.fixture(scope="module")
def cluster(fresh_database: str, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[RunningCluster]:
    """The cluster with two replicas, on free loopback ports."""
    install_services()
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith("TELEGRAM_")}
    settings = replace(
        with_run_secrets(load_settings(environ)),
        database_url=fresh_database, tracker_store_url=None, telegram_bot_token=None,
        rasa_port=free_port(), action_server_port=free_port(), web_port=free_port(),
        staff_api_port=free_port(),
    )
    layout = ClusterLayout(
        listen_address="127.0.0.1", rasa_port=settings.rasa_port,
        action_port=settings.action_server_port,
        rasa_replica_ports=(free_port(), free_port()),
        action_replica_ports=(free_port(), free_port()),
        redis_port=free_port(),
    )
    migrate(fresh_database)
    model = ensure_model()
    group = ProcessGroup(environ={**environ, "DATABASE_URL": fresh_database},
                         log_dir=REPO_ROOT / "test-artifacts" / "cluster-logs",
                         supervision=SUPERVISION)
    database = make_engine(fresh_database)
    try:
        start_cluster(group, settings, model, layout,
                      state_dir=tmp_path_factory.mktemp("cluster"))
        yield RunningCluster(layout, settings, database, group)
    finally:
        group.stop()
        database.dispose()


def _users(label: str) -> list[str]:
    return [f"{label}-{uuid.uuid4().hex[:8]}-{i}" for i in range(USERS)]


def _record(label: str, result: LoadResult) -> None:
    """Prints the figures and keeps them in test-artifacts/cluster-figures.json."""
    print(result.summary(label))
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures[label] = {"messages": len(result.answered), "seconds": round(result.seconds, 1),
                      "messages_per_second": round(result.throughput, 2),
                      "p50_seconds": round(result.percentile(0.5), 2),
                      "p95_seconds": round(result.percentile(0.95), 2),
                      "resent": result.resent(), "cpus": os.cpu_count(),
                      "load_average": round(os.getloadavg()[0], 1)}
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n")


def _assert_every_turn_answered_in_order(result: LoadResult, users: list[str]) -> None:
    assert result.unanswered(SCRIPT) == []
    for user in users:
        turns = [a.turn for a in result.answered if a.user == user]
        assert turns == list(range(len(SCRIPT)))


def _assert_stored_in_order_once(cluster: RunningCluster, result: LoadResult,
                                 users: list[str]) -> Counter[str]:
    """Every acknowledged message is in the tracker store, in the order sent, never handled
    beside another message of its conversation; returns the messages stored twice."""
    twice: Counter[str] = Counter()
    for user in users:
        events = stored_events(cluster.database, rest_id(user))
        assert interleaved(events) == [], user
        stored = [e.message_id for e in events if e.kind == "user"]
        acknowledged = [a.message_id for a in result.answered
                        if a.user == user and a.status == 200]
        assert list(dict.fromkeys(stored)) == acknowledged, user  # none lost, in order
        twice.update(m for m, n in Counter(stored).items() if n > 1)
    return twice


def test_two_replicas_answer_twenty_people_at_once_each_in_order_beside_one_replica_alone(
    cluster: RunningCluster,
) -> None:
    one, two = _users("one"), _users("two")
    alone = run_load(lambda _i: cluster.replica_url(1), one, SCRIPT)
    balanced = run_load(lambda _i: cluster.layout.rasa_url, two, SCRIPT)
    _record("1 replica", alone)
    _record("2 replicas", balanced)
    for result, users in ((alone, one), (balanced, two)):
        _assert_every_turn_answered_in_order(result, users)
        assert _assert_stored_in_order_once(cluster, result, users) == Counter()
        assert set(cases_per_person(cluster.database,
                                    [rest_id(u) for u in users]).values()) == {CASES_PER_PERSON}


def test_two_messages_of_one_person_reaching_both_replicas_at_once_are_handled_in_turn(
    cluster: RunningCluster,
) -> None:
    """The Redis lock store: without it both replicas would read the conversation, handle
    their message and append their events at the same time."""
    users = _users("pair")

    async def pair(client: httpx.AsyncClient, user: str) -> list[Answered]:
        return list(await asyncio.gather(
            send_message(client, cluster.replica_url(1), user, 0, PAIR[0], ""),
            send_message(client, cluster.replica_url(2), user, 1, PAIR[1], "")))

    async def everyone() -> list[Answered]:
        async with httpx.AsyncClient(timeout=180.0) as client:
            pairs = await asyncio.gather(*(pair(client, user) for user in users))
        return [answered for both in pairs for answered in both]

    answered = asyncio.run(everyone())
    assert LoadResult(answered, 1.0).unanswered(PAIR) == []
    for user in users:
        events = stored_events(cluster.database, rest_id(user))
        assert sorted(e.message_id for e in events if e.kind == "user") == [
            f"{user}-0", f"{user}-1"], (user, events)
        assert interleaved(events) == [], (user, events)


def _socket_io_says(client: httpx.Client, url: str, sid: str | None, packet: str | None
                    ) -> str:
    """One Engine.IO long-polling request: sends ``packet``, or (None) reads what waits."""
    query = {"EIO": "4", "transport": "polling", **({"sid": sid} if sid else {})}
    if packet is None:
        response = client.get(f"{url}/socket.io/", params=query)
    else:
        response = client.post(f"{url}/socket.io/", params=query, content=packet)
    response.raise_for_status()
    return response.text


def test_the_web_widgets_socket_io_sessions_stay_on_their_replica_through_nginx(
    cluster: RunningCluster,
) -> None:
    """The widget long-polls: each request of a session must reach the replica that opened
    it (another one answers "Invalid session"). nginx pins a client to one replica."""
    url = cluster.layout.rasa_url
    with httpx.Client(timeout=60.0) as client:
        for number in range(4):
            opened = _socket_io_says(client, url, None, None)
            sid = json.loads(opened[1:])["sid"]
            session = f"cluster{number}{uuid.uuid4().hex[:8]}"
            assert _socket_io_says(client, url, sid, "40").lower() == "ok"
            assert _socket_io_says(client, url, sid, None).startswith("40")
            request = json.dumps(["session_request", {"session_id": session}])
            assert _socket_io_says(client, url, sid, f"42{request}").lower() == "ok"
            assert "session_confirm" in _socket_io_says(client, url, sid, None)
            message = json.dumps(["user_uttered", {"message": "hello", "session_id": session}])
            assert _socket_io_says(client, url, sid, f"42{message}").lower() == "ok"
            received = ""
            for _ in range(10):
                polled = _socket_io_says(client, url, sid, None)
                if polled == "2":  # the server's ping, sent when nothing else waited
                    _socket_io_says(client, url, sid, "3")
                received += polled
                if "bot_uttered" in received:
                    break
            assert "Hello!" in received


def _kill_while_busy(port: int, timeout: float = 10.0) -> tuple[int, int]:
    """SIGKILLs the process listening on ``port`` as soon as it is handling requests
    (connections from nginx, which keeps none open between requests); returns its pid and
    how many requests it was handling."""
    [pid] = {c.pid for c in psutil.net_connections(kind="tcp")
             if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid}
    process = psutil.Process(pid)
    deadline = time.monotonic() + timeout
    while True:
        busy = [c for c in process.net_connections(kind="tcp")
                if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port]
        if busy or time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return pid, len(busy)
        time.sleep(0.005)


def test_killing_a_rasa_replica_and_an_action_server_under_load_loses_and_doubles_nothing(
    cluster: RunningCluster,
) -> None:
    users = _users("kill")
    killed: list[tuple[int, int]] = []

    async def kill_when_a_quarter_is_done(done: list[Answered]) -> None:
        while len(done) < USERS * len(SCRIPT) // 4:
            await asyncio.sleep(0.05)
        for port in (cluster.layout.rasa_replica_ports[1], cluster.layout.action_replica_ports[0]):
            killed.append(await asyncio.to_thread(_kill_while_busy, port))

    result = run_load(lambda _i: cluster.layout.rasa_url, users, SCRIPT, prefix="k",
                      during=kill_when_a_quarter_is_done)
    _record("2 replicas, one Rasa replica and one action server killed", result)
    assert len(killed) == 2
    _assert_every_turn_answered_in_order(result, users)
    twice = _assert_stored_in_order_once(cluster, result, users)
    resent = {a.message_id for a in result.answered if a.attempts > 1}
    assert set(twice) <= resent  # stored twice only when the client had to send it again
    cases = cases_per_person(cluster.database, [rest_id(u) for u in users])
    print(f"killed (pid, requests in hand): {killed}; messages resent {len(resent)}, "
          f"stored twice {len(twice)}, cases per person {sorted(Counter(cases.values()).items())}")
    assert set(cases.values()) == {CASES_PER_PERSON}
