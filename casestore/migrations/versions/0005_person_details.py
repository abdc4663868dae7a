"""Who a request is for: the person's name, student or staff number and a contact.

Three nullable columns on ``people``, added in place on SQLite and PostgreSQL: no table is
rebuilt and no row is touched. They are asked once, when the person first opens a request.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = (("full_name", 100), ("member_number", 32), ("contact", 120))


def upgrade() -> None:
    """Add ``people.full_name``, ``people.member_number`` and ``people.contact``."""
    for name, length in COLUMNS:
        op.add_column("people", sa.Column(name, sa.String(length), nullable=True))


def downgrade() -> None:
    """Drop the three columns (plain ``DROP COLUMN``, SQLite 3.35+, no rebuild)."""
    for name, _length in reversed(COLUMNS):
        op.drop_column("people", name)
