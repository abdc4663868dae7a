"""Opening, finding and working requests (cases). Every function takes the caller's session.

Reference numbers ``<INSTITUTION>-<YEAR>-<six digits>`` come from one counter row per
institution and year, incremented with a single UPDATE inside the case's own transaction:
the row lock (PostgreSQL) or the database write lock (SQLite, ``BEGIN IMMEDIATE``) holds
other openers back until commit, and a rolled-back opening gives its number back, so the
numbers are unique and gap-free even when many conversations open cases at once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from casestore.case_types import (
    CASE_TYPES,
    FINISHED_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    TRANSITIONS,
    CaseType,
    can_move,
    checklist_for,
)
from casestore.models import Case, CaseEvent, ChecklistTick, Person, ReferenceCounter, utcnow
from casestore.notifications import enqueue
from config.log_masking import mask_identifiers
from knowledge import Text
from knowledge.core import normalise_language

__all__ = [
    "CASE_TYPES",
    "STATUSES",
    "TRANSITIONS",
    "CaseError",
    "IdempotencyConflict",
    "MissingFacts",
    "QueueFilter",
    "TransitionNotAllowed",
    "add_note",
    "assign_case",
    "cancel_case",
    "case_by_reference",
    "cases_of",
    "change_status",
    "checklist_key",
    "checklist_ticks",
    "count_cases",
    "find_case",
    "find_reference",
    "format_reference",
    "get_or_create_person",
    "list_cases",
    "missing_facts",
    "open_case",
    "person_details",
    "reply_to_person",
    "set_person_details",
    "status_message",
    "tick_checklist_item",
    "untick_checklist_item",
]

log = logging.getLogger(__name__)

NOT_A_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_LENGTH = 60
REFERENCE_PATTERN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,12})-(\d{4})-(\d{6,})(?!\d)")
ROLES = frozenset({"student", "staff"})
MAX_ID_DIGITS = 9
"""Longer numbers are not a person's number in the store (and overflow an INTEGER)."""


class CaseError(ValueError):
    """A request to the case store that cannot be carried out (message is for the log)."""


class MissingFacts(CaseError):
    """The facts lack fields the case type requires; ``missing`` lists them in asking order."""

    def __init__(self, case_type: str, missing: tuple[str, ...]) -> None:
        super().__init__(f"{case_type} needs {', '.join(missing)}")
        self.missing = missing


class TransitionNotAllowed(CaseError):
    """The case cannot go from its status to the requested one."""


class IdempotencyConflict(CaseError):
    """The idempotency key was already used by someone else's case."""


def format_reference(institution: str, year: int, sequence: int) -> str:
    """``CPU-2026-000001`` from its parts."""
    return f"{institution.upper()}-{year:04d}-{sequence:06d}"


def find_reference(text: str) -> str | None:
    """The first reference number in ``text`` (upper-cased), e.g. from "cancel cpu-2026-000123"."""
    match = REFERENCE_PATTERN.search(text)
    if match is None:
        return None
    return format_reference(match.group(1), int(match.group(2)), int(match.group(3)))


def get_or_create_person(
    session: Session,
    *,
    channel: str,
    channel_user_id: str,
    language: str | None = None,
    institution: str | None = None,
    role: str | None = None,
    reach: Mapping[str, object] | None = None,
) -> Person:
    """The person behind ``channel``/``channel_user_id``, created on first contact.

    Given values for language, institution, role or reach replace the stored ones (people
    switch language; a chat id can change).
    """
    person = _person_by_channel(session, channel, channel_user_id)
    if person is None:
        person = _insert_person(session, channel, channel_user_id)
    _update_person(person, language=language, institution=institution, role=role, reach=reach)
    session.flush()
    return person


def _person_by_channel(session: Session, channel: str, channel_user_id: str) -> Person | None:
    """Look a person up by channel and channel user id."""
    query = select(Person).where(
        Person.channel == channel, Person.channel_user_id == channel_user_id
    )
    return session.scalars(query).one_or_none()


def _insert_person(session: Session, channel: str, channel_user_id: str) -> Person:
    """Insert a person; if a concurrent conversation inserted them first, return that row."""
    try:
        with session.begin_nested():
            person = Person(channel=channel, channel_user_id=channel_user_id, role="student",
                            reach={})
            session.add(person)
        return person
    except IntegrityError:
        existing = _person_by_channel(session, channel, channel_user_id)
        if existing is None:
            raise
        return existing


