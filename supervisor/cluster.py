"""`make cluster REPLICAS=2`: Rasa's production shape on one machine (docs/scaling.md).

N Rasa servers and N action servers behind nginx, one Redis as Rasa's lock store, PostgreSQL
as the shared tracker store and case store, and once each: the staff page and API, the web
chat, the Telegram bridge (with a token); two reminder workers.

* A Rasa replica keeps nothing of its own between messages: conversations are in the SQL
  tracker store, and the Redis lock store (``endpoints.cluster.yml``) lets one replica at a
  time handle a conversation, so two messages of one person never interleave.
* nginx listens where ``make run``'s single Rasa server does (``RASA_PORT``, for REST, the
  HTTP API and socket.io) and where its action server does (``ACTION_SERVER_PORT``); the
  replicas listen on the ports after those. A request that cannot reach a replica
  (connection refused, timeout) goes to the next one; a message that reached a replica
  which then died is not sent twice (POST is not idempotent: the client resends it with its
  ``message_id``). Calls to the action servers are retried even after they were sent: the
  actions that open a case or register a document key it by the message id, so a repeated
  call finds what the first one did. socket.io sessions stay on one replica (``ip_hash``).
* Every replica gets the same tokens (``with_run_secrets``) and the same stores, through
  its environment; the processes are ``assistant_processes()``' own, with their ports.

Ctrl-C stops every process. Their output goes to ``var/cluster/logs/<name>.log``.
"""

from __future__ import annotations

import argparse
import grp
import logging
import os
import pwd
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType

from casestore.db import migrate
from config.settings import Settings, load_settings
from supervisor.processes import (
    REPO_ROOT,
    ProcessGroup,
    ProcessSpec,
    Supervision,
    assistant_processes,
    with_run_secrets,
)
from training.model import ensure_model

log = logging.getLogger("cluster")

CLUSTER_ENDPOINTS = "endpoints.cluster.yml"
STATE_DIR = REPO_ROOT / "var" / "cluster"
MAX_REPLICAS = 16
# How long a replica may hold a conversation's lock (Rasa's default). A replica that dies
# holding one blocks that conversation this long; a message must be handled well within it:
# a turn holds the lock from the moment its request arrives, also while it waits for the
# CPU (p95 20 s with twenty people at once on two busy cores).
LOCK_LIFETIME_SECONDS = 60
# A Rasa replica loads its model in one to two minutes on two idle cores, several times
# that on a busy machine: none is restarted for being slow to start before this.
START_TIMEOUT_SECONDS = 900.0
SUPERVISION = Supervision(start_timeout=START_TIMEOUT_SECONDS)
# nginx waits this long for a replica's answer: a message may first wait for the lock
# of its conversation, held by a replica that died, for up to LOCK_LIFETIME_SECONDS.
RASA_READ_TIMEOUT_SECONDS = 4 * LOCK_LIFETIME_SECONDS
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class ClusterLayout:
    """Where each piece listens (all on ``listen_address``)."""

    listen_address: str
    rasa_port: int
    action_port: int
    rasa_replica_ports: tuple[int, ...]
    action_replica_ports: tuple[int, ...]
    redis_port: int
    reminder_workers: int = 2

    @property
    def replicas(self) -> int:
        """How many Rasa servers (and action servers) run."""
        return len(self.rasa_replica_ports)

    @property
    def rasa_url(self) -> str:
        """The balanced Rasa URL: REST channel, HTTP API, socket.io."""
        return f"http://{self.listen_address}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        """The balanced action server URL."""
        return f"http://{self.listen_address}:{self.action_port}"


def cluster_layout(settings: Settings, replicas: int, redis_port: int = 6379,
                   reminder_workers: int = 2) -> ClusterLayout:
    """nginx on the ports ``make run`` uses, replica ``i`` (from 1) on those ports + i."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise ValueError(f"replicas must be between 1 and {MAX_REPLICAS}, got {replicas}")
    return ClusterLayout(
        listen_address=settings.listen_address,
        rasa_port=settings.rasa_port,
        action_port=settings.action_server_port,
        rasa_replica_ports=tuple(settings.rasa_port + i for i in range(1, replicas + 1)),
        action_replica_ports=tuple(
            settings.action_server_port + i for i in range(1, replicas + 1)),
        redis_port=redis_port,
        reminder_workers=reminder_workers,
    )


