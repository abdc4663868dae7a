"""Staff tick a case's checklist item by item: who ticked which item, and when.

A new table, one row per ticked item (unticking deletes it), unique per case and item so
that two people ticking the same item at once store one tick. Created and dropped the same
way on SQLite and PostgreSQL; no existing table is touched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

TABLE = "checklist_ticks"


def upgrade() -> None:
    """Create ``checklist_ticks``; a case's ticks go with the case (``ON DELETE CASCADE``)."""
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(100), nullable=False),
        sa.Column("ticked_by", sa.String(100), nullable=False),
        sa.Column("ticked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_ticks"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_checklist_ticks_case_id_cases", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("case_id", "item_key", name="uq_checklist_ticks_case_id_item_key"),
    )


def downgrade() -> None:
    """Drop ``checklist_ticks`` (the history lines of the ticks stay)."""
    op.drop_table(TABLE)
