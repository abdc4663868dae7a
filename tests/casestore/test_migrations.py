"""The schema comes only from the Alembic migrations and matches the models."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from casestore.db import alembic_config, make_engine, migrate
from casestore.models import Base

TABLES = {
    "people", "cases", "case_events", "reference_counters", "tracked_documents", "reminders",
    "notifications", "checklist_ticks", "alembic_version",
}


def test_migrating_an_empty_database_creates_every_table(blank_database_url: str) -> None:
    migrate(blank_database_url)
    engine = make_engine(blank_database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    migrate(database_url)
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_threads_migrating_at_the_same_moment_take_turns(blank_database_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        start.wait()
        try:
            migrate(blank_database_url)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_processes_migrating_at_the_same_moment_do_not_trip_over_each_other(
    blank_database_url: str, project_env: dict[str, str]
) -> None:
    code = "import sys; from casestore.db import migrate; migrate(sys.argv[1])"
    processes = [
        subprocess.Popen([sys.executable, "-c", code, blank_database_url], env=project_env,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    failures = [p.communicate(timeout=120)[1] for p in processes if p.wait(timeout=120) != 0]
    assert failures == []
    engine = make_engine(blank_database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_the_migration_can_be_undone_and_redone(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            config = alembic_config(database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            connection.commit()
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate(database_url)
    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_upgrading_a_0001_database_keeps_its_documents_and_reminders(
    blank_database_url: str,
) -> None:
    migrate(blank_database_url, "0001")
    engine = make_engine(blank_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO people (id, channel, channel_user_id, role, reach, created_at) "
                "VALUES (1, 'telegram', '5', 'student', '{}', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO tracked_documents (id, person_id, kind, expires_on, created_at) "
                "VALUES (1, 1, 'visa', '2026-09-10', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO reminders (document_id, person_id, kind, days_before, due_on, "
                "created_at) VALUES (1, 1, 'before_expiry', 7, '2026-09-03', '2026-01-01')"))
        migrate(blank_database_url)
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT idempotency_key FROM tracked_documents"))
            assert keys.all() == [(None,)]
            assert connection.execute(text("SELECT count(*) FROM reminders")).scalar() == 1
        with engine.connect() as connection:
            config = alembic_config(blank_database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
            connection.commit()
        columns = {c["name"] for c in inspect(engine).get_columns("tracked_documents")}
        assert "idempotency_key" not in columns
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM reminders")).scalar() == 1
    finally:
        engine.dispose()


def test_upgrading_a_0003_database_adds_checklist_ticks_and_keeps_its_cases(
    blank_database_url: str,
) -> None:
    migrate(blank_database_url, "0003")
    engine = make_engine(blank_database_url)
    try:
        assert "checklist_ticks" not in inspect(engine).get_table_names()
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO people (id, channel, channel_user_id, role, reach, created_at) "
                "VALUES (1, 'telegram', '5', 'student', '{}', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO cases (id, reference, institution, year, sequence, type, status, "
                "facts, checklist, person_id, created_at, updated_at) VALUES (1, "
                "'CPU-2026-000001', 'CPU', 2026, 1, 'lost_document', 'submitted', '{}', "
                "'[{\"en\": \"Report the loss\", \"done\": false}]', 1, '2026-01-01', "
                "'2026-01-01')"))
        migrate(blank_database_url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO checklist_ticks (case_id, item_key, ticked_by, ticked_at) "
                "VALUES (1, '1-report-the-loss', 'Ann', '2026-01-02')"))
        with engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text(  # one tick per item
                "INSERT INTO checklist_ticks (case_id, item_key, ticked_by, ticked_at) "
                "VALUES (1, '1-report-the-loss', 'Bo', '2026-01-03')"))
        with engine.connect() as connection:
            config = alembic_config(blank_database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
            connection.commit()
        assert "checklist_ticks" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT reference FROM cases")).all() == [
                ("CPU-2026-000001",)]
    finally:
        engine.dispose()


def test_upgrading_a_0004_database_adds_who_a_person_is_and_keeps_them(
    blank_database_url: str,
) -> None:
    migrate(blank_database_url, "0004")
    engine = make_engine(blank_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO people (id, channel, channel_user_id, role, reach, created_at) "
                "VALUES (1, 'telegram', '5', 'student', '{}', '2026-01-01')"))
        migrate(blank_database_url)
        with engine.begin() as connection:
            assert connection.execute(text(
                "SELECT full_name, member_number, contact FROM people")).all() == [
                    (None, None, None)]
            connection.execute(text(
                "UPDATE people SET full_name = 'Ali Khan', member_number = '2023123456', "
                "contact = 'ali@example.com'"))
        with engine.connect() as connection:
            config = alembic_config(blank_database_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
            connection.commit()
        columns = {c["name"] for c in inspect(engine).get_columns("people")}
        assert not columns & {"full_name", "member_number", "contact"}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM people")).scalar() == 1
    finally:
        engine.dispose()