def _with_argument(argv: Sequence[str], option: str, value: str) -> tuple[str, ...]:
    """``argv`` with the value after ``option`` replaced."""
    index = list(argv).index(option)
    return (*argv[:index + 1], value, *argv[index + 2:])


def _only(specs: Sequence[ProcessSpec], name: str) -> ProcessSpec:
    [spec] = [spec for spec in specs if spec.name == name]
    return spec


def replica_processes(settings: Settings, model: Path, layout: ClusterLayout,
                      index: int) -> list[ProcessSpec]:
    """Rasa server and action server number ``index`` (from 1): ``assistant_processes()``'
    own, on the replica's ports, talking to each other through nginx, with the lock store.

    ``settings`` must already hold the run's secrets (``with_run_secrets``): otherwise each
    replica would draw tokens of its own, and ValueError says so.
    """
    if not (settings.rasa_api_token and settings.action_server_token
            and settings.channel_token):
        raise ValueError("draw the run's secrets once (with_run_secrets) for every replica")
    own = replace(settings, rasa_port=layout.rasa_replica_ports[index - 1],
                  action_server_port=layout.action_replica_ports[index - 1])
    specs = assistant_processes(own, model)
    rasa, actions = _only(specs, "rasa"), _only(specs, "action-server")
    rasa = replace(
        rasa, name=f"rasa-{index}",
        argv=_with_argument(rasa.argv, "--endpoints", CLUSTER_ENDPOINTS),
        env={**rasa.env,
             "ACTION_ENDPOINT_URL": f"{layout.action_url}/webhook",
             "REDIS_HOST": "127.0.0.1",
             "REDIS_PORT": str(layout.redis_port),
             "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS)},
    )
    actions = replace(actions, name=f"action-server-{index}",
                      env={**actions.env, "RASA_URL": layout.rasa_url})
    return [rasa, actions]


def office_processes(settings: Settings, model: Path, layout: ClusterLayout
                     ) -> list[ProcessSpec]:
    """The processes that run once (staff app, web chat, Telegram bridge, the model watcher)
    and the reminder workers, which claim due reminders with row locks and so may run side
    by side. The model watcher loads a new model into every Rasa replica, and the web chat
    looks for open chat pages on every replica, not through nginx (which would reach one of
    them)."""
    balanced = replace(settings, rasa_port=layout.rasa_port,
                       action_server_port=layout.action_port)
    specs = [spec for spec in assistant_processes(balanced, model)
             if spec.name not in ("rasa", "action-server")]
    worker = _only(specs, "reminder-worker")
    workers = [replace(worker, name=f"reminder-worker-{i}")
               for i in range(1, layout.reminder_workers + 1)]
    balanced_watcher = _only(specs, "model-watcher")
    replicas = [word for port in layout.rasa_replica_ports
                for word in ("--rasa-url", f"http://localhost:{port}")]
    argv = balanced_watcher.argv
    watcher = replace(balanced_watcher, argv=(*argv[:argv.index("--rasa-url")], *replicas))
    # A chat page's socket stays on one replica: the web chat's outbox asks each of them.
    web = _only(specs, "web")
    pushes = [word for port in layout.rasa_replica_ports
              for word in ("--push-to", f"http://localhost:{port}")]
    once = [replace(spec, argv=(*spec.argv, *pushes)) if spec is web else spec
            for spec in specs if spec not in (worker, balanced_watcher)]
    return [*once, watcher, *workers]


def nginx_config(layout: ClusterLayout, state_dir: Path, worker_user: str | None = None
                 ) -> str:
    """nginx's configuration: the Rasa replicas behind ``rasa_port`` (socket.io sticky by
    client address), the action servers behind ``action_port``; files under ``state_dir``."""
    host = layout.listen_address

    def servers(ports: Sequence[int]) -> str:
        return "".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n"
                       for port in ports)

    temp_paths = "".join(f"    {kind}_temp_path {state_dir / 'nginx' / kind};\n"
                         for kind in TEMP_DIRS)
    user = f"user {worker_user};\n" if worker_user else ""
    return (
        "# Written by supervisor/cluster.py for this run (docs/scaling.md); edits are lost.\n"
        f"{user}worker_processes 1;\n"
        f"pid {state_dir / 'nginx.pid'};\n"
        "error_log stderr warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    log_format balanced '$remote_addr \"$request\" $status "
        "upstream=$upstream_addr ($upstream_status) $request_time s';\n"
        f"    access_log {state_dir / 'nginx-access.log'} balanced;\n"
        f"{temp_paths}"
        "    # Action calls carry the whole conversation; bodies stay in memory so that a call\n"
        "    # can be sent again to another action server.\n"
        "    client_max_body_size 16m;\n"
        "    client_body_buffer_size 1m;\n"
        "    proxy_connect_timeout 2s;\n"
        "    map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
        "\n"
        "    upstream rasa {\n"
        f"{servers(layout.rasa_replica_ports)}"
        "    }\n"
        "    # socket.io's polling requests must reach the replica that opened the session.\n"
        "    upstream rasa_socketio {\n"
        "        ip_hash;\n"
        f"{servers(layout.rasa_replica_ports)}"
        "    }\n"
        "    upstream actions {\n"
        f"{servers(layout.action_replica_ports)}"
        "    }\n"
        "\n"
        "    server {\n"
        f"        listen {host}:{layout.rasa_port};\n"
        "        location = /nginx-health { access_log off; return 200 \"ok\\n\"; }\n"
        "        location /socket.io/ {\n"
        "            proxy_pass http://rasa_socketio;\n"
        "            proxy_http_version 1.1;\n"
        "            proxy_set_header Upgrade $http_upgrade;\n"
        "            proxy_set_header Connection $connection_upgrade;\n"
        "            proxy_set_header Host $host;\n"
        "            proxy_read_timeout 1h;\n"
        "        }\n"
        "        location / {\n"
        "            proxy_pass http://rasa;\n"
        "            proxy_set_header Host $host;\n"
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "            # A message is not sent twice: only one that never reached a replica\n"
        "            # (refused, connect timeout) goes to the next.\n"
        "            proxy_next_upstream error timeout;\n"
        f"            proxy_read_timeout {RASA_READ_TIMEOUT_SECONDS}s;\n"
        "        }\n"
        "    }\n"
        "    server {\n"
        f"        listen {host}:{layout.action_port};\n"
        "        location / {\n"
        "            proxy_pass http://actions;\n"
        "            # Cases and documents are keyed by the message id: a call sent again to\n"
        "            # another action server finds what the first one opened.\n"
        "            proxy_next_upstream error timeout non_idempotent;\n"
        "            proxy_read_timeout 60s;\n"
        "        }\n"
        "    }\n"
        "}\n"
    )


