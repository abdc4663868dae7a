"""The reminder worker (``python -m reminders.worker``): every minute, queue the reminders that
are due, exactly once even with two workers (``reminders.schedule.due_reminders``)."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from casestore.db import make_engine, make_session_factory, migrate
from casestore.privacy import install_log_masking
from config.settings import load_settings
from knowledge.core import CHINA_TIME, Period
from reminders.schedule import office_holidays, send_due_reminders

log = logging.getLogger(__name__)


def china_now() -> datetime:
    """The real clock, in China time (the worker's default clock)."""
    return datetime.now(CHINA_TIME)


def run_worker(
    session_factory: sessionmaker[Session],
    *,
    clock: Callable[[], datetime] = china_now,
    poll_seconds: float = 60.0,
    stop: threading.Event | None = None,
    once: bool = False,
    holidays: Sequence[Period] | None = None,
) -> int:
    """Send due reminders every ``poll_seconds`` until ``stop`` is set; returns messages queued.

    A failing round (database down) is logged and retried at the next poll. ``holidays``
    default to the office's (``SEMESTER_HOLIDAYS``).
    """
    stop = stop or threading.Event()
    if holidays is None:
        holidays = office_holidays()
    total = 0
    while True:
        try:
            with session_factory.begin() as session:
                queued = len(send_due_reminders(session, clock(), holidays))
            total += queued
            if queued:
                log.info("queued %s reminder messages", queued)
        except Exception:
            if once:
                raise
            log.exception("reminder round failed; retrying in %s s", poll_seconds)
        if once or stop.wait(poll_seconds):
            return total


def _fixed_clock(text: str) -> Callable[[], datetime]:
    """A clock stuck at the ISO time ``text`` (China time when no offset is given)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TIME)
    return lambda: moment


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m reminders.worker``."""
    parser = argparse.ArgumentParser(prog="python -m reminders.worker", description=__doc__)
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument("--now", help="pretend it is this ISO time (China time if no offset)")
    args = parser.parse_args(argv)
    install_log_masking()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = load_settings()
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    clock = _fixed_clock(args.now) if args.now else china_now
    try:
        total = run_worker(make_session_factory(engine), clock=clock,
                           poll_seconds=settings.reminder_poll_seconds, stop=stop, once=args.once,
                           holidays=office_holidays(settings))
    finally:
        engine.dispose()
    log.info("reminder worker stopped after queuing %s messages", total)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
