"""The user's next appointment (/afspraak): one row per user, health data.

`questions` is encrypted like the notes (`EncryptedText`: a Fernet token in a Text
column). `reminder_at` and `after_at` are the due columns of the scheduled kinds
`appointment` and `appointment_after` (UTC, indexed, as in `preferences`). The row goes
with the user (ON DELETE CASCADE) and with a withdrawn consent (the service deletes it).
`deliveries.kind` grows to 32 characters: "appointment_after" is 17.

Revision ID: 010
Revises: 009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "010"
down_revision = "009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("with_whom", sa.String(16), nullable=False),
        sa.Column("remind_days", sa.Integer(), server_default="3", nullable=False),
        sa.Column("questions", sa.Text(), nullable=True),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("after_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asking", sa.String(16), nullable=True),
        sa.Column("asking_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.telegram_id"],
            name="fk_appointments_user_id_users",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_appointments"),
    )
    op.create_index("ix_appointments_reminder_at", "appointments", ["reminder_at"])
    op.create_index("ix_appointments_after_at", "appointments", ["after_at"])
    with op.batch_alter_table("deliveries") as batch:  # "appointment_after" is 17 long
        batch.alter_column("kind", type_=sa.String(32), existing_type=sa.String(16))


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE kind = 'appointment_after'")
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("kind", type_=sa.String(16), existing_type=sa.String(32))
    op.drop_index("ix_appointments_after_at", table_name="appointments")
    op.drop_index("ix_appointments_reminder_at", table_name="appointments")
    op.drop_table("appointments")
