"""The one settings module of the project: every knob comes from an environment variable.

Secrets (bot token, staff API token, webhook secret) are only ever read from the
environment; when unset they stay ``None`` and the parts that need them refuse to work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'office.db'}"


@dataclass(frozen=True)
class SettingDoc:
    """One row of the settings table in the README."""

    env_var: str
    default: str
    meaning: str


SETTINGS_TABLE: tuple[SettingDoc, ...] = (
    SettingDoc("DATABASE_URL", "sqlite:///<repo>/var/office.db",
               "Case store; `postgresql+psycopg://user:pass@host/db` for PostgreSQL"),
    SettingDoc("TRACKER_STORE_URL", "(beside DATABASE_URL)",
               "Where Rasa keeps conversations (they survive restarts): the case store's "
               "PostgreSQL database, or with SQLite a `conversations.db` beside its file"),
    SettingDoc("DEFAULT_INSTITUTION", "CPU",
               "Institution whose regulations apply when the person has not said"),
    SettingDoc("RASA_URL", "http://localhost:5005",
               "Where the bridges and the action server reach the Rasa server"),
    SettingDoc("RASA_API_TOKEN", "(new one each run)",
               "Token of Rasa's HTTP API (reading and erasing conversations); "
               "`make run` makes a random one when unset"),
    SettingDoc("ACTION_SERVER_TOKEN", "(new one each run)",
               "Secret the Rasa server sends the action server with every call; the action "
               "server refuses calls without it"),
    SettingDoc("CHANNEL_TOKEN", "(new one each run)",
               "Secret the Telegram bridge presents to Rasa's `telegram` channel; nobody else "
               "can speak as a Telegram user"),
    SettingDoc("LISTEN_ADDRESS", "127.0.0.1",
               "Address every server binds to; loopback keeps them behind the proxy "
               "(docs/channels.md says what to expose)"),
    SettingDoc("ACTION_SERVER_PORT", "5055", "Port of the custom action server"),
    SettingDoc("RASA_PORT", "5005", "Port of the Rasa server"),
    SettingDoc("WEB_PORT", "8080", "Port of the web chat"),
    SettingDoc("TELEGRAM_BOT_TOKEN", "(unset)",
               "Telegram bot token; the bridge stays off without it"),
    SettingDoc("TELEGRAM_API_URL", "https://api.telegram.org/bot",
               "Telegram Bot API base URL (point it at a fake server in tests)"),
    SettingDoc("TELEGRAM_WEBHOOK_URL", "(unset)", "Public webhook URL; long polling when unset"),
    SettingDoc("TELEGRAM_WEBHOOK_SECRET", "(unset)", "Secret token Telegram sends with webhooks"),
    SettingDoc("STAFF_API_TOKEN", "(unset)",
               "Token of the staff page, API and CLI; unset refuses everything"),
    SettingDoc("STAFF_API_PORT", "8090", "Port of the staff HTTP API"),
    SettingDoc("REMINDER_DAYS_BEFORE", "60,30,7",
               "Days before a document expires on which reminders are sent"),
    SettingDoc("SEMESTER_HOLIDAYS", "(none)",
               "The university's holidays, `2027-01-16..2027-02-21,2027-07-10..2027-08-31`: "
               "JSNU Art. 9 procedures must be finished before they start"),
    SettingDoc("REMINDER_POLL_SECONDS", "60",
               "How often the reminder worker looks for due reminders"),
)


@dataclass(frozen=True)
class Settings:
    """Configuration of every process of the assistant."""

    database_url: str = DEFAULT_DATABASE_URL
    tracker_store_url: str | None = None
    default_institution: str = "CPU"
    rasa_url: str = "http://localhost:5005"
    rasa_api_token: str | None = None
    action_server_token: str | None = None
    channel_token: str | None = None
    listen_address: str = "127.0.0.1"
    action_server_port: int = 5055
    rasa_port: int = 5005
    web_port: int = 8080
    telegram_bot_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    staff_api_token: str | None = None
    staff_api_port: int = 8090
    reminder_days_before: tuple[int, ...] = (60, 30, 7)
    reminder_poll_seconds: float = 60.0
    semester_holidays: tuple[tuple[date, date], ...] = ()


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
    """Return (environment variable, default, meaning) for every setting, in README order."""
    return [(row.env_var, row.default, row.meaning) for row in SETTINGS_TABLE]


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


def _optional(environ: Mapping[str, str], name: str) -> str | None:
    """Return the variable's value, or None when it is unset or blank."""
    value = environ.get(name, "").strip()
    return value or None


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the settings from ``environ`` (the process environment by default)."""
    base = Settings()
    return Settings(
        database_url=environ.get("DATABASE_URL") or base.database_url,
        tracker_store_url=_optional(environ, "TRACKER_STORE_URL"),
        default_institution=(environ.get("DEFAULT_INSTITUTION") or "CPU").upper(),
        rasa_url=environ.get("RASA_URL") or base.rasa_url,
        rasa_api_token=_optional(environ, "RASA_API_TOKEN"),
        action_server_token=_optional(environ, "ACTION_SERVER_TOKEN"),
        channel_token=_optional(environ, "CHANNEL_TOKEN"),
        listen_address=environ.get("LISTEN_ADDRESS") or base.listen_address,
        action_server_port=int(environ.get("ACTION_SERVER_PORT") or base.action_server_port),
        rasa_port=int(environ.get("RASA_PORT") or base.rasa_port),
        web_port=int(environ.get("WEB_PORT") or base.web_port),
        telegram_bot_token=_optional(environ, "TELEGRAM_BOT_TOKEN"),
        telegram_api_url=environ.get("TELEGRAM_API_URL") or base.telegram_api_url,
        telegram_webhook_url=_optional(environ, "TELEGRAM_WEBHOOK_URL"),
        telegram_webhook_secret=_optional(environ, "TELEGRAM_WEBHOOK_SECRET"),
        staff_api_token=_optional(environ, "STAFF_API_TOKEN"),
        staff_api_port=int(environ.get("STAFF_API_PORT") or base.staff_api_port),
        reminder_days_before=parse_days(environ.get("REMINDER_DAYS_BEFORE") or "60,30,7"),
        reminder_poll_seconds=float(environ.get("REMINDER_POLL_SECONDS") or 60),
        semester_holidays=parse_holidays(environ.get("SEMESTER_HOLIDAYS") or ""),
    )
