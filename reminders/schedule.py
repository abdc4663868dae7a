"""Document-expiry reminders: registered documents, the reminders they schedule, and sending
the due ones (the worker that does it every minute is ``reminders.worker``).

People register a passport, visa, residence permit or work permit with its expiry date; the
store schedules reminders N days before (``REMINDER_DAYS_BEFORE``, default 60, 30, 7) and,
where the institution's regulation sets one, on the last day to apply for an extension. That
day is the one ``knowledge.extension_application_deadline`` decides, given the office's
``SEMESTER_HOLIDAYS`` (JSNU Art. 9: nothing is processed in the holidays).

Sending is exactly-once: the worker writes the outbox row and sets ``sent_at`` in one
transaction, the outbox has one row per reminder at most (unique ``reminder_id``), and a
restarted worker only looks at reminders whose ``sent_at`` is still empty. Two workers at
once (two machines, ``docs/scaling.md``) claim whole documents with row locks
(``due_reminders``), so neither sends a reminder the other took.

Calendar dates are China Standard Time (UTC+8, no daylight saving), the calendar in which
permits expire; the clock is always injected.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casestore.cases import IdempotencyConflict
from casestore.models import Notification, Person, Reminder, TrackedDocument
from casestore.notifications import enqueue
from config.settings import Settings, load_settings
from knowledge import INSTITUTION_CODES, Text, extension_application_deadline
from knowledge.core import CHINA_TIME, Period, format_date, normalise_language
from knowledge.deadlines import EXTENSION_RULES

log = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE: tuple[int, ...] = Settings().reminder_days_before  # config/settings.py
BEFORE_EXPIRY = "before_expiry"
EXTENSION_DEADLINE = "extension_deadline"

DOCUMENT_KINDS: Mapping[str, Text] = MappingProxyType({
    "passport": Text("passport", "护照"),
    "visa": Text("visa", "签证"),
    "residence_permit": Text("residence permit", "居留许可"),
    "work_permit": Text("work permit", "工作许可"),
})


EXTENDED_KINDS: frozenset[str] = frozenset({"visa", "residence_permit"})
"""The documents whose extension the regulations date (CPU and JSNU Art. 9: the residence
permit and the visa); whether and when is ``knowledge``'s to say."""


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder the schedule asks for, before it is stored."""

    kind: str
    due_on: date
    days_before: int | None
    source: str | None


class DocumentError(ValueError):
    """A document that cannot be registered (unknown kind, already expired)."""


def china_clock(moment: datetime) -> str:
    """A stored (naive UTC) timestamp as China time to the minute, "2026-12-07 14:05"."""
    return f"{moment.replace(tzinfo=UTC).astimezone(CHINA_TIME):%Y-%m-%d %H:%M}"


def office_holidays(settings: Settings | None = None) -> tuple[Period, ...]:
    """The holidays the office configured (``SEMESTER_HOLIDAYS``; ``settings`` or the
    environment's)."""
    periods = (settings or load_settings()).semester_holidays
    return tuple(Period(first, last) for first, last in periods)


def _extension_deadline(kind: str, institution: str | None, expires_on: date,
                        holidays: Sequence[Period]) -> date | None:
    """The last day to apply for an extension of this document as ``knowledge`` decides it
    (with the office's ``holidays``), or None where no regulation sets one."""
    code = (institution or "").upper()
    if kind not in EXTENDED_KINDS or code not in INSTITUTION_CODES:
        return None
    decision = extension_application_deadline(code, expires_on, holidays=holidays)
    return decision.valid_until if decision.covered else None


def extension_source(institution: str | None, language: str | None) -> str:
    """The cited rule behind the extension deadline, e.g. "... Article 9: apply ..."."""
    rule = EXTENSION_RULES[(institution or "").upper()]
    if normalise_language(language) == "zh":
        return f"{rule.citation.render('zh')}：{rule.text.zh}"
    return f"{rule.citation.render('en')}: {rule.text.en}"


def plan_reminders(
    kind: str,
    institution: str | None,
    expires_on: date,
    today: date,
    days_before: Sequence[int] = DEFAULT_DAYS_BEFORE,
    holidays: Sequence[Period] = (),
) -> list[PlannedReminder]:
    """The reminders still ahead of ``today`` for a document, in date order (pure).

    ``holidays``: the office's (``office_holidays``), which move a JSNU deadline before them.
    """
    planned = [
        PlannedReminder(BEFORE_EXPIRY, expires_on - timedelta(days=days), days, None)
        for days in sorted(set(days_before), reverse=True)
    ]
    deadline = _extension_deadline(kind, institution, expires_on, holidays)
    if deadline is not None:
        source = extension_source(institution, "en")
        planned.append(PlannedReminder(EXTENSION_DEADLINE, deadline, None, source))
    future = [p for p in planned if p.due_on >= today]
    return sorted(future, key=lambda p: (p.due_on, p.kind))


def register_document(
    session: Session,
    person: Person,
    kind: str,
    expires_on: date,
    today: date,
    *,
    days_before: Sequence[int] = DEFAULT_DAYS_BEFORE,
    institution: str | None = None,
    idempotency_key: str | None = None,
    holidays: Sequence[Period] | None = None,
) -> TrackedDocument:
    """Track a document of ``person`` and schedule its reminders; returns it with them.

    ``institution`` defaults to the person's; it decides whether an extension-deadline
    reminder exists (CPU and JSNU Article 9). ``holidays`` default to the office's
    (``SEMESTER_HOLIDAYS``). The same ``idempotency_key`` (channel, sender and message id)
    twice returns the first document, also when both arrive at once. Raises
    ``DocumentError`` for an unknown kind or an expiry date that is not after ``today``, and
    ``IdempotencyConflict`` when the key is another person's.
    """
    if kind not in DOCUMENT_KINDS:
        raise DocumentError(f"unknown document kind {kind!r}; known: {sorted(DOCUMENT_KINDS)}")
    if expires_on <= today:
        raise DocumentError(f"the {kind} expires on {expires_on}, which is not after {today}")
    if idempotency_key is not None and (earlier := _document_by_key(session, idempotency_key)):
        return _replayed(earlier, person)
    code = (institution or person.institution or "").upper() or None
    if holidays is None:
        holidays = office_holidays()
    try:
        with session.begin_nested():
            document = _insert_document(session, person, kind, expires_on, code,
                                        idempotency_key)
            for plan in plan_reminders(kind, code, expires_on, today, days_before, holidays):
                document.reminders.append(Reminder(
                    person_id=person.id, kind=plan.kind, due_on=plan.due_on,
                    days_before=plan.days_before, source=plan.source,
                ))
            session.flush()
    except IntegrityError:
        earlier = _document_by_key(session, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replayed(earlier, person)
    log.info("tracking %s %s with %s reminders", kind, document.id, len(document.reminders))
    return document


def _insert_document(
    session: Session,
    person: Person,
    kind: str,
    expires_on: date,
    institution: str | None,
    idempotency_key: str | None,
) -> TrackedDocument:
    """Insert the document row (its reminders are appended by the caller)."""
    document = TrackedDocument(person_id=person.id, kind=kind, expires_on=expires_on,
                               institution=institution, idempotency_key=idempotency_key)
    session.add(document)
    session.flush()
    return document


def _document_by_key(session: Session, key: str) -> TrackedDocument | None:
    """The document registered with idempotency key ``key``, if any."""
    query = select(TrackedDocument).where(TrackedDocument.idempotency_key == key)
    return session.scalars(query).one_or_none()


def _replayed(document: TrackedDocument, person: Person) -> TrackedDocument:
    """Return the earlier document for a replayed message, refusing another person's key."""
    if document.person_id != person.id:
        raise IdempotencyConflict("idempotency key already used by another person")
    log.info("replayed message: returning tracked document %s", document.id)
    return document


def documents_of(session: Session, person: Person) -> list[TrackedDocument]:
    """The person's tracked documents, soonest expiry first."""
    query = (
        select(TrackedDocument)
        .where(TrackedDocument.person_id == person.id)
        .order_by(TrackedDocument.expires_on, TrackedDocument.id)
    )
    return list(session.scalars(query))


def reminders_of(session: Session, person: Person, *, include_sent: bool = False) -> list[Reminder]:
    """The person's reminders (by default only those not sent yet), soonest first."""
    query = select(Reminder).where(Reminder.person_id == person.id)
    if not include_sent:
        query = query.where(Reminder.sent_at.is_(None))
    return list(session.scalars(query.order_by(Reminder.due_on, Reminder.id)))


def delete_reminder(session: Session, person: Person, reminder_id: int) -> bool:
    """Delete one of the person's own reminders; False if they have none with that id."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.person_id != person.id:
        return False
    session.delete(reminder)
    session.flush()
    return True


def delete_document(session: Session, person: Person, document_id: int) -> bool:
    """Stop tracking one of the person's documents (its reminders go with it)."""
    document = session.get(TrackedDocument, document_id)
    if document is None or document.person_id != person.id:
        return False
    session.delete(document)
    session.flush()
    return True


def china_date(now: datetime) -> date:
    """The calendar date in China at ``now`` (a naive ``now`` is taken as UTC)."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TIME).date()


def _naive_utc(now: datetime) -> datetime:
    """``now`` in the store's timestamp form (naive UTC)."""
    if now.tzinfo is None:
        return now
    return now.astimezone(UTC).replace(tzinfo=None)


def due_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Unsent reminders due on or before today's date in China, oldest first, of the
    documents this transaction has claimed.

    Workers claim whole documents. On PostgreSQL the first statement locks the rows of the
    documents that have a due reminder, skipping those another worker holds (``FOR UPDATE
    SKIP LOCKED``): two workers at once (two machines) never take the same document, and
    never split one document's due reminders between them, which would send the person two
    messages (locking the reminder rows themselves did). The second statement reads the
    claimed documents' due reminders with a fresh snapshot (READ COMMITTED, PostgreSQL's
    default), so a document claimed just after another worker committed it has nothing left.
    SQLite runs one writing transaction at a time (``casestore.db``: ``BEGIN IMMEDIATE``).
    """
    today = china_date(now)
    unsent = (Reminder.sent_at.is_(None), Reminder.due_on <= today)
    claimed = list(session.scalars(
        select(TrackedDocument.id)
        .where(select(Reminder.id).where(Reminder.document_id == TrackedDocument.id, *unsent)
               .exists())
        .order_by(TrackedDocument.id)
        .with_for_update(skip_locked=True)
    ))
    if not claimed:
        return []
    query = (
        select(Reminder)
        .where(Reminder.document_id.in_(claimed), *unsent)
        .order_by(Reminder.due_on, Reminder.id)
        .with_for_update()
    )
    return list(session.scalars(query))


def send_due_reminders(session: Session, now: datetime,
                       holidays: Sequence[Period] | None = None) -> list[Notification]:
    """Turn due reminders into outbox messages and mark them sent, in the caller's transaction.

    When a worker was down and several reminders of one document are due together, the
    person gets one message (from the most recent reminder) and all of them count as sent.
    ``holidays`` default to the office's (``SEMESTER_HOLIDAYS``).
    """
    if holidays is None:
        holidays = office_holidays()
    by_document: dict[int, list[Reminder]] = {}
    for reminder in due_reminders(session, now):
        by_document.setdefault(reminder.document_id, []).append(reminder)
    sent_at = _naive_utc(now)
    messages = []
    for reminders in by_document.values():
        for reminder in reminders:
            reminder.sent_at = sent_at
        latest = reminders[-1]
        person = session.get(Person, latest.person_id)
        if person is not None:
            text = reminder_text(latest, latest.document, china_date(now), person.language,
                                 holidays)
            messages.append(enqueue(session, person, text, kind="reminder",
                                    reminder_id=latest.id))
    session.flush()
    return messages


def reminder_text(reminder: Reminder, document: TrackedDocument, today: date,
                  language: str | None, holidays: Sequence[Period] = ()) -> str:
    """The reminder message, with the days left counted from ``today`` and the last day to
    apply for an extension (given the office's ``holidays``) while it is still ahead."""
    name = DOCUMENT_KINDS[document.kind]
    days_left = (document.expires_on - today).days
    deadline = _extension_deadline(document.kind, document.institution, document.expires_on,
                                   holidays)
    chinese = normalise_language(language) == "zh"
    text = (_expiry_zh if chinese else _expiry_en)(name.get(language), document.expires_on,
                                                   days_left)
    if deadline is None or deadline < today:
        return text
    source = extension_source(document.institution, language)
    if chinese:
        when = "今天" if deadline == today else format_date(deadline, "zh")
        return text + f"申请延期的最后一天是{when}（依据：{source}）。"
    when = f"today, {format_date(deadline, 'en')}" if deadline == today \
        else format_date(deadline, "en")
    return text + f" The last day to apply for an extension is {when} (source: {source})."


def _expiry_en(name: str, expires_on: date, days_left: int) -> str:
    """English sentence about when the document expires."""
    if days_left < 0:
        return f"Reminder: your {name} expired on {format_date(expires_on, 'en')}."
    if days_left == 0:
        return f"Reminder: your {name} expires today ({format_date(expires_on, 'en')})."
    unit = "day" if days_left == 1 else "days"
    when = format_date(expires_on, "en")
    return f"Reminder: your {name} expires on {when} (in {days_left} {unit})."


def _expiry_zh(name: str, expires_on: date, days_left: int) -> str:
    """Chinese sentence about when the document expires."""
    if days_left < 0:
        return f"提醒：您的{name}已于{format_date(expires_on, 'zh')}到期。"
    if days_left == 0:
        return f"提醒：您的{name}今天（{format_date(expires_on, 'zh')}）到期。"
    return f"提醒：您的{name}将于{format_date(expires_on, 'zh')}到期（还有{days_left}天）。"
