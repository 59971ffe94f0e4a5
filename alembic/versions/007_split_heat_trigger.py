"""The check-in trigger "heat" (warmte of koorts) is split into "fever" and "warm".

A stored "heat" meant "heat or fever": it cannot be told apart afterwards, so it is
renamed to the legacy trigger "heat_or_fever", which content/checkin.yaml still labels
"Warmte of koorts" but never asks again. Nothing is lost and nothing is relabelled as
fever or as warmth. The downgrade turns "heat_or_fever", "fever" and "warm" back into
"heat" (the old version knew only that one).

Revision ID: 007
Revises: 006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision = "007"
down_revision = "006"
branch_labels = None
depends_on = None

CHECKINS = sa.table("checkins", sa.column("id", sa.Integer()), sa.column("triggers", sa.String()))
BATCH = 1000


def _rename(bind: Connection, old: frozenset[str], new: str) -> None:
    """In every row's sorted comma list, replace any id in `old` with `new`, in batches."""
    last = 0
    candidates = sa.or_(*(CHECKINS.c.triggers.like(f"%{name}%") for name in old))
    while rows := bind.execute(
        sa.select(CHECKINS.c.id, CHECKINS.c.triggers)
        .where(candidates, CHECKINS.c.id > last)
        .order_by(CHECKINS.c.id)
        .limit(BATCH)
    ).all():
        for row_id, stored in rows:
            ids = set(filter(None, stored.split(",")))
            if ids & old:
                renamed = ",".join(sorted((ids - old) | {new}))
                bind.execute(
                    CHECKINS.update().where(CHECKINS.c.id == row_id).values(triggers=renamed)
                )
        last = rows[-1][0]


def upgrade() -> None:
    _rename(op.get_bind(), frozenset({"heat"}), "heat_or_fever")


def downgrade() -> None:
    _rename(op.get_bind(), frozenset({"heat_or_fever", "fever", "warm"}), "heat")
