"""Document-expiry reminders with an injected clock: what is scheduled, sent once, never twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from casestore.cases import IdempotencyConflict, get_or_create_person
from casestore.db import make_engine, make_session_factory
from casestore.models import Notification, Person, Reminder, TrackedDocument
from knowledge import extension_application_deadline
from knowledge.core import Period
from reminders.schedule import (
    CHINA_TIME,
    DocumentError,
    china_date,
    delete_document,
    delete_reminder,
    documents_of,
    due_reminders,
    plan_reminders,
    register_document,
    reminders_of,
    send_due_reminders,
)
from reminders.worker import run_worker

TODAY = date(2026, 1, 5)
PERMIT_EXPIRES = date(2026, 9, 10)


def _at(day: date, hour: int = 9) -> datetime:
    """A moment on ``day`` in China."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TIME)


def _person(session: Session, user: str = "5", language: str = "en",
            institution: str = "CPU") -> Person:
    return get_or_create_person(session, channel="telegram", channel_user_id=user,
                                language=language, institution=institution)


def _register(factory: sessionmaker[Session], kind: str = "residence_permit",
              expires_on: date = PERMIT_EXPIRES, **person: str) -> int:
    with factory.begin() as session:
        return register_document(session, _person(session, **person), kind, expires_on,
                                 TODAY).id


def _messages(factory: sessionmaker[Session]) -> list[str]:
    with factory.begin() as session:
        return list(session.scalars(select(Notification.text).order_by(Notification.id)))


@pytest.mark.parametrize(
    ("kind", "institution", "expected"),
    [
        ("residence_permit", "CPU", [("before_expiry", date(2026, 7, 12)),
                                     ("extension_deadline", date(2026, 8, 10)),
                                     ("before_expiry", date(2026, 8, 11)),
                                     ("before_expiry", date(2026, 9, 3))]),
        ("visa", "JSNU", [("before_expiry", date(2026, 7, 12)),
                          ("extension_deadline", date(2026, 8, 10)),
                          ("before_expiry", date(2026, 8, 11)),
                          ("before_expiry", date(2026, 9, 3))]),
        ("passport", "CPU", [("before_expiry", date(2026, 7, 12)),
                             ("before_expiry", date(2026, 8, 11)),
                             ("before_expiry", date(2026, 9, 3))]),
        ("work_permit", "WESTLAKE", [("before_expiry", date(2026, 7, 12)),
                                     ("before_expiry", date(2026, 8, 11)),
                                     ("before_expiry", date(2026, 9, 3))]),
        ("residence_permit", None, [("before_expiry", date(2026, 7, 12)),
                                    ("before_expiry", date(2026, 8, 11)),
                                    ("before_expiry", date(2026, 9, 3))]),
    ],
    ids=[
        "a CPU residence permit gets 60 30 7 days and the Article 9 extension deadline",
        "a JSNU visa gets the Article 9 extension deadline too",
        "a passport has no extension deadline in any regulation",
        "Westlake sets no extension deadline for work permits",
        "without an institution there is no extension deadline",
    ],
)
def test_reminders_are_planned_60_30_and_7_days_before_and_where_a_rule_says_so_on_the_deadline(
    kind: str, institution: str | None, expected: list[tuple[str, date]],
) -> None:
    planned = plan_reminders(kind, institution, PERMIT_EXPIRES, TODAY)
    assert [(p.kind, p.due_on) for p in planned] == expected


@pytest.mark.parametrize(
    ("expires_on", "deadline"),
    [
        (date(2026, 3, 31), date(2026, 2, 28)),
        (date(2028, 3, 31), date(2028, 2, 29)),
        (date(2026, 1, 15), date(2025, 12, 15)),
        (date(2026, 5, 31), date(2026, 4, 30)),
    ],
    ids=["31 March gives 28 February", "in a leap year 29 February",
         "across the new year", "31 May gives 30 April"],
)
def test_the_last_day_to_apply_is_one_calendar_month_before_expiry(
    expires_on: date, deadline: date,
) -> None:
    planned = plan_reminders("residence_permit", "CPU", expires_on, date(2025, 1, 1))
    [extension] = [p for p in planned if p.kind == "extension_deadline"]
    assert extension.due_on == deadline
    assert extension.source == ("China Pharmaceutical University, Article 9: apply one month "
                                "in advance")


