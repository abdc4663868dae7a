"""The maintainers' loop: the running assistant follows the training files by itself.

`make run` starts this watcher beside the Rasa server. Every few seconds it compares the
model the server answers with (``GET /status``) with the model for the files as they are now
(``training.model.model_path``). When a maintainer saves a change to data/ or domain.yml:

1. it waits until the files have stopped changing for a moment (an editor saving several
   files, a half-copied folder);
2. it runs the maintainers' check (``scripts/check_data.py``) and, at the same time, trains
   the new model (Rasa reuses every cached part the change does not touch);
3. when both succeed it loads the new model into the running server
   (``POST /webhooks/model/load``, engine/serving/model_swap.py); the server keeps answering
   with the old model until the new one is loaded. A change the check refuses is never
   swapped in: its problems are logged, and the next save is looked at again.

The same comparison brings a restarted server (which starts from the model it was started
with) back to the newest model.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from urllib.parse import quote

import httpx

from engine.serving.server import TOKEN_VARIABLE
from supervisor.processes import REPO_ROOT
from training.model import ensure_model, fingerprint, model_path

log = logging.getLogger("live-model")

LOOK_EVERY_SECONDS = 2.0
# How often the servers are asked which model they answer with while the files stay as they
# are (to bring a restarted server back to the newest model); asked at once after a change.
RECHECK_SECONDS = 30.0
# Files must stay unchanged this long before a training starts.
SETTLE_SECONDS = 3.0
# The Rasa server answers the load request once the new model is loaded.
LOAD_TIMEOUT_SECONDS = 600.0
# Model archives kept besides the one being served (make test, a second checkout's runs).
KEEP_OTHER_MODELS = 3


def served_model(url: str, token: str) -> str | None:
    """The file name of the model the Rasa server at ``url`` answers with, None if it does
    not answer."""
    try:
        reply = httpx.get(f"{url}/status?token={quote(token, safe='')}", timeout=10)
        reply.raise_for_status()
    except httpx.HTTPError:
        return None
    return Path(str(reply.json().get("model_file") or "")).name or None


def check_data(root: Path) -> list[str]:
    """The maintainers' check of ``root``'s files: the problems it names, [] when fine."""
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "check_data.py"), "--rasa",
         "--root", str(root)], capture_output=True, text=True)
    if result.returncode == 0:
        return []
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return lines or [result.stderr.strip() or f"check_data exited with {result.returncode}"]


class Watcher:
    """Keeps the Rasa servers at ``rasa_urls`` on the model for ``root``'s training files."""

    def __init__(self, root: Path, rasa_urls: Sequence[str], token: str) -> None:
        self.root = root
        self.rasa_urls = tuple(url.rstrip("/") for url in rasa_urls)
        self.token = token
        self._seen: str | None = None
        self._seen_since = 0.0
        self._refused: str | None = None  # the fingerprint whose files the check refused
        self._confirmed: str | None = None  # every server answered with this one's model
        self._confirmed_at = 0.0

    def step(self, now: float) -> None:
        """One look: start nothing until the files settle, then check, train and swap."""
        current = fingerprint(self.root)
        if current != self._seen:
            self._seen, self._seen_since = current, now
            return
        if now - self._seen_since < SETTLE_SECONDS or current == self._refused:
            return
        if current == self._confirmed and now - self._confirmed_at < RECHECK_SECONDS:
            return
        wanted = model_path(self.root)
        served = {url: served_model(url, self.token) for url in self.rasa_urls}
        behind = [url for url, name in served.items() if name is not None and name != wanted.name]
        if not behind:
            if all(name is not None for name in served.values()):
                self._confirmed, self._confirmed_at = current, now
            return
        if not wanted.exists():
            started = time.monotonic()
            log.info("the training files changed: checking them and training %s", wanted.name)
            if not self._check_and_train():
                self._refused = current
                return
            log.info("trained %s in %.0f s", wanted.name, time.monotonic() - started)
        if fingerprint(self.root) != current:
            return  # changed again while training: the next looks start over
        for url in behind:
            self.swap(url, wanted)
        prune(wanted)

    def _check_and_train(self) -> bool:
        """The check and the training side by side (the check takes seconds, the training
        minutes); True when both succeeded."""
        problems: list[str] = []
        checking = threading.Thread(target=lambda: problems.extend(check_data(self.root)))
        checking.start()
        try:
            # Rasa's own validation is part of the check running beside it.
            trained = ensure_model(self.root, validate=False)
        except subprocess.CalledProcessError as failure:
            log.error("the training failed (%s); the assistant keeps its model", failure)
            return False
        finally:
            checking.join()
            for problem in problems:
                log.error("  %s", problem)
        if problems:
            log.error("`make check-data` refuses the change (above); the assistant keeps its "
                      "model until it is fixed")
            trained.unlink(missing_ok=True)  # never served; retrained once the files are fixed
            return False
        return True

    def swap(self, url: str, model: Path) -> None:
        """Loads ``model`` into the server at ``url``; it answers with the old one until then."""
        started = time.monotonic()
        try:
            reply = httpx.post(f"{url}/webhooks/model/load",
                               headers={"Authorization": f"Bearer {self.token}"},
                               json={"model_file": str(model.resolve())},
                               timeout=LOAD_TIMEOUT_SECONDS)
            reply.raise_for_status()
        except httpx.HTTPError as failure:
            log.error("could not load %s into %s: %s", model.name, url, failure)
            return
        log.info("%s now answers with %s (loaded in %.0f s)", url, model.name,
                 time.monotonic() - started)


def prune(live: Path) -> None:
    """Removes model archives older than the newest few, never the one being served."""
    others = sorted((p for p in live.parent.glob("*.tar.gz") if p != live),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OTHER_MODELS:]:
        old.unlink(missing_ok=True)


def _stop(signum: int, _frame: FrameType | None) -> None:
    # SystemExit unwinds through ensure_model, which then stops a running training.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Watches until stopped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa-url", action="append", required=True,
                        help="a Rasa server to keep current (repeat for several)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        parser.error(f"{TOKEN_VARIABLE} is not set")
    signal.signal(signal.SIGTERM, _stop)
    watcher = Watcher(args.root, args.rasa_url, token)
    while True:
        watcher.step(time.monotonic())
        time.sleep(LOOK_EVERY_SECONDS)


if __name__ == "__main__":
    sys.exit(main())
