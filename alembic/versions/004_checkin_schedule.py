"""Scheduled evening check-ins: on/off, time, days, next due, the one-hour snooze.

Revision ID: 004
Revises: 003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "004"
down_revision = "003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("preferences") as batch:
        batch.add_column(
            sa.Column("checkin_enabled", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("checkin_minute", sa.Integer(), server_default="1200", nullable=False)
        )
        batch.add_column(
            sa.Column("checkin_days", sa.Integer(), server_default="127", nullable=False)
        )
        batch.add_column(sa.Column("next_checkin_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checkin_later_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("asked_to_pause", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.create_index(op.f("ix_preferences_next_checkin_at"), ["next_checkin_at"])
        batch.create_index(op.f("ix_preferences_checkin_later_at"), ["checkin_later_at"])


def downgrade() -> None:
    with op.batch_alter_table("preferences") as batch:
        batch.drop_index(op.f("ix_preferences_checkin_later_at"))
        batch.drop_index(op.f("ix_preferences_next_checkin_at"))
        for column in (
            "asked_to_pause",
            "checkin_later_at",
            "next_checkin_at",
            "checkin_days",
            "checkin_minute",
            "checkin_enabled",
        ):
            batch.drop_column(column)
