"""Daily tips: preferences, deliveries (the scheduler's audit trail), tip feedback and sends.

Revision ID: 002
Revises: 001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "002"
down_revision = "001"
branch_labels = None
depends_on = None


def _user_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "user_id",
        sa.BigInteger(),
        sa.ForeignKey("users.telegram_id", ondelete="CASCADE", name=None),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "preferences",
        _user_fk(),
        sa.Column("tips_enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("tip_minute", sa.Integer(), server_default="540", nullable=False),
        sa.Column("tip_days", sa.Integer(), server_default="127", nullable=False),
        sa.Column("tip_tags_off", sa.String(200), server_default="", nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("silent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("next_tip_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("told_no_tips", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_preferences")),
    )
    op.create_index(op.f("ix_preferences_next_tip_at"), "preferences", ["next_tip_at"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        _user_fk(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("item", sa.String(32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("user_id", "kind", "local_date", name=op.f("uq_deliveries_user_id")),
    )
    op.create_index(op.f("ix_deliveries_user_id"), "deliveries", ["user_id"])
    op.create_index(op.f("ix_deliveries_status"), "deliveries", ["status"])
    op.create_table(
        "tip_feedback",
        _user_fk(),
        sa.Column("tip_id", sa.String(32), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tip_id", name=op.f("pk_tip_feedback")),
    )
    op.create_table(
        "tip_sends",
        _user_fk(),
        sa.Column("tip_id", sa.String(32), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "tip_id", name=op.f("pk_tip_sends")),
    )


def downgrade() -> None:
    op.drop_table("tip_sends")
    op.drop_table("tip_feedback")
    op.drop_index(op.f("ix_deliveries_status"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_user_id"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_preferences_next_tip_at"), table_name="preferences")
    op.drop_table("preferences")
