"""Deliveries record when a send was started as a paid broadcast (`paid_at`).

With ALLOW_PAID_BROADCAST the scheduler sends the part of a peak that would otherwise
be missed with Telegram's `allow_paid_broadcast` (billed per message in Telegram
Stars), at most PAID_BROADCAST_MAX_PER_DAY a day. The day's count is read from these
rows, so the cap holds across restarts and processes; a partial index holds only the
paid rows, so the count never reads the rest of the table.

Revision ID: 013
Revises: 012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "013"
down_revision = "012"
branch_labels = None
depends_on = None

PAID_ROWS = "paid_at IS NOT NULL"  # the same literal text as bot/db/models.py


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_deliveries_paid",
        "deliveries",
        ["paid_at"],
        sqlite_where=sa.text(PAID_ROWS),
        postgresql_where=sa.text(PAID_ROWS),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_paid", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("paid_at")
