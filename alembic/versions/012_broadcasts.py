"""/broadcast: the operator's messages to every user, who is still to get one, and the
per-user opt-out ("Geen berichten van de beheerder meer").

`broadcasts` holds the two texts, who made it, when, its state and the due column of the
admin's report (`report_at`). `broadcast_recipients` is one row per person a confirmed
broadcast is still to reach (its `due_at` is the due column of the scheduled kind
`broadcast`); the claim deletes the row, the delivery row records the rest. Both are
small: a draft is a row, and recipients exist only until they are claimed.

Revision ID: 012
Revises: 011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "012"
down_revision = "011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode copies `users` and drops
    # the old table, and with foreign keys on that drop would cascade to every table that
    # refers to users (check-ins, deliveries, ...).
    op.add_column(
        "users",
        sa.Column("broadcasts_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_nl", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=True),
        sa.Column("report_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
    )
    op.create_index(op.f("ix_broadcasts_report_at"), "broadcasts", ["report_at"])
    op.create_table(
        "broadcast_recipients",
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name="fk_broadcast_recipients_broadcast_id_broadcasts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.telegram_id"],
            name="fk_broadcast_recipients_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("broadcast_id", "user_id", name=op.f("pk_broadcast_recipients")),
    )
    op.create_index(op.f("ix_broadcast_recipients_due_at"), "broadcast_recipients", ["due_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_broadcast_recipients_due_at"), table_name="broadcast_recipients")
    op.drop_table("broadcast_recipients")
    op.drop_index(op.f("ix_broadcasts_report_at"), table_name="broadcasts")
    op.drop_table("broadcasts")
    op.drop_column("users", "broadcasts_enabled")  # SQLite ≥ 3.35: DROP COLUMN in place
