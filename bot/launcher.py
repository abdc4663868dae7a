"""`make run`: migrate the case store, train the model if needed, start every process.

Ctrl-C (or SIGTERM) stops all of them; if one of them dies, the others are stopped too.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType

from bot.model import ensure_model
from bot.processes import ProcessGroup, assistant_processes
from office.db import migrate
from office.settings import load_settings

log = logging.getLogger("launcher")


class _Stop(Exception):
    """Raised in the main loop when a stop signal arrives."""


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> int:
    """Runs the assistant until interrupted; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    migrate(settings.database_url)
    model = ensure_model()
    group = ProcessGroup()
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    try:
        group.start(assistant_processes(settings, model))
        log.info(
            "the assistant is up: REST http://localhost:%d/webhooks/rest/webhook, "
            "actions http://localhost:%d. Ctrl-C stops it.",
            settings.rasa_port, settings.action_server_port,
        )
        while (exited := group.first_exited()) is None:
            time.sleep(1.0)
        log.error("%s exited with code %d; stopping the others", *exited)
        return 1
    except _Stop as stop:
        log.info("%s received; stopping", stop)
        return 0
    finally:
        # A second Ctrl-C must not interrupt the orderly stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        group.stop()


if __name__ == "__main__":
    sys.exit(main())
