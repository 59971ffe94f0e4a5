"""The name or initials the user wants on the doctor's report, stored with the consent.

It lives on the `consents` row (so it exists only while the user has agreed, and goes
with a withdrawal) and is encrypted like the notes (`EncryptedText`: a Fernet token in a
Text column). A new column is empty, so nothing needs encrypting here.

Revision ID: 009
Revises: 008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "009"
down_revision = "008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.add_column(sa.Column("report_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("report_name")
