"""Deliveries record when a send was attempted (`sending`), and open rows are indexed.

A delivery is `claimed` (not yet handed to the sender), then `sending` from just before
the HTTP call (`attempted_at`), then `sent`, `failed` or `unknown`. The per-tick query
for rows a crash left open only ever looks at `claimed` and `sending` rows: a partial
index on exactly those keeps it from reading the whole, ever-growing table.

Revision ID: 008
Revises: 007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "008"
down_revision = "007"
branch_labels = None
depends_on = None

OPEN_ROWS = "status IN ('claimed', 'sending')"  # the same literal text as bot/db/models.py


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_deliveries_open",
        "deliveries",
        ["claimed_at"],
        sqlite_where=sa.text(OPEN_ROWS),
        postgresql_where=sa.text(OPEN_ROWS),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_open", table_name="deliveries")
    # Older versions know no `sending`: such a row may or may not have gone out.
    op.execute(
        "UPDATE deliveries SET status = 'unknown', detail = 'interrupted while sending' "
        "WHERE status = 'sending'"
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("attempted_at")
