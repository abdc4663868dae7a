"""Data protection: identifiers never reach the logs; people can see and erase their data.

Masked in logs (and in free text people type into a request): passport-like numbers (one or
two letters and 6-9 digits, e.g. ``E12345678``), runs of eight or more digits (9-digit
passports, ID card and phone numbers, chat ids) and e-mail addresses. Reference numbers such
as ``CPU-2026-000123`` are kept: they identify a request, not a person.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from office.models import Case, Notification, Person, TrackedDocument

MASK = "[redacted]"
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\d{6,9}(?![A-Za-z0-9])"  # passport numbers
    r"|(?<!\d)\d{8,}[Xx]?(?![A-Za-z0-9])"  # long digit runs: ID cards, phones, 9-digit passports
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
)


def mask_identifiers(text: str) -> str:
    """``text`` with every passport number, long number and e-mail address replaced."""
    return _IDENTIFIER.sub(MASK, text)


class IdentifierMaskingFilter(logging.Filter):
    """Logging filter that rewrites each record's message (and traceback) masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place; never drops it."""
        _mask_record(record)
        return True


def _masked_argument(value: object) -> object:
    """A log argument with identifiers masked; left as it is (type too) when it has none."""
    text = str(value)
    masked = mask_identifiers(text)
    return value if masked == text else masked


def _mask_record(record: logging.LogRecord) -> None:
    """Mask the message, arguments and traceback text of ``record``.

    A record without identifiers keeps its arguments untouched, because some formatters
    (uvicorn's access log) rebuild their line from them; one with identifiers gets them
    masked one by one, or, if that still leaves one, becomes its masked finished message.
    """
    if getattr(record, "identifiers_masked", False):
        return
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a broken format: logging reports it, with masked text
        message = mask_identifiers(f"{record.msg} {record.args}")
        record.msg, record.args = message, None
    if mask_identifiers(message) != message:
        record.msg = mask_identifiers(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_masked_argument(value) for value in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: _masked_argument(value) for key, value in record.args.items()}
        try:
            masked_message: str | None = record.getMessage()
        except (TypeError, ValueError):
            masked_message = None
        if masked_message is None or mask_identifiers(masked_message) != masked_message:
            record.msg, record.args = mask_identifiers(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_identifiers(record.exc_text)
    record.identifiers_masked = True


def install_log_masking() -> None:
    """Mask every log record of the process, whichever logger or handler it goes through.

    Installs a log-record factory, so it also covers handlers that libraries (uvicorn,
    Rasa SDK) configure later. Calling it twice is harmless.
    """
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "masks_identifiers", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    masking_factory.masks_identifiers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)


def _plain(value: object) -> object:
    """A JSON-ready form of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _case_export(case: Case) -> dict[str, object]:
    """One case with its audit trail."""
    return {
        "reference": case.reference,
        "type": case.type,
        "status": case.status,
        "institution": case.institution,
        "facts": case.facts,
        "checklist": case.checklist,
        "created_at": _plain(case.created_at),
        "updated_at": _plain(case.updated_at),
        "history": [
            {"at": _plain(e.at), "actor": e.actor, "field": e.field, "old": e.old,
             "new": e.new, "note": e.note}
            for e in case.events
        ],
    }


def _document_export(document: TrackedDocument) -> dict[str, object]:
    """One tracked document with its reminders."""
    return {
        "kind": document.kind,
        "expires_on": _plain(document.expires_on),
        "reminders": [
            {"due_on": _plain(r.due_on), "kind": r.kind, "sent_at": _plain(r.sent_at)}
            for r in document.reminders
        ],
    }


def export_person_data(session: Session, person: Person) -> dict[str, Any]:
    """Everything stored about ``person``, as JSON-ready data (their right of access)."""
    cases = session.scalars(select(Case).where(Case.person_id == person.id).order_by(Case.id))
    documents = session.scalars(
        select(TrackedDocument)
        .where(TrackedDocument.person_id == person.id)
        .order_by(TrackedDocument.id)
    )
    messages = session.scalars(
        select(Notification).where(Notification.person_id == person.id).order_by(Notification.id)
    )
    return {
        "person": {
            "channel": person.channel,
            "channel_user_id": person.channel_user_id,
            "role": person.role,
            "language": person.language,
            "institution": person.institution,
            "reach": person.reach,
            "created_at": _plain(person.created_at),
        },
        "cases": [_case_export(c) for c in cases],
        "documents": [_document_export(d) for d in documents],
        "messages": [
            {"kind": n.kind, "text": n.text, "created_at": _plain(n.created_at),
             "delivered_at": _plain(n.delivered_at)}
            for n in messages
        ],
    }


def delete_person_data(session: Session, person: Person) -> None:
    """Erase ``person`` with their cases, audit trails, documents, reminders and messages.

    Reference counters are kept, so a deleted case's reference is never handed out again.
    The rows that hang off the person go by the foreign keys' ON DELETE CASCADE.
    """
    session.delete(person)
    session.flush()
