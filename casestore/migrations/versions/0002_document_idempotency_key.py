"""Tracked documents remember the message that registered them (idempotency key).

A channel that delivers one message twice must not register a document twice; the key
(channel, sender and message id) is unique. Added as a nullable column with a unique index,
which both SQLite and PostgreSQL do in place: no table is rebuilt, no reminder is touched.

Revision ID: 0002
Revises: 0001
Create Date: 2026-06-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

INDEX = "ix_tracked_documents_idempotency_key"


def upgrade() -> None:
    """Add ``tracked_documents.idempotency_key`` with its unique index."""
    op.add_column("tracked_documents",
                  sa.Column("idempotency_key", sa.String(200), nullable=True))
    op.create_index(INDEX, "tracked_documents", ["idempotency_key"], unique=True)


def downgrade() -> None:
    """Drop the key and its index.

    A plain ``DROP COLUMN`` (SQLite 3.35+), not a batch rebuild: rebuilding would drop the
    table, and with foreign keys on that deletes every reminder by cascade.
    """
    op.drop_index(INDEX, table_name="tracked_documents")
    op.drop_column("tracked_documents", "idempotency_key")
