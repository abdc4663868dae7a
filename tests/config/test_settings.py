"""The one settings module: defaults, environment overrides and the README table."""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date

import pytest

from config.settings import (
    REPO_ROOT,
    SETTINGS_TABLE,
    SettingDoc,
    Settings,
    conversation_store_url,
    describe,
    load_settings,
    parse_days,
)


def test_defaults_point_at_a_sqlite_file_in_var_and_local_ports() -> None:
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{REPO_ROOT / 'var' / 'office.db'}"
    assert settings.default_institution == "CPU"
    assert settings.rasa_url == "http://localhost:5005"
    ports = (settings.action_server_port, settings.rasa_port, settings.web_port)
    assert ports == (5055, 5005, 8080)
    assert settings.staff_api_port == 8090
    assert settings.reminder_days_before == (60, 30, 7)
    assert settings.reminder_poll_seconds == 60


def test_secrets_are_unset_unless_the_environment_gives_them() -> None:
    settings = load_settings({"STAFF_API_TOKEN": "  ", "TELEGRAM_BOT_TOKEN": ""})
    assert settings.staff_api_token is None
    assert settings.telegram_bot_token is None
    assert settings.telegram_webhook_secret is None


def test_every_setting_is_read_from_its_environment_variable() -> None:
    environ = {
        "DATABASE_URL": "postgresql+psycopg://u:p@127.0.0.1/db",
        "DEFAULT_INSTITUTION": "jsnu",
        "RASA_URL": "http://rasa:1",
        "ACTION_SERVER_PORT": "1",
        "RASA_PORT": "2",
        "WEB_PORT": "3",
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "TELEGRAM_API_URL": "http://fake/bot",
        "TELEGRAM_WEBHOOK_URL": "https://example.org/hook",
        "TELEGRAM_WEBHOOK_SECRET": "s3",
        "STAFF_API_TOKEN": "t0k",
        "STAFF_API_PORT": "4",
        "REMINDER_DAYS_BEFORE": "7, 90,30",
        "REMINDER_POLL_SECONDS": "0.5",
    }
    assert load_settings(environ) == Settings(
        database_url="postgresql+psycopg://u:p@127.0.0.1/db",
        default_institution="JSNU",
        rasa_url="http://rasa:1",
        action_server_port=1,
        rasa_port=2,
        web_port=3,
        telegram_bot_token="123:abc",
        telegram_api_url="http://fake/bot",
        telegram_webhook_url="https://example.org/hook",
        telegram_webhook_secret="s3",
        staff_api_token="t0k",
        staff_api_port=4,
        reminder_days_before=(90, 30, 7),
        reminder_poll_seconds=0.5,
    )


@pytest.mark.parametrize("text", ["", "0", "-7", "sixty", "60,,x"])
def test_reminder_days_that_are_not_positive_whole_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_days(text)


def test_the_settings_table_documents_every_field_exactly_once() -> None:
    documented = [row[0] for row in describe()]
    fields = [f.name.upper() for f in dataclasses.fields(Settings)]
    assert sorted(documented) == sorted(fields)
    assert all(meaning for _, _, meaning in describe())


@pytest.mark.parametrize("row", SETTINGS_TABLE, ids=lambda row: row.env_var)
def test_the_documented_default_is_the_default(row: SettingDoc) -> None:
    defaults = load_settings({})
    field = row.env_var.lower()
    if row.default.startswith("("):  # "(unset)", "(none)", "(new one each run)" ...
        assert not getattr(defaults, field), f"{row.env_var} has a default: say which"
    else:  # setting the variable to what the README says it defaults to changes nothing
        documented = row.default.replace("<repo>", str(REPO_ROOT))
        assert load_settings({row.env_var: documented}) == defaults, row.default


def test_an_empty_environment_gives_the_settings_fields_own_defaults() -> None:
    assert load_settings({}) == Settings()
    assert load_settings({name: "" for name, _, _ in describe()}) == Settings()


def _code_literals(source: str) -> list[object]:
    """The constants a module's code writes, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and id(node) not in docstrings]


def test_the_settings_module_writes_each_default_once() -> None:
    literals = _code_literals((REPO_ROOT / "config" / "settings.py").read_text("utf-8"))
    shown = {name: default for name, default, _ in describe()}
    for item in dataclasses.fields(Settings):
        if item.default is None or item.default == ():
            continue
        parts = item.default if isinstance(item.default, tuple) else (item.default,)
        for value in {*parts, shown[item.name.upper()]}:
            written = [v for v in literals if type(v) is type(value) and v == value]
            assert len(written) <= 1, f"{item.name}: default {value!r} written twice"


def test_the_readme_shows_the_defaults_of_the_settings_module() -> None:
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `([A-Z_]+)` \| (.+?) \| .+\|$", readme, re.MULTILINE)
    assert {name: cell.strip("`") for name, cell in rows} == {
        name: default for name, default, _ in describe()}


def test_conversations_get_a_sqlite_file_of_their_own_beside_the_case_store() -> None:
    settings = Settings(database_url="sqlite:////srv/office/var/office.db")
    assert conversation_store_url(settings) == "sqlite:////srv/office/var/conversations.db"


def test_conversations_share_a_postgresql_database_or_go_where_they_are_told() -> None:
    postgres = "postgresql+psycopg://office:secret@db/office"
    assert conversation_store_url(Settings(database_url=postgres)) == postgres
    told = Settings(database_url=postgres, tracker_store_url="sqlite:////tmp/c.db")
    assert conversation_store_url(told) == "sqlite:////tmp/c.db"


def test_semester_holidays_are_read_as_first_and_last_days() -> None:
    holidays = "2027-01-16..2027-02-21, 2027-07-10..2027-08-31"
    settings = load_settings({"SEMESTER_HOLIDAYS": holidays})
    assert settings.semester_holidays == ((date(2027, 1, 16), date(2027, 2, 21)),
                                          (date(2027, 7, 10), date(2027, 8, 31)))
    assert load_settings({}).semester_holidays == ()


@pytest.mark.parametrize("text", ["2027-01-16", "2027-02-21..2027-01-16", "soon..later"])
def test_a_holiday_that_is_not_a_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        load_settings({"SEMESTER_HOLIDAYS": text})
