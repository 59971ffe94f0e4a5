"""The optional morning question about the night.

Revision ID: 005
Revises: 004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("preferences") as batch:
        batch.add_column(
            sa.Column("morning_enabled", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("morning_minute", sa.Integer(), server_default="480", nullable=False)
        )
        batch.add_column(sa.Column("next_morning_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(op.f("ix_preferences_next_morning_at"), ["next_morning_at"])
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("night_woke", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("night_nrs", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("night_nrs")
        batch.drop_column("night_woke")
    with op.batch_alter_table("preferences") as batch:
        batch.drop_index(op.f("ix_preferences_next_morning_at"))
        for column in ("next_morning_at", "morning_minute", "morning_enabled"):
            batch.drop_column(column)
