"""How long a maintainer waits: from saving a change to the running assistant answering with it.

Runs `make run`'s launcher (every process, the model watcher included) on a scratch copy of
this checkout, then makes three changes a maintainer makes, one after the other, and prints
for each the seconds from saving the file until the Rasa server answers with the new model and
until the answer shows the change:

* a response text changed (``utter_greet``);
* examples added to an existing question;
* a new plain question (a file in data/questions, docs/maintaining.md).

    .venv/bin/python scripts/maintainer_loop.py

The scratch copy shares the environments and Rasa's training cache with this checkout; the
current model is trained first if it is missing (not counted).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from supervisor.launcher import START_TIMEOUT_SECONDS  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.plain_question import question, write  # noqa: E402
from training.live_model import served_model  # noqa: E402
from training.model import ensure_model, model_path  # noqa: E402

# Shared with the checkout instead of copied: environments, installed packages and Rasa's
# training cache (.rasa/cache: `make run` in the checkout trains with it).
SHARED = (".tools", ".venv", ".venv-rasa", "bot/web/node_modules", ".rasa")
TOKEN = "maintainer-loop-token"


def scratch_copy(destination: Path) -> Path:
    """This checkout's files as they are now (tracked and new, not ignored), its environments
    linked, and the current model linked into its models/."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                            cwd=REPO_ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for name in SHARED:
        if (REPO_ROOT / name).exists():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            (destination / name).symlink_to(REPO_ROOT / name)
    model = ensure_model()
    (destination / "models").mkdir(exist_ok=True)
    os.link(model, destination / "models" / model.name)
    return destination


@dataclass
class ScratchAssistant:
    """The launcher running on a scratch copy, and how to talk to it."""

    root: Path
    rasa_url: str
    log: Path

    def say(self, sender: str, message: str) -> str:
        """Sends one message over the REST channel; the replies' texts, one a line."""
        reply = httpx.post(f"{self.rasa_url}/webhooks/rest/webhook",
                           json={"sender": sender, "message": message}, timeout=120)
        reply.raise_for_status()
        return "\n".join(str(r.get("text") or "") for r in reply.json())

    def served_model(self) -> str | None:
        """The file name of the model the Rasa server answers with."""
        return served_model(self.rasa_url, TOKEN)

    def wanted_model(self) -> str:
        """The file name of the model for the scratch copy's files as they are now."""
        return model_path(self.root).name

    def log_text(self) -> str:
        """Everything the launcher and its processes logged so far."""
        return self.log.read_text(errors="replace")


@contextmanager
def running(root: Path) -> Iterator[ScratchAssistant]:
    """Runs `make run`'s launcher on ``root`` until the block ends."""
    ports = {name: str(free_port()) for name in
             ("RASA_PORT", "ACTION_SERVER_PORT", "WEB_PORT", "STAFF_API_PORT")}
    data = root / "var"
    data.mkdir(exist_ok=True)
    env = {**os.environ, **ports, "DATABASE_URL": f"sqlite:///{data / 'office.db'}",
           "RASA_API_TOKEN": TOKEN, "TELEGRAM_BOT_TOKEN": ""}
    log = root / "launcher.log"
    with log.open("wb") as output:
        launcher = subprocess.Popen([str(root / ".venv/bin/python"), "-m", "supervisor.launcher"],
                                    cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
    assistant = ScratchAssistant(root, f"http://localhost:{ports['RASA_PORT']}", log)
    try:
        until(lambda: assistant.served_model() is not None, START_TIMEOUT_SECONDS,
              lambda: f"the launcher did not start:\n{assistant.log_text()[-3000:]}")
        yield assistant
    finally:
        launcher.terminate()
        try:
            launcher.wait(timeout=120)
        except subprocess.TimeoutExpired:
            launcher.kill()


def until(condition: Callable[[], Any], timeout: float, failure: Callable[[], str],
          every: float = 1.0) -> float:
    """Seconds until ``condition()`` holds; TimeoutError with ``failure()`` after ``timeout``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError(failure())
        time.sleep(every)
    return time.monotonic() - started


@dataclass(frozen=True)
class Change:
    """A maintainer's change, the message that shows it, and what the answer then says."""

    name: str
    make: Callable[[Path], None]
    message: str
    shows: str


def change_greeting(root: Path) -> None:
    path = root / "domain.yml"
    text = path.read_text("utf-8")
    start = text.index("  utter_greet:")
    first = text.index('- text: "', start) + len('- text: "')
    path.write_text(text[:first] + "Welcome back to the office! " + text[first:], "utf-8")


def add_examples(root: Path) -> None:
    path = root / "data" / "nlu" / "visas.yml"
    text = path.read_text("utf-8")
    at = text.index("- intent: visa_types\n  examples: |\n") + len(
        "- intent: visa_types\n  examples: |\n")
    added = ("    - my embassy paperwork says study visa category, X one or X two, which fits\n"
             "    - for a whole bachelor programme the embassy stamp should be which letter\n")
    path.write_text(text[:at] + added + text[at:], "utf-8")


def add_plain_question(root: Path) -> None:
    write(root / "data" / "questions", question())


CHANGES = (
    Change("a response text changed", change_greeting, "hello", "Welcome back to the office!"),
    Change("examples added to an existing question", add_examples,
           "for a whole bachelor programme the embassy stamp should be which letter", "X1"),
    Change("a new plain question", add_plain_question,
           "which exit-entry branch handles the permit in Xuzhou",
           "Jiangsu Normal University, Article 2"),
)


def measure(assistant: ScratchAssistant, change: Change, timeout: float) -> tuple[float, float]:
    """Seconds from saving ``change`` until the new model is served, and until its answer."""
    before = assistant.served_model()
    saved = time.monotonic()
    change.make(assistant.root)
    until(lambda: assistant.served_model() not in (None, before)
          and assistant.served_model() == assistant.wanted_model(), timeout,
          lambda: f"{change.name}: not live after {timeout:.0f} s\n{assistant.log_text()[-3000:]}")
    live = time.monotonic() - saved
    sender = f"maintainer-{time.monotonic_ns()}"
    assistant.say(sender, "I study at Jiangsu Normal University")
    answer = assistant.say(sender, change.message)
    if change.shows not in answer:
        raise AssertionError(f"{change.name}: “{change.message}” was answered\n{answer}")
    return live, time.monotonic() - saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds a change may take before the run fails")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the launcher (and every process it started) is stopped.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="maintainer-loop-") as folder:
        root = scratch_copy(Path(folder))
        with running(root) as assistant:
            print("| Change | Model live after | Answered after |")
            print("|---|---|---|")
            for change in CHANGES:
                live, answered = measure(assistant, change, args.timeout)
                print(f"| {change.name} | {live:.0f} s | {answered:.0f} s |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
