"""The cluster's pieces as supervisor/cluster.py lays them out: ports, tokens, stores, nginx."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from config.settings import Settings
from supervisor.cluster import (
    CLUSTER_ENDPOINTS,
    LOCK_LIFETIME_SECONDS,
    RASA_READ_TIMEOUT_SECONDS,
    ClusterLayout,
    cluster_layout,
    nginx_config,
    office_processes,
    replica_processes,
)
from supervisor.processes import REPO_ROOT, ProcessSpec, with_run_secrets

MODEL = Path("models/model.tar.gz")
SETTINGS = with_run_secrets(Settings(
    database_url="postgresql+psycopg://office:office@127.0.0.1:5432/office"))
LAYOUT = cluster_layout(SETTINGS, replicas=3, redis_port=6390)


def _argument(spec: ProcessSpec, option: str) -> str:
    return spec.argv[spec.argv.index(option) + 1]


def _all_replicas() -> list[ProcessSpec]:
    return [spec for index in range(1, LAYOUT.replicas + 1)
            for spec in replica_processes(SETTINGS, MODEL, LAYOUT, index)]


def test_nginx_takes_the_ports_of_make_run_and_replica_i_listens_on_those_ports_plus_i() -> None:
    assert (LAYOUT.rasa_port, LAYOUT.action_port) == (5005, 5055)
    assert LAYOUT.rasa_replica_ports == (5006, 5007, 5008)
    assert LAYOUT.action_replica_ports == (5056, 5057, 5058)
    rasa = [spec for spec in _all_replicas() if spec.name.startswith("rasa-")]
    assert [_argument(spec, "--port") for spec in rasa] == ["5006", "5007", "5008"]
    with pytest.raises(ValueError, match="between 1 and"):
        cluster_layout(SETTINGS, replicas=0)


def test_every_replica_gets_the_same_tokens_and_stores_and_reaches_the_actions_through_nginx(
) -> None:
    rasa = [spec for spec in _all_replicas() if spec.name.startswith("rasa-")]
    for spec in rasa:
        assert _argument(spec, "--endpoints") == CLUSTER_ENDPOINTS
        assert spec.env["RASA_API_TOKEN"] == SETTINGS.rasa_api_token
        assert spec.env["ACTION_SERVER_TOKEN"] == SETTINGS.action_server_token
        assert spec.env["CHANNEL_TOKEN"] == SETTINGS.channel_token
        assert spec.env["TRACKER_STORE_URL"] == SETTINGS.database_url
        assert spec.env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
        assert (spec.env["REDIS_HOST"], spec.env["REDIS_PORT"]) == ("127.0.0.1", "6390")
        assert spec.env["TICKET_LOCK_LIFETIME"] == str(LOCK_LIFETIME_SECONDS)
    actions = [spec for spec in _all_replicas() if spec.name.startswith("action-server-")]
    assert [_argument(spec, "--port") for spec in actions] == ["5056", "5057", "5058"]
    assert {spec.env["RASA_URL"] for spec in actions} == {"http://127.0.0.1:5005"}


def test_replicas_are_not_laid_out_before_the_runs_tokens_are_drawn_once_for_all() -> None:
    with pytest.raises(ValueError, match="with_run_secrets"):
        replica_processes(replace(SETTINGS, action_server_token=None), MODEL, LAYOUT, 1)


def test_the_office_runs_once_except_the_reminder_workers_and_talks_to_the_balanced_rasa(
) -> None:
    specs = office_processes(SETTINGS, MODEL, LAYOUT)
    names = sorted(spec.name for spec in specs)
    assert names == ["model-watcher", "reminder-worker-1", "reminder-worker-2", "staff-api",
                     "web"]
    [web] = [spec for spec in specs if spec.name == "web"]
    assert _argument(web, "--rasa-url") == "http://localhost:5005"
    # A new model goes into every replica, not into whichever one nginx picks.
    [watcher] = [spec for spec in specs if spec.name == "model-watcher"]
    urls = [watcher.argv[i + 1] for i, word in enumerate(watcher.argv) if word == "--rasa-url"]
    assert urls == [f"http://localhost:{port}" for port in LAYOUT.rasa_replica_ports]


def test_the_cluster_endpoints_are_the_one_machine_endpoints_plus_the_redis_lock_store() -> None:
    single = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    cluster = yaml.safe_load((REPO_ROOT / CLUSTER_ENDPOINTS).read_text(encoding="utf-8"))
    lock_store = cluster.pop("lock_store")
    assert cluster == single
    assert lock_store["type"] == "engine.serving.locks.AtomicRedisLockStore"
    assert (lock_store["url"], lock_store["port"]) == ("${REDIS_HOST}", "${REDIS_PORT}")
    assert str(lock_store["key_prefix"]).isalnum()  # Rasa ignores any other prefix


def _location(config: str, start: str) -> str:
    block = config[config.index(start):]
    return block[:block.index("}")]


def test_nginx_retries_a_message_only_when_no_replica_got_it_and_an_action_call_always(
) -> None:
    config = nginx_config(LAYOUT, Path("/srv/state"))
    rasa = _location(config, "location / {\n            proxy_pass http://rasa;")
    assert "proxy_next_upstream error timeout;" in rasa
    assert f"proxy_read_timeout {RASA_READ_TIMEOUT_SECONDS}s;" in rasa
    assert RASA_READ_TIMEOUT_SECONDS > LOCK_LIFETIME_SECONDS
    actions = _location(config, "location / {\n            proxy_pass http://actions;")
    assert "proxy_next_upstream error timeout non_idempotent;" in actions
    socket = _location(config, "upstream rasa_socketio {")
    assert "ip_hash;" in socket
    for port in LAYOUT.rasa_replica_ports:
        assert config.count(f"server 127.0.0.1:{port} ") == 2  # REST and socket.io
    for port in LAYOUT.action_replica_ports:
        assert config.count(f"server 127.0.0.1:{port} ") == 1


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    nginx = subprocess.run(["bash", "scripts/nginx.sh", "--install"], cwd=REPO_ROOT,
                           check=True, capture_output=True, text=True).stdout.strip()
    layout = ClusterLayout("127.0.0.1", 15005, 15055, (15006,), (15056,), 16379)
    path = tmp_path / "nginx.conf"
    path.write_text(nginx_config(layout, tmp_path), encoding="utf-8")
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "nginx" / kind).mkdir(parents=True)
    checked = subprocess.run([nginx, "-e", "stderr", "-p", str(tmp_path), "-c", str(path),
                              "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
