"""Tables of the case store. The schema itself is made by the Alembic migrations only.

Timestamps are naive UTC (``utcnow()``); calendar dates (expiry, reminder days) are plain
dates in China time, the calendar the regulations count in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current time as naive UTC, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base with constraint names Alembic can refer to."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[dict[str, Any]]: JSON,
    }


class Person(Base):
    """Someone who talks to the assistant, keyed by channel and the channel's user id."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    channel_user_id: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16), default="student")
    language: Mapped[str | None] = mapped_column(String(8))
    institution: Mapped[str | None] = mapped_column(String(16))
    reach: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Who they are, for the office: asked when they first open a request (never logged).
    full_name: Mapped[str | None] = mapped_column(String(100))
    member_number: Mapped[str | None] = mapped_column(String(32))
    contact: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cases: Mapped[list[Case]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    documents: Mapped[list[TrackedDocument]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    notifications: Mapped[list[Notification]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class Case(Base):
    """A request opened with the office, e.g. ``CPU-2026-000001``."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("institution", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    institution: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    assigned_to: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="cases")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaseEvent.id",
    )


class CaseEvent(Base):
    """One line of a case's audit trail: who changed what, when, from what to what."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    field: Mapped[str] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")


class ChecklistTick(Base):
    """A checklist item of a case that staff ticked: which item (``item_key``, see
    ``casestore.cases.checklist_key``), who and when. Unticking deletes the row; both moves are
    lines of the case's history too."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("case_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(100))
    ticked_by: Mapped[str] = mapped_column(String(100))
    ticked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReferenceCounter(Base):
    """Last sequence number handed out per institution and year (gap-free references)."""

    __tablename__ = "reference_counters"

    institution: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)


class TrackedDocument(Base):
    """A passport, visa or permit whose expiry date the person asked us to watch."""

    __tablename__ = "tracked_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    expires_on: Mapped[date] = mapped_column(Date)
    institution: Mapped[str | None] = mapped_column(String(16))
    # A unique index rather than a constraint: SQLite can add one without rebuilding the table.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="documents")
    reminders: Mapped[list[Reminder]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Reminder.due_on",
    )


class Reminder(Base):
    """One scheduled reminder about a tracked document; ``sent_at`` is set exactly once."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("document_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("tracked_documents.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    days_before: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    document: Mapped[TrackedDocument] = relationship(back_populates="reminders")


class Notification(Base):
    """Outbox row: a message for a person that the channel bridge delivers.

    ``reminder_id`` is unique, so a reminder can never produce a second message.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    person: Mapped[Person] = relationship(back_populates="notifications")
