"""Counts per hour for the operator's /stats: consents given and withdrawn, Telegram's
429s. No user id, no content: an hour, a name and a number.

Revision ID: 014
Revises: 013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "014"
down_revision = "013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hourly_counts",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "name", name=op.f("pk_hourly_counts")),
    )


def downgrade() -> None:
    op.drop_table("hourly_counts")