def _update_person(
    person: Person,
    *,
    language: str | None,
    institution: str | None,
    role: str | None,
    reach: Mapping[str, object] | None,
) -> None:
    """Apply the given (non-None) profile values to ``person``."""
    if role is not None:
        if role not in ROLES:
            raise CaseError(f"unknown role {role!r}")
        person.role = role
    if language is not None:
        person.language = language
    if institution is not None:
        person.institution = institution.upper()
    if reach is not None:
        person.reach = {**(person.reach or {}), **reach}


PERSON_DETAILS: Mapping[str, int] = MappingProxyType(
    {"full_name": 100, "member_number": 32, "contact": 120})
"""What the office needs to know who a request is for: columns of ``Person`` and their
lengths (migration 0005)."""


def person_details(person: Person) -> dict[str, str]:
    """The person's stored name, number and contact (only those known)."""
    return {name: value for name in PERSON_DETAILS if (value := getattr(person, name))}


def set_person_details(person: Person, details: Mapping[str, str]) -> None:
    """Stores the given name, number and contact on ``person`` (others are ignored)."""
    for name, length in PERSON_DETAILS.items():
        value = str(details.get(name) or "").strip()
        if value:
            setattr(person, name, value[:length])


def missing_facts(case_type: str, facts: Mapping[str, object]) -> tuple[str, ...]:
    """Required fields of ``case_type`` not (or only blankly) present in ``facts``."""
    kind = _case_type(case_type)
    return tuple(name for name in kind.required_fields if _blank(facts.get(name)))


def _blank(value: object) -> bool:
    """Whether a fact value counts as not given."""
    return value is None or (isinstance(value, str) and not value.strip())


def _case_type(case_type: str) -> CaseType:
    """The case type, or CaseError naming the known ones."""
    try:
        return CASE_TYPES[case_type]
    except KeyError:
        raise CaseError(f"unknown case type {case_type!r}; known: {sorted(CASE_TYPES)}") from None


def _stored_facts(kind: CaseType, facts: Mapping[str, object]) -> dict[str, object]:
    """The facts worth keeping: only the type's fields, dates as ISO text, free text masked."""
    kept: dict[str, object] = {}
    for name, value in facts.items():
        if name not in kind.allowed_fields or _blank(value):
            continue
        if isinstance(value, datetime | date):
            kept[name] = value.isoformat()
        elif isinstance(value, bool | int | float):
            kept[name] = value
        else:
            kept[name] = mask_identifiers(str(value))
    return kept


def _next_sequence(session: Session, institution: str, year: int) -> int:
    """Take the next number of ``institution``/``year``; holds its lock until commit."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReferenceCounter)
        .values(institution=institution, year=year, last_sequence=0)
        .on_conflict_do_nothing()
    )
    key = (ReferenceCounter.institution == institution, ReferenceCounter.year == year)
    session.execute(
        update(ReferenceCounter)
        .where(*key)
        .values(last_sequence=ReferenceCounter.last_sequence + 1)
        .execution_options(synchronize_session=False)
    )
    return int(session.scalars(select(ReferenceCounter.last_sequence).where(*key)).one())


def _record(
    session: Session,
    case: Case,
    *,
    actor: str,
    field: str,
    old: str | None,
    new: str | None,
    note: str | None = None,
) -> CaseEvent:
    """Append one line to the case's audit trail and touch ``updated_at``."""
    event = CaseEvent(case_id=case.id, actor=actor, field=field, old=old, new=new, note=note,
                      at=utcnow())
    session.add(event)
    case.updated_at = event.at
    session.flush()
    return event


def _case_by_key(session: Session, key: str) -> Case | None:
    """The case opened with idempotency key ``key``, if any."""
    return session.scalars(select(Case).where(Case.idempotency_key == key)).one_or_none()


def _replayed(case: Case, person: Person) -> Case:
    """Return the earlier case for a replayed message, refusing another person's key."""
    if case.person_id != person.id:
        raise IdempotencyConflict("idempotency key already used by another person")
    log.info("replayed message: returning existing case %s", case.reference)
    return case


