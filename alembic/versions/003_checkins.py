"""Check-ins and the consent to store them.

Revision ID: 003
Revises: 002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "003"
down_revision = "002"
branch_labels = None
depends_on = None


def _user_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "user_id",
        sa.BigInteger(),
        sa.ForeignKey("users.telegram_id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "consents",
        _user_fk(),
        sa.Column("text_version", sa.String(16), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_consents")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        _user_fk(),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("nrs", sa.Integer(), nullable=True),
        sa.Column("night", sa.Boolean(), nullable=True),
        sa.Column("triggers", sa.String(300), server_default="", nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("user_id", "local_date", name=op.f("uq_checkins_user_id")),
    )
    op.create_index(op.f("ix_checkins_user_id"), "checkins", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_checkins_user_id"), table_name="checkins")
    op.drop_table("checkins")
    op.drop_table("consents")
