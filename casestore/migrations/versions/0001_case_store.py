"""Case store: people, cases and their audit trail, reference counters, reminders, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _create_people() -> None:
    """People, unique per channel and channel user id."""
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("channel_user_id", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("institution", sa.String(16), nullable=True),
        sa.Column("reach", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("channel", "channel_user_id", name="uq_people_channel_channel_user_id"),
    )


def _create_cases() -> None:
    """Cases, their audit events and the per institution/year reference counters."""
    op.create_table(
        "reference_counters",
        sa.Column("institution", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("institution", "year", name="pk_reference_counters"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("institution", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_cases_person_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_cases_idempotency_key"),
        sa.UniqueConstraint(
            "institution", "year", "sequence", name="uq_cases_institution_year_sequence"
        ),
    )
    op.create_index("ix_cases_type", "cases", ["type"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_person_id", "cases", ["person_id"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_events_case_id_cases", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])


def _create_reminders() -> None:
    """Tracked documents and the reminders scheduled for them."""
    op.create_table(
        "tracked_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("institution", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tracked_documents"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_tracked_documents_person_id_people",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_tracked_documents_person_id", "tracked_documents", ["person_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["tracked_documents.id"],
            name="fk_reminders_document_id_tracked_documents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_reminders_person_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "document_id", "kind", "due_on", name="uq_reminders_document_id_kind_due_on"
        ),
    )
    op.create_index("ix_reminders_document_id", "reminders", ["document_id"])
    op.create_index("ix_reminders_person_id", "reminders", ["person_id"])
    op.create_index("ix_reminders_due_on", "reminders", ["due_on"])
    op.create_index("ix_reminders_sent_at", "reminders", ["sent_at"])


def _create_notifications() -> None:
    """The outbox the channel bridges deliver from."""
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_notifications_person_id_people",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_notifications_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"],
            ["reminders.id"],
            name="fk_notifications_reminder_id_reminders",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("reminder_id", name="uq_notifications_reminder_id"),
    )
    op.create_index("ix_notifications_person_id", "notifications", ["person_id"])
    op.create_index("ix_notifications_channel", "notifications", ["channel"])
    op.create_index("ix_notifications_delivered_at", "notifications", ["delivered_at"])


def upgrade() -> None:
    """Create every table of the case store."""
    _create_people()
    _create_cases()
    _create_reminders()
    _create_notifications()


def downgrade() -> None:
    """Drop every table of the case store."""
    for table in (
        "notifications",
        "reminders",
        "tracked_documents",
        "case_events",
        "cases",
        "reference_counters",
        "people",
    ):
        op.drop_table(table)