def open_case(
    session: Session,
    *,
    person: Person,
    case_type: str,
    institution: str,
    facts: Mapping[str, object],
    today: date,
    idempotency_key: str | None = None,
) -> Case:
    """Store a new request and return it with its reference (e.g. ``CPU-2026-000001``).

    The same ``idempotency_key`` (say, channel + message id) twice returns the first case.
    Raises ``MissingFacts`` when required fields are missing, ``CaseError`` on an unknown type.
    """
    kind = _case_type(case_type)
    missing = missing_facts(case_type, facts)
    if missing:
        raise MissingFacts(case_type, missing)
    if idempotency_key is not None and (earlier := _case_by_key(session, idempotency_key)):
        return _replayed(earlier, person)
    code = institution.upper()
    try:
        with session.begin_nested():
            case = _insert_case(session, person, kind, code, facts, today, idempotency_key)
    except IntegrityError:
        earlier = _case_by_key(session, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replayed(earlier, person)
    log.info("opened case %s (%s)", case.reference, case.type)
    return case


def _insert_case(
    session: Session,
    person: Person,
    kind: CaseType,
    institution: str,
    facts: Mapping[str, object],
    today: date,
    idempotency_key: str | None,
) -> Case:
    """Number and insert the case with its checklist and first audit line."""
    sequence = _next_sequence(session, institution, today.year)
    checklist = checklist_for(kind.id, institution)
    case = Case(
        reference=format_reference(institution, today.year, sequence),
        institution=institution,
        year=today.year,
        sequence=sequence,
        type=kind.id,
        status="submitted",
        facts=_stored_facts(kind, facts),
        checklist=[
            {"en": item.text.en, "zh": item.text.zh, "source": item.source,
             "source_zh": item.source_zh, "done": False}
            for item in checklist.items
        ],
        person_id=person.id,
        idempotency_key=idempotency_key,
    )
    session.add(case)
    session.flush()
    _record(session, case, actor=f"person:{person.id}", field="status", old=None,
            new="submitted", note="opened")
    return case


def cases_of(session: Session, person: Person) -> list[Case]:
    """The person's own cases, newest first."""
    query = select(Case).where(Case.person_id == person.id).order_by(Case.id.desc())
    return list(session.scalars(query))


def case_by_reference(session: Session, person: Person, reference: str) -> Case | None:
    """The person's case with ``reference``; None if there is none or it is someone else's."""
    case = find_case(session, reference)
    return case if case is not None and case.person_id == person.id else None


def find_case(session: Session, reference: str) -> Case | None:
    """Any case by reference (staff side only)."""
    normalised = find_reference(reference) or reference.strip().upper()
    return session.scalars(select(Case).where(Case.reference == normalised)).one_or_none()


@dataclass(frozen=True)
class QueueFilter:
    """Which cases the staff queue shows, and in which order.

    ``state`` is "open" (work left for the office) or "finished" (``FINISHED_STATUSES``);
    ``assigned_to`` keeps the cases assigned to that staff name. ``search`` is a reference
    (whole or part) or the person's id: their number in the store
    (``#42``, as the page shows it), their channel user id, or both (``telegram:5123``).
    The store keeps no names or phone numbers, so it cannot be searched for those.
    """

    status: str | None = None
    case_type: str | None = None
    institution: str | None = None
    state: str | None = None
    search: str | None = None
    assigned_to: str | None = None
    newest_first: bool = False


def list_cases(
    session: Session, where: QueueFilter | None = None, *, limit: int | None = None,
    offset: int = 0,
) -> list[Case]:
    """The staff queue: the cases ``where`` selects, oldest first unless it says otherwise."""
    query = _queue_query(where or QueueFilter()).options(selectinload(Case.person))
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_cases(session: Session, where: QueueFilter | None = None) -> int:
    """How many cases ``list_cases`` would return without a limit."""
    query = _queue_query(where or QueueFilter()).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(query)) or 0)


def _queue_query(where: QueueFilter) -> Select[Case]:
    """The filtered, ordered queue query behind ``list_cases`` and ``count_cases``."""
    query = select(Case).order_by(Case.id.desc() if where.newest_first else Case.id)
    if where.status is not None:
        query = query.where(Case.status == where.status)
    if where.case_type is not None:
        query = query.where(Case.type == where.case_type)
    if where.institution is not None:
        query = query.where(Case.institution == where.institution.upper())
    if where.state == "open":
        query = query.where(Case.status.not_in(FINISHED_STATUSES))
    elif where.state == "finished":
        query = query.where(Case.status.in_(FINISHED_STATUSES))
    if where.assigned_to is not None:
        query = query.where(Case.assigned_to == where.assigned_to)
    if where.search and where.search.strip():
        query = query.join(Person, Person.id == Case.person_id).where(
            _search_condition(where.search.strip()))
    return query


