"""The lock store of the cluster (engine/serving/locks.py), run in the engine's own
environment against a real Redis: processes that take one conversation's lock at the same
moments never hold it together, and every ticket is served once."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from supervisor.cluster import wait_for_redis
from supervisor.processes import REPO_ROOT, rasa_environment, rasa_python
from tests.conftest import free_port

# Each of PROCESSES processes takes the lock of one conversation TURNS times; inside it
# reads a counter, yields, and writes it back plus one. Without mutual exclusion two holders
# read the same value and an increment is lost, and "inside" counts more than one holder.
CONTEND = """
import asyncio, json, multiprocessing, sys
import redis
from rasa.utils.endpoints import EndpointConfig

PORT, KIND, PROCESSES, TURNS = int(sys.argv[1]), sys.argv[2], 4, 40

def store():
    if KIND == "atomic":
        from engine.serving.locks import AtomicRedisLockStore
        return AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=PORT, db=2,
                                                   key_prefix="test"))
    from rasa.core.lock_store import RedisLockStore
    return RedisLockStore(host="127.0.0.1", port=PORT, db=2, key_prefix="test")

async def turns():
    locks, red = store(), redis.Redis(port=PORT, db=3)
    for _ in range(TURNS):
        async with locks.lock("one-person", lock_lifetime=5, wait_time_in_seconds=0.002):
            if red.incr("inside") > 1:
                red.incr("overlaps")
            value = int(red.get("counter") or 0)
            await asyncio.sleep(0.001)
            red.set("counter", value + 1)
            red.decr("inside")

def work(_):
    asyncio.run(turns())

if __name__ == "__main__":
    redis.Redis(port=PORT, db=3).flushdb()
    with multiprocessing.get_context("fork").Pool(PROCESSES) as pool:
        pool.map(work, range(PROCESSES))
    red = redis.Redis(port=PORT, db=3)
    print(json.dumps({"counter": int(red.get("counter") or 0),
                      "overlaps": int(red.get("overlaps") or 0),
                      "expected": PROCESSES * TURNS,
                      "locks_left": len(redis.Redis(port=PORT, db=2).keys())}))
"""


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A Redis of its own, started by scripts/redis.sh on a free port."""
    folder = tmp_path_factory.mktemp("redis")
    if shutil.which("redis-server") is None:
        subprocess.run(["bash", "scripts/redis.sh", "--install"], cwd=REPO_ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(["bash", "scripts/redis.sh", "--foreground"], cwd=REPO_ROOT,
                              env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                   "REDIS_PORT": str(port), "REDIS_DIR": str(folder)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_redis(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def contend(port: int, kind: str) -> dict[str, int]:
    """Runs CONTEND with Rasa's (``stock``) or our (``atomic``) lock store."""
    run = subprocess.run(
        [str(rasa_python()), "-c", CONTEND, str(port), kind],
        cwd=REPO_ROOT, env={**rasa_environment(), "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def test_processes_taking_one_conversations_lock_at_once_hold_it_one_at_a_time(
    redis_port: int,
) -> None:
    result = contend(redis_port, "atomic")
    assert result["overlaps"] == 0
    assert result["counter"] == result["expected"]
    assert result["locks_left"] == 0