def write_nginx_config(layout: ClusterLayout, state_dir: Path = STATE_DIR) -> Path:
    """Writes nginx's configuration and makes its temporary folders; returns the file.

    Run as root, nginx's workers run as ``nobody``, which must own the temporary folders.
    """
    nobody = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
    for kind in TEMP_DIRS:
        folder = state_dir / "nginx" / kind
        folder.mkdir(parents=True, exist_ok=True)
        if nobody is not None:
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    user = f"nobody {grp.getgrgid(nobody.pw_gid).gr_name}" if nobody is not None else None
    path = state_dir / "nginx.conf"
    path.write_text(nginx_config(layout, state_dir, user), encoding="utf-8")
    return path


def infrastructure_processes(layout: ClusterLayout, nginx_conf: Path) -> list[ProcessSpec]:
    """Redis and nginx, run in the foreground by the project's scripts; their files beside
    nginx's configuration."""
    return [
        ProcessSpec("redis", ("bash", "scripts/redis.sh", "--foreground"),
                    env={"REDIS_PORT": str(layout.redis_port),
                         "REDIS_DIR": str(nginx_conf.parent / "redis")}),
        ProcessSpec("nginx", ("bash", "scripts/nginx.sh", str(nginx_conf), "--foreground"),
                    ready_url=f"{layout.rasa_url}/nginx-health"),
    ]