def _search_condition(text: str) -> ColumnElement[bool]:
    """Cases whose reference contains ``text`` or whose person ``text`` names (see
    ``QueueFilter``)."""
    reference = find_reference(text)
    if reference is not None:
        return Case.reference == reference
    conditions = [Case.reference.contains(text.upper(), autoescape=True),
                  Person.channel_user_id == text, Person.member_number == text,
                  func.lower(Person.full_name).contains(text.lower(), autoescape=True)]
    channel, colon, user_id = text.partition(":")
    if colon:
        conditions.append(and_(Person.channel == channel.strip().lower(),
                               Person.channel_user_id == user_id.strip()))
    number = text.removeprefix("#")
    if text.startswith("#") and number.isdigit() and len(number) <= MAX_ID_DIGITS:
        conditions.append(Case.person_id == int(number))
    return or_(*conditions)


def change_status(
    session: Session,
    case: Case,
    new_status: str,
    actor: str,
    note: str | None = None,
    *,
    notify: bool = True,
) -> CaseEvent:
    """Move ``case`` to ``new_status`` with an audit line; tell the person unless ``notify=False``.

    Identifiers in ``note`` are masked before it is stored or sent, as in internal notes.
    Raises ``TransitionNotAllowed`` for a move ``TRANSITIONS`` does not allow.
    """
    note = (mask_identifiers(note.strip()) or None) if note else None
    if new_status not in STATUSES:
        raise TransitionNotAllowed(f"unknown status {new_status!r}")
    if not can_move(case.status, new_status):
        raise TransitionNotAllowed(f"{case.reference}: {case.status} -> {new_status} not allowed")
    old_status = case.status
    case.status = new_status
    event = _record(session, case, actor=actor, field="status", old=old_status, new=new_status,
                    note=note)
    if notify:
        _tell_person(session, case, old_status, note)
    log.info("case %s: %s -> %s by %s", case.reference, old_status, new_status, actor)
    return event


def _tell_person(session: Session, case: Case, old_status: str, note: str | None) -> None:
    """Queue the status-change message for the case's person in their language."""
    person = session.get(Person, case.person_id)
    if person is None:
        return
    enqueue(session, person, status_message(case, old_status, note, person.language),
            kind="status_change", case_id=case.id)


def status_message(case: Case, old_status: str, note: str | None, language: str | None) -> str:
    """The text telling a person their request changed status."""
    label = CASE_TYPES[case.type].label if case.type in CASE_TYPES else Text(case.type, case.type)
    old, new = STATUSES[old_status].get(language), STATUSES[case.status].get(language)
    if normalise_language(language) == "zh":
        text = f"您的申请 {case.reference}（{label.zh}）状态已由“{old}”变更为“{new}”。"
        return text + (f"\n办公室留言：{note}" if note else "")
    text = f"Your request {case.reference} ({label.en}) changed from \"{old}\" to \"{new}\"."
    return text + (f"\nNote from the office: {note}" if note else "")


def cancel_case(session: Session, case: Case, *, actor: str, reason: str | None = None) -> Case:
    """Withdraw a request that staff have not decided yet (status becomes ``closed``).

    Raises ``TransitionNotAllowed`` once the case is approved, rejected, done or closed.
    """
    if case.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(f"{case.reference} is {case.status}: too late to cancel")
    note = "cancelled by the requester" + (f": {mask_identifiers(reason)}" if reason else "")
    change_status(session, case, "closed", actor, note, notify=False)
    return case


def reply_to_person(session: Session, case: Case, *, actor: str, text: str) -> CaseEvent:
    """Send the case's person a message from the office, leaving the status as it is.

    The reply goes into the history (field ``reply``) and the outbox, like a status note;
    identifiers in it are masked first.
    """
    cleaned = mask_identifiers(text.strip())
    if not cleaned:
        raise CaseError("a reply needs some text")
    event = _record(session, case, actor=actor, field="reply", old=None, new=None, note=cleaned)
    person = session.get(Person, case.person_id)
    if person is not None:
        enqueue(session, person, reply_message(case, cleaned, person.language), kind="reply",
                case_id=case.id)
    return event


def latest_office_message(case: Case) -> CaseEvent | None:
    """The office's latest message to the person about ``case``: the note of a status change
    or a reply, by staff. Staff's notes in the history (``add_note``) are not messages."""
    told = [event for event in case.events
            if event.actor.startswith("staff:") and event.field in ("status", "reply")
            and event.note]
    return told[-1] if told else None


def reply_message(case: Case, text: str, language: str | None) -> str:
    """The text carrying a reply from the office about ``case``."""
    if normalise_language(language) == "zh":
        return f"关于您的申请 {case.reference}，办公室留言：{text}"
    return f"About your request {case.reference}, the office writes: {text}"


