"""A request can be assigned to a member of staff (the name they signed in with).

A nullable column with a plain index, added in place on SQLite and PostgreSQL: no table is
rebuilt, no case or history line is touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

INDEX = "ix_cases_assigned_to"


def upgrade() -> None:
    """Add ``cases.assigned_to`` with its index."""
    op.add_column("cases", sa.Column("assigned_to", sa.String(100), nullable=True))
    op.create_index(INDEX, "cases", ["assigned_to"])


def downgrade() -> None:
    """Drop the index and the column (a plain ``DROP COLUMN``, SQLite 3.35+, no rebuild)."""
    op.drop_index(INDEX, table_name="cases")
    op.drop_column("cases", "assigned_to")