def redis_answers(port: int, timeout: float = 1.0) -> bool:
    """Whether a Redis on 127.0.0.1:``port`` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_for_redis(port: int, timeout: float = 30.0) -> None:
    """Waits until Redis answers; TimeoutError if it does not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not redis_answers(port):
        if time.monotonic() > deadline:
            raise TimeoutError(f"redis on 127.0.0.1:{port} did not answer")
        time.sleep(0.1)


def install_services() -> None:
    """Installs Redis and nginx from Debian's packages when missing (scripts/*.sh)."""
    for script in ("scripts/redis.sh", "scripts/nginx.sh"):
        subprocess.run(["bash", script, "--install"], cwd=REPO_ROOT, check=True,
                       stdout=subprocess.DEVNULL)


def postgres_url(settings: Settings) -> str:
    """The PostgreSQL database of the case store: DATABASE_URL when it names one, else the
    local server that scripts/postgres.sh starts (installing it when missing)."""
    if settings.database_url.startswith("postgresql"):
        return settings.database_url
    done = subprocess.run(["bash", "scripts/postgres.sh"], cwd=REPO_ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)
    return done.stdout.strip()


def start_cluster(group: ProcessGroup, settings: Settings, model: Path, layout: ClusterLayout,
                  state_dir: Path = STATE_DIR, timeout: float = START_TIMEOUT_SECONDS,
                  should_stop: Callable[[], bool] = lambda: False) -> None:
    """Starts Redis and nginx, then every replica and the office's processes, in ``group``;
    returns once all answer. ``settings`` hold the run's secrets and a PostgreSQL database
    (the group's environment must carry the same DATABASE_URL; its supervision must let a
    replica load its model: ``SUPERVISION``)."""
    group.start(infrastructure_processes(layout, write_nginx_config(layout, state_dir)),
                timeout=60.0, should_stop=should_stop)
    wait_for_redis(layout.redis_port)
    specs = [spec for index in range(1, layout.replicas + 1)
             for spec in replica_processes(settings, model, layout, index)]
    group.start([*specs, *office_processes(settings, model, layout)], timeout=timeout,
                should_stop=should_stop)


def cluster_settings(environ: Mapping[str, str]) -> Settings:
    """The settings of every process: the environment's, with the run's secrets and the
    PostgreSQL database (which also keeps the conversations, unless TRACKER_STORE_URL says
    otherwise)."""
    settings = with_run_secrets(load_settings(environ))
    database = postgres_url(settings)
    tracker = settings.tracker_store_url
    if tracker is not None and not tracker.startswith("postgresql"):
        raise ValueError("TRACKER_STORE_URL must name a database every replica reaches "
                         "(PostgreSQL), not " + tracker.split(":")[0])
    return replace(settings, database_url=database)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the cluster until interrupted; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m supervisor.cluster",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2,
                        help="Rasa servers and action servers (default 2)")
    parser.add_argument("--reminder-workers", type=int, default=2)
    parser.add_argument("--redis-port", type=int, default=6379)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per health probe otherwise
    signal.signal(signal.SIGTERM, _interrupt)  # like Ctrl-C: ensure_model stops a training
    try:
        install_services()
        settings = cluster_settings(os.environ)
        layout = cluster_layout(settings, args.replicas, args.redis_port,
                                args.reminder_workers)
        migrate(settings.database_url)
        model = ensure_model()
    except KeyboardInterrupt:
        log.info("stopped before the cluster started")
        return 0
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received; stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    logs = STATE_DIR / "logs"
    group = ProcessGroup(environ={**os.environ, "DATABASE_URL": settings.database_url},
                         log_dir=logs, supervision=SUPERVISION)
    try:
        start_cluster(group, settings, model, layout, should_stop=stop.is_set)
        if not stop.is_set():
            log.info("the cluster is up: %d Rasa replicas and %d action servers behind nginx; "
                     "REST %s/webhooks/rest/webhook, web chat http://localhost:%d/, logs in %s."
                     " Ctrl-C stops it.", layout.replicas, layout.replicas, layout.rasa_url,
                     settings.web_port, logs)
            group.run(should_stop=stop.is_set)
        return 0
    except (RuntimeError, TimeoutError) as failure:
        log.error("%s; stopping the others (logs in %s)", failure, logs)
        return 1
    finally:
        group.stop()


if __name__ == "__main__":
    sys.exit(main())