# JSNU Art. 9: nothing is processed in the holidays. A permit expiring on 5 September 2027
# would be extended by 5 August, in the summer holidays: the last day is 9 July, the day
# before they start.
SUMMER = (Period(date(2027, 7, 10), date(2027, 8, 31)),)
SUMMER_SETTING = "2027-07-10..2027-08-31"
AFTER_SUMMER = date(2027, 9, 5)
REGISTERED = date(2027, 1, 4)
JSNU_SOURCE = ("Jiangsu Normal University, Article 9: apply at least one month ahead and "
               "before the holidays")


@pytest.mark.parametrize("kind", ["residence_permit", "visa"])
def test_jsnu_article_9_an_extension_deadline_in_the_holidays_is_the_day_knowledge_gives(
    kind: str,
) -> None:
    planned = plan_reminders(kind, "JSNU", AFTER_SUMMER, REGISTERED, holidays=SUMMER)
    [extension] = [p for p in planned if p.kind == "extension_deadline"]
    decided = extension_application_deadline("JSNU", AFTER_SUMMER, holidays=SUMMER)
    assert extension.due_on == decided.valid_until == date(2027, 7, 9)
    assert extension.source == JSNU_SOURCE


def test_cpu_article_9_sets_no_holiday_rule_so_the_office_holidays_move_nothing() -> None:
    planned = plan_reminders("residence_permit", "CPU", AFTER_SUMMER, REGISTERED,
                             holidays=SUMMER)
    [extension] = [p for p in planned if p.kind == "extension_deadline"]
    assert extension.due_on == date(2027, 8, 5)