def assign_case(session: Session, case: Case, *, assignee: str | None, actor: str) -> CaseEvent:
    """Give ``case`` to the staff member named ``assignee`` (None: to nobody), in the history."""
    name = (assignee or "").strip()[:100] or None
    event = _record(session, case, actor=actor, field="assigned_to", old=case.assigned_to,
                    new=name)
    case.assigned_to = name
    return event


def add_note(session: Session, case: Case, *, actor: str, text: str) -> CaseEvent:
    """Add a note to the case's history (identifiers in the text are masked)."""
    cleaned = mask_identifiers(text.strip())
    if not cleaned:
        raise CaseError("a note needs some text")
    return _record(session, case, actor=actor, field="note", old=None, new=None, note=cleaned)


def checklist_key(index: int, item: Mapping[str, object]) -> str:
    """The stable name of a case's checklist item: its place (from 1) and a slug of its
    English text, e.g. ``2-report-the-loss-to-your-local-police-station``.

    A case keeps the checklist it was opened with, so the key names the same item after any
    restart; a tick whose key no longer matches (the item moved or was reworded) ticks
    nothing rather than the wrong item.
    """
    slug = NOT_A_SLUG.sub("-", str(item.get("en") or "").lower()).strip("-")
    slug = slug[:SLUG_LENGTH].rstrip("-")
    return f"{index + 1}-{slug}" if slug else str(index + 1)


def checklist_ticks(session: Session, case: Case) -> dict[str, ChecklistTick]:
    """The case's ticked checklist items by key (``checklist_key``)."""
    query = select(ChecklistTick).where(ChecklistTick.case_id == case.id)
    return {tick.item_key: tick for tick in session.scalars(query)}


def tick_checklist_item(session: Session, case: Case, item_key: str, *,
                        staff_name: str) -> CaseEvent | None:
    """Mark one checklist item done by ``staff_name`` (stored with the time and written to
    the history). None when it already was ticked: nothing changes.

    Raises ``CaseError`` when ``item_key`` is not on the case's checklist.
    """
    item = _checklist_item(case, item_key)
    _lock_case(session, case)
    if _tick(session, case, item_key) is not None:
        return None
    name = staff_name.strip()[:100]
    event = _record(session, case, actor=f"staff:{name}", field="checklist", old=None,
                    new=item_key, note=_item_line(item))
    session.add(ChecklistTick(case_id=case.id, item_key=item_key, ticked_by=name,
                              ticked_at=event.at))
    _mark_done(session, case)
    log.info("case %s: checklist item %s ticked by %s", case.reference, item_key, name)
    return event


def untick_checklist_item(session: Session, case: Case, item_key: str, *,
                          staff_name: str) -> CaseEvent | None:
    """Take a tick back (written to the history). None when the item was not ticked.

    Raises ``CaseError`` when ``item_key`` is not on the case's checklist.
    """
    item = _checklist_item(case, item_key)
    _lock_case(session, case)
    tick = _tick(session, case, item_key)
    if tick is None:
        return None
    session.delete(tick)
    name = staff_name.strip()[:100]
    event = _record(session, case, actor=f"staff:{name}", field="checklist", old=item_key,
                    new=None, note=_item_line(item))
    _mark_done(session, case)
    log.info("case %s: checklist item %s unticked by %s", case.reference, item_key, name)
    return event


def _checklist_item(case: Case, item_key: str) -> Mapping[str, object]:
    """The case's checklist item named ``item_key``, or CaseError."""
    for index, item in enumerate(case.checklist):
        if checklist_key(index, item) == item_key:
            return item
    raise CaseError(f"{case.reference} has no checklist item {item_key!r}")


def _item_line(item: Mapping[str, object]) -> str:
    """How the history names an item: its English text and article."""
    return f"{item.get('en')} ({item.get('source')})"


def _lock_case(session: Session, case: Case) -> None:
    """Hold the case's row until commit (PostgreSQL; SQLite's writers already take turns), so
    that ticks given at the same moment are counted one after the other."""
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())


def _tick(session: Session, case: Case, item_key: str) -> ChecklistTick | None:
    """The tick of one item, if it is ticked."""
    query = select(ChecklistTick).where(ChecklistTick.case_id == case.id,
                                        ChecklistTick.item_key == item_key)
    return session.scalars(query).one_or_none()


def _mark_done(session: Session, case: Case) -> None:
    """Set the ``done`` flag of the case's checklist items from its ticks.

    The ticks table says who and when; the flag is what the CSV export, the API, the CLI
    and the person's "status of my request" read.
    """
    session.flush()
    ticked = checklist_ticks(session, case)
    case.checklist = [{**item, "done": checklist_key(index, item) in ticked}
                      for index, item in enumerate(case.checklist)]
