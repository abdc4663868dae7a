"""Data protection: people can see and erase their data; identifiers never reach the logs.

The masking itself lives in ``config.log_masking`` (standard library only, so that the Rasa
server's own environment masks its logs with the same rule); it is re-exported here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore.models import Case, Notification, Person, TrackedDocument
from config.log_masking import (
    MASK,
    IdentifierMaskingFilter,
    install_log_masking,
    mask_identifiers,
)

__all__ = ["MASK", "IdentifierMaskingFilter", "install_log_masking", "mask_identifiers"]

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
            "full_name": person.full_name,
            "member_number": person.member_number,
            "contact": person.contact,
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