def test_jsnu_reminders_name_the_last_day_before_the_holidays_and_come_on_that_day(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        register_document(session, _person(session, institution="JSNU"), "residence_permit",
                          AFTER_SUMMER, REGISTERED, holidays=SUMMER)
    for day in (date(2027, 7, 7), date(2027, 7, 9)):  # 60 days before expiry, the deadline
        assert run_worker(factory, clock=lambda day=day: _at(day), once=True,
                          holidays=SUMMER) == 1
    assert _messages(factory) == [
        "Reminder: your residence permit expires on 5 September 2027 (in 60 days). The last day to "
        f"apply for an extension is 9 July 2027 (source: {JSNU_SOURCE}).",
        "Reminder: your residence permit expires on 5 September 2027 (in 58 days). The last day to "
        f"apply for an extension is today, 9 July 2027 (source: {JSNU_SOURCE}).",
    ]


def test_the_office_holidays_setting_reaches_the_schedule_and_the_worker_process(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SEMESTER_HOLIDAYS", SUMMER_SETTING)
    with factory.begin() as session:
        document = register_document(session, _person(session, language="zh",
                                                       institution="JSNU"),
                                     "visa", AFTER_SUMMER, REGISTERED)
        assert date(2027, 7, 9) in [r.due_on for r in document.reminders]
    command = [sys.executable, "-m", "reminders.worker", "--once", "--now", "2027-07-09T09:00"]
    done = subprocess.run(command, env={**subprocess_env, "SEMESTER_HOLIDAYS": SUMMER_SETTING},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _messages(factory) == [
        "提醒：您的签证将于2027年9月5日到期（还有58天）。申请延期的最后一天是今天"
        "（依据：江苏师范大学 第九条：至少提前一个月、并在假期前申请）。"]


def test_reminder_days_come_from_the_setting_and_past_days_are_dropped() -> None:
    planned = plan_reminders("passport", "CPU", date(2026, 2, 1), TODAY, days_before=(90, 14, 3))
    assert [(p.days_before, p.due_on) for p in planned] == [
        (14, date(2026, 1, 18)), (3, date(2026, 1, 29))]


def test_a_registered_document_is_stored_with_its_reminders(
    factory: sessionmaker[Session],
) -> None:
    document_id = _register(factory)
    with factory.begin() as session:
        person = _person(session)
        [document] = documents_of(session, person)
        assert (document.id, document.kind, document.expires_on, document.institution) == (
            document_id, "residence_permit", PERMIT_EXPIRES, "CPU")
        assert [(r.kind, r.days_before, r.due_on) for r in reminders_of(session, person)] == [
            ("before_expiry", 60, date(2026, 7, 12)),
            ("extension_deadline", None, date(2026, 8, 10)),
            ("before_expiry", 30, date(2026, 8, 11)),
            ("before_expiry", 7, date(2026, 9, 3)),
        ]


def test_a_message_delivered_twice_registers_its_document_once(
    factory: sessionmaker[Session],
) -> None:
    key = "telegram:5:update-81"
    with factory.begin() as session:
        first = register_document(session, _person(session), "visa", PERMIT_EXPIRES, TODAY,
                                  idempotency_key=key)
    with factory.begin() as session:
        again = register_document(session, _person(session), "visa", PERMIT_EXPIRES, TODAY,
                                  idempotency_key=key)
        assert again.id == first.id
        assert [r.due_on for r in again.reminders] == [r.due_on for r in first.reminders]
        assert session.scalar(select(func.count()).select_from(TrackedDocument)) == 1
        assert session.scalar(select(func.count()).select_from(Reminder)) == 4


def test_documents_without_a_key_or_with_different_keys_are_all_registered(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        person = _person(session)
        for key in (None, None, "web:5:m-1", "web:5:m-2"):
            register_document(session, person, "passport", PERMIT_EXPIRES, TODAY,
                              idempotency_key=key)
        assert len(documents_of(session, person)) == 4


def test_another_persons_idempotency_key_is_refused(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        register_document(session, _person(session, "me"), "visa", PERMIT_EXPIRES, TODAY,
                          idempotency_key="telegram:me:update-1")
    with factory.begin() as session, pytest.raises(IdempotencyConflict):
        register_document(session, _person(session, "them"), "visa", PERMIT_EXPIRES, TODAY,
                          idempotency_key="telegram:me:update-1")


@pytest.mark.parametrize(("kind", "expires_on"), [("library_card", PERMIT_EXPIRES),
                                                  ("passport", TODAY),
                                                  ("visa", TODAY - timedelta(days=1))])
def test_an_unknown_or_already_expired_document_is_refused(
    factory: sessionmaker[Session], kind: str, expires_on: date,
) -> None:
    with factory.begin() as session, pytest.raises(DocumentError):
        register_document(session, _person(session), kind, expires_on, TODAY)


def test_nothing_is_due_before_its_day_and_it_is_due_from_nine_in_the_morning_on_in_china(
    factory: sessionmaker[Session],
) -> None:
    _register(factory)
    with factory.begin() as session:
        assert due_reminders(session, _at(date(2026, 7, 11), 23)) == []
        # 16:30 UTC on 11 July is already 00:30 on 12 July in China
        [due] = due_reminders(session, datetime(2026, 7, 11, 16, 30, tzinfo=UTC))
        assert due.days_before == 60
    assert china_date(datetime(2026, 7, 11, 16, 30)) == date(2026, 7, 12)


def test_the_worker_sends_each_reminder_once_on_its_day_in_the_persons_language(
    factory: sessionmaker[Session],
) -> None:
    _register(factory, language="zh")
    clock = [_at(date(2026, 7, 12))]
    assert run_worker(factory, clock=lambda: clock[0], once=True) == 1
    assert run_worker(factory, clock=lambda: clock[0], once=True) == 0
    clock[0] = _at(date(2026, 8, 10))
    assert run_worker(factory, clock=lambda: clock[0], once=True) == 1
    assert _messages(factory) == [
        "提醒：您的居留许可将于2026年9月10日到期（还有60天）。申请延期的最后一天是2026年8月10日"
        "（依据：中国药科大学 第九条：需提前一个月申请）。",
        "提醒：您的居留许可将于2026年9月10日到期（还有31天）。申请延期的最后一天是今天"
        "（依据：中国药科大学 第九条：需提前一个月申请）。",
    ]
    with factory.begin() as session:
        person = _person(session)
        assert [r.due_on for r in reminders_of(session, person)] == [
            date(2026, 8, 11), date(2026, 9, 3)]
        assert len(reminders_of(session, person, include_sent=True)) == 4


def test_an_english_reminder_says_how_many_days_are_left(factory: sessionmaker[Session]) -> None:
    _register(factory, kind="passport", expires_on=date(2026, 3, 1), language="en")
    with factory.begin() as session:
        send_due_reminders(session, _at(date(2026, 2, 22)))
    assert _messages(factory) == ["Reminder: your passport expires on 1 March 2026 (in 7 days)."]


def test_no_reminder_is_sent_twice_across_a_restart(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    _register(factory)
    day = _at(date(2026, 9, 3))
    assert run_worker(factory, clock=lambda: day, once=True) == 1
    engine.dispose()  # the worker stops ...

    engine = make_engine(database_url)  # ... and a new one starts on the same database
    factory = make_session_factory(engine)
    try:
        assert run_worker(factory, clock=lambda: day, once=True) == 0
        assert run_worker(factory, clock=lambda: day + timedelta(days=30), once=True) == 0
        with factory.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notification)) == 1
            assert session.scalar(
                select(func.count()).select_from(Reminder).where(Reminder.sent_at.is_(None))
            ) == 0
    finally:
        engine.dispose()


def test_a_worker_back_after_weeks_sends_one_message_per_document_not_a_pile(
    factory: sessionmaker[Session],
) -> None:
    _register(factory)
    run_worker(factory, clock=lambda: _at(date(2026, 9, 4)), once=True)
    assert _messages(factory) == [
        "Reminder: your residence permit expires on 10 September 2026 (in 6 days)."]


def test_a_reminder_that_failed_to_commit_is_sent_by_the_next_round(
    factory: sessionmaker[Session],
) -> None:
    _register(factory, kind="passport")
    session = factory()
    with session.begin():
        assert len(send_due_reminders(session, _at(date(2026, 9, 3)))) == 1
        session.rollback()  # e.g. the process died before commit
    session.close()
    assert _messages(factory) == []
    assert run_worker(factory, clock=lambda: _at(date(2026, 9, 3)), once=True) == 1


def test_a_person_can_delete_their_own_reminders_and_documents_only(
    factory: sessionmaker[Session],
) -> None:
    mine = _register(factory, user="me")
    _register(factory, user="them")
    with factory.begin() as session:
        me, them = _person(session, "me"), _person(session, "them")
        theirs = reminders_of(session, them)[0]
        assert delete_reminder(session, me, theirs.id) is False
        first = reminders_of(session, me)[0]
        assert delete_reminder(session, me, first.id) is True
        assert first.id not in [r.id for r in reminders_of(session, me)]
        assert len(reminders_of(session, me)) == 3
        assert delete_document(session, them, mine) is False
        assert delete_document(session, me, mine) is True
        assert reminders_of(session, me) == [] and documents_of(session, me) == []
        assert len(reminders_of(session, them)) == 4


def test_the_worker_process_sends_due_reminders_once_even_when_started_twice(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _register(factory, kind="visa", expires_on=date(2026, 6, 30), language="en")
    command = [sys.executable, "-m", "reminders.worker", "--once", "--now", "2026-05-01T09:00"]
    for _ in range(2):
        done = subprocess.run(command, env=subprocess_env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
    assert _messages(factory) == [
        "Reminder: your visa expires on 30 June 2026 (in 60 days). The last day to apply for an "
        "extension is 31 May 2026 (source: China Pharmaceutical University, Article 9: apply one "
        "month in advance)."
    ]


def test_the_worker_loop_keeps_polling_without_resending_and_stops_cleanly_on_sigterm(
    factory: sessionmaker[Session], subprocess_env: dict[str, str],
) -> None:
    _register(factory, kind="passport", expires_on=date(2026, 6, 30))
    env = {**subprocess_env, "REMINDER_POLL_SECONDS": "0.2"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "reminders.worker", "--now", "2026-05-01T09:00+08:00"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _messages(factory) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.5)  # several more rounds at the same moment
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    assert len(_messages(factory)) == 1
    assert "reminder worker stopped after queuing 1 messages" in output


def _register_people(factory: sessionmaker[Session], count: int, prefix: str) -> None:
    """``count`` people, each with a CPU residence permit (four reminders) expiring
    PERMIT_EXPIRES."""
    with factory.begin() as session:
        for number in range(count):
            person = _person(session, user=f"{prefix}{number}")
            register_document(session, person, "residence_permit", PERMIT_EXPIRES, TODAY,
                              institution="CPU")


def _messages_per_document(factory: sessionmaker[Session]) -> Counter[int]:
    with factory.begin() as session:
        query = select(Reminder.document_id).join(
            Notification, Notification.reminder_id == Reminder.id)
        return Counter(session.scalars(query))


def _at_once(workers: list[Callable[[], int]]) -> list[int]:
    """Runs each worker in a thread of its own, all released at the same moment."""
    barrier = threading.Barrier(len(workers))
    results: list[int] = [0] * len(workers)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = workers[index]()
        except BaseException as failure:  # re-raised in the test's thread
            failures.append(failure)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    return results


def test_two_workers_at_once_send_one_message_per_document_and_no_reminder_twice(
    database_url: str,
) -> None:
    """Two reminder workers (two machines: an engine each) poll the same store at the same
    moment, round after round. Three reminders of every document are due together (the
    60-day one, the extension deadline and the 30-day one): each document gets one message,
    from one worker, and every due reminder counts as sent."""
    engines = [make_engine(database_url) for _ in range(2)]
    factories = [make_session_factory(engine) for engine in engines]
    day = _at(date(2026, 8, 11))
    try:
        for round_number in range(8):
            _register_people(factories[0], 40, prefix=f"r{round_number}-")
            queued = _at_once([
                lambda factory=factory: run_worker(factory, clock=lambda: day, once=True)
                for factory in factories
            ])
            per_document = _messages_per_document(factories[0])
            assert sum(queued) == 40, queued
            assert set(per_document.values()) == {1}, per_document
            assert len(per_document) == 40 * (round_number + 1)
        with factories[0].begin() as session:
            assert session.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.sent_at.is_(None), Reminder.due_on <= day.date())) == 0
    finally:
        for engine in engines:
            engine.dispose()


def test_a_second_worker_neither_waits_for_nor_takes_the_documents_another_worker_holds(
    database_url: str, factory: sessionmaker[Session],
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writing transaction at a time: the second worker waits")
    _register_people(factory, 3, prefix="held-")
    day = _at(date(2026, 8, 11))
    other = make_engine(database_url)
    try:
        with factory.begin() as first:
            assert len(send_due_reminders(first, day)) == 3  # its round, not committed yet
            started = time.monotonic()
            assert run_worker(make_session_factory(other), clock=lambda: day, once=True) == 0
            assert time.monotonic() - started < 10
        assert list(_messages_per_document(factory).values()) == [1, 1, 1]
        assert run_worker(make_session_factory(other), clock=lambda: day, once=True) == 0
    finally:
        other.dispose()
