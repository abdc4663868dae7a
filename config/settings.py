"""The one settings module of the project: every knob comes from an environment variable.

Secrets (bot token, staff API token, webhook secret) are only ever read from the
environment; when unset they stay ``None`` and the parts that need them refuse to work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'office.db'}"
NEW_EACH_RUN = "(new one each run)"  # a secret `make run` makes when the environment has none


@dataclass(frozen=True)
class SettingDoc:
    """One row of the settings table in the README."""

    env_var: str
    default: str
    meaning: str


def _optional(text: str) -> str | None:
    """A secret or URL that may be left blank: None when it is."""
    return text.strip() or None


def parse_holidays(text: str) -> tuple[tuple[date, date], ...]:
    """Parse ``"2027-01-16..2027-02-21,2027-07-10..2027-08-31"`` into (first, last) days.

    Raises ``ValueError`` on a period that is not two ISO dates, or that ends before it starts.
    """
    periods = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        first, separator, last = part.partition("..")
        if not separator:
            raise ValueError(f"SEMESTER_HOLIDAYS needs first..last periods, got {part!r}")
        period = (date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
        if period[1] < period[0]:
            raise ValueError(f"SEMESTER_HOLIDAYS: {part!r} ends before it starts")
        periods.append(period)
    return tuple(periods)


def parse_days(text: str) -> tuple[int, ...]:
    """Parse ``"60,30,7"`` into distinct positive day counts, largest first.

    Raises ``ValueError`` on anything that is not a comma-separated list of positive integers.
    """
    days = {int(part) for part in text.replace(" ", "").split(",") if part}
    if not days or min(days) <= 0:
        raise ValueError(f"REMINDER_DAYS_BEFORE needs positive whole days, got {text!r}")
    return tuple(sorted(days, reverse=True))


def _env(
    meaning: str, read: Callable[[str], object] = str, shown: str | None = None
) -> dict[str, object]:
    """A field's metadata: what it means, how its variable's text is read, and how the README
    shows its default when that is not the value itself."""
    return {"meaning": meaning, "read": read, "shown": shown}


@dataclass(frozen=True)
class Settings:
    """Configuration of every process of the assistant.

    Each field is read from the environment variable of its name in capitals; the defaults
    written here are the only ones (``load_settings`` and the README table derive from them).
    """

    database_url: str = field(default=DEFAULT_DATABASE_URL, metadata=_env(
        "Case store; `postgresql+psycopg://user:pass@host/db` for PostgreSQL"))
    tracker_store_url: str | None = field(default=None, metadata=_env(
        "Where Rasa keeps conversations (they survive restarts): the case store's PostgreSQL "
        "database, or with SQLite a `conversations.db` beside its file",
        _optional, shown="(beside `DATABASE_URL`)"))
    default_institution: str = field(default="CPU", metadata=_env(
        "Institution whose regulations apply when the person has not said", str.upper))
    rasa_url: str = field(default="http://localhost:5005", metadata=_env(
        "Where the bridges and the action server reach the Rasa server"))
    rasa_api_token: str | None = field(default=None, metadata=_env(
        "Token of Rasa's HTTP API (reading and erasing conversations); `make run` makes a "
        "random one when unset", _optional, shown=NEW_EACH_RUN))
    action_server_token: str | None = field(default=None, metadata=_env(
        "Secret the Rasa server sends the action server with every call; the action server "
        "refuses calls without it", _optional, shown=NEW_EACH_RUN))
    channel_token: str | None = field(default=None, metadata=_env(
        "Secret the Telegram bridge presents to Rasa's `telegram` channel; nobody else can "
        "speak as a Telegram user", _optional, shown=NEW_EACH_RUN))
    listen_address: str = field(default="127.0.0.1", metadata=_env(
        "Address every server binds to; loopback keeps them behind the proxy "
        "(docs/channels.md says what to expose)"))
    action_server_port: int = field(default=5055, metadata=_env(
        "Port of the custom action server", int))
    rasa_port: int = field(default=5005, metadata=_env("Port of the Rasa server", int))
    web_port: int = field(default=8080, metadata=_env("Port of the web chat", int))
    telegram_bot_token: str | None = field(default=None, metadata=_env(
        "Telegram bot token; the bridge stays off without it", _optional))
    telegram_api_url: str = field(default="https://api.telegram.org/bot", metadata=_env(
        "Telegram Bot API base URL (point it at a fake server in tests)"))
    telegram_webhook_url: str | None = field(default=None, metadata=_env(
        "Public webhook URL; long polling when unset", _optional))
    telegram_webhook_secret: str | None = field(default=None, metadata=_env(
        "Secret token Telegram sends with webhooks", _optional))
    staff_api_token: str | None = field(default=None, metadata=_env(
        "Token of the staff page, API and CLI; unset refuses everything", _optional))
    staff_api_port: int = field(default=8090, metadata=_env("Port of the staff HTTP API", int))
    reminder_days_before: tuple[int, ...] = field(default=(60, 30, 7), metadata=_env(
        "Days before a document expires on which reminders are sent", parse_days))
    reminder_poll_seconds: float = field(default=60.0, metadata=_env(
        "How often the reminder worker looks for due reminders", float))
    semester_holidays: tuple[tuple[date, date], ...] = field(default=(), metadata=_env(
        "The university's holidays, `2027-01-16..2027-02-21,2027-07-10..2027-08-31`: JSNU "
        "Art. 9 procedures must be finished before they start",
        parse_holidays, shown="(none)"))


def _shown(item: Field[Any]) -> str:
    """A field's default as the README shows it."""
    default = item.default
    if item.metadata["shown"]:
        return str(item.metadata["shown"])
    if default is None:
        return "(unset)"
    if isinstance(default, tuple):
        return ",".join(str(part) for part in default)
    if isinstance(default, float):
        return f"{default:g}"
    return str(default).replace(str(REPO_ROOT), "<repo>")


SETTINGS_TABLE: tuple[SettingDoc, ...] = tuple(
    SettingDoc(item.name.upper(), _shown(item), str(item.metadata["meaning"]))
    for item in fields(Settings)
)


def conversation_store_url(settings: Settings) -> str:
    """Where Rasa keeps conversations: ``TRACKER_STORE_URL``, else the case store's database.

    With SQLite, a file of its own beside the case store's: SQLite locks a whole file, and
    Rasa saves every turn on its event loop, so a case-store writer holding the lock would
    stall every conversation (measured: a visa question took 7 s under a held lock).
    """
    if settings.tracker_store_url:
        return settings.tracker_store_url
    url = settings.database_url
    prefix, _, path = url.partition(":///")
    if prefix.startswith("sqlite") and path and path != ":memory:":
        return f"{prefix}:///{Path(path).with_name('conversations.db')}"
    return url


def describe() -> list[tuple[str, str, str]]:
    """Return (environment variable, default, meaning) for every setting, in field order."""
    return [(row.env_var, row.default, row.meaning) for row in SETTINGS_TABLE]


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the settings from ``environ`` (the process environment by default); a variable
    that is unset or empty leaves its field's default."""
    given: dict[str, Any] = {}
    for item in fields(Settings):
        text = environ.get(item.name.upper())
        if text:
            given[item.name] = item.metadata["read"](text)
    return Settings(**given)
