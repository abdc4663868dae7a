"""`make run`: migrate the case store, train the model if needed, start every process.

Ctrl-C (or SIGTERM) stops all of them, also while the model trains; a process that dies or
stops answering its health checks is restarted (with exponential backoff) while the others
keep serving.
"""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from casestore.db import migrate
from config.settings import load_settings
from supervisor.processes import ProcessGroup, assistant_processes
from training.model import ensure_model

log = logging.getLogger("launcher")

# Rasa loads its model in one to two minutes, much longer on a busy machine.
START_TIMEOUT_SECONDS = 900.0


class _Stop(Exception):
    """Raised by a stop signal while the launcher is blocked in a long call (training)."""


class StopSignals:
    """Ctrl-C and SIGTERM, installed explicitly: a launcher started in the background by a
    non-interactive shell (``make run &``) inherits SIGINT ignored and would not react.

    While ``interrupting`` the first signal raises ``_Stop`` where the launcher is blocked
    (the training's ``wait()``, whose caller then stops the training); otherwise it is only
    noted, and the supervision loop looks at ``received``.
    """

    def __init__(self) -> None:
        self.received: str | None = None
        self.interrupting = True

    def install(self) -> StopSignals:
        """Handles SIGINT and SIGTERM from now on."""
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)
        return self

    def requested(self) -> bool:
        """Whether a stop signal has arrived."""
        return self.received is not None

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        first = self.received is None
        self.received = self.received or signal.Signals(signum).name
        if first and self.interrupting:
            self.interrupting = False  # a second Ctrl-C must not interrupt the clean-up
            raise _Stop(self.received)


def main() -> int:
    """Runs the assistant until interrupted; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per health check
    stop = StopSignals().install()
    try:
        settings = load_settings()
        migrate(settings.database_url)
        model = ensure_model()  # stops the training if interrupted
        stop.interrupting = False  # from here the supervision loop looks at stop.requested()
    except _Stop:
        log.info("%s received; stopped before the assistant started", stop.received)
        return 0
    group = ProcessGroup()
    try:
        group.start(assistant_processes(settings, model), timeout=START_TIMEOUT_SECONDS,
                    should_stop=stop.requested)
        if not stop.requested():
            log.info(
                "the assistant is up: REST http://localhost:%d/webhooks/rest/webhook, "
                "actions http://localhost:%d. Ctrl-C stops it.",
                settings.rasa_port, settings.action_server_port,
            )
            group.run(should_stop=stop.requested)
        log.info("%s received; stopping", stop.received)
        return 0
    except (RuntimeError, TimeoutError) as failure:
        log.error("%s; stopping the others", failure)
        return 1
    finally:
        group.stop()


if __name__ == "__main__":
    sys.exit(main())
