"""Check-in notes encrypted at rest: `checkins.note` becomes Text holding Fernet tokens.

Notes already stored are encrypted here, in the same transaction as the type change, with
the keys of the engine that runs the migration (`spasmbot run`/`migrate` pass
ENCRYPTION_KEY or ENCRYPTION_KEY_FILE; the keys never enter the database). So after this
revision every stored note is a token, and nothing reads plain notes. With notes present
and no key, it stops before changing anything. The downgrade decrypts them again.

Revision ID: 006
Revises: 005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

from bot.db.crypto import NO_KEY, KeyProblem, keyring_of

revision = "006"
down_revision = "005"
branch_labels = None
depends_on = None

NOTES = sa.table("checkins", sa.column("id", sa.Integer()), sa.column("note", sa.Text()))
BATCH = 1000


def _rewrite(bind: Connection, change: Callable[[str], str]) -> None:
    """`change` every stored note, in batches by id (memory stays flat on big tables)."""
    last = 0
    while rows := bind.execute(
        sa.select(NOTES.c.id, NOTES.c.note)
        .where(NOTES.c.note.is_not(None), NOTES.c.id > last)
        .order_by(NOTES.c.id)
        .limit(BATCH)
    ).all():
        for row_id, note in rows:
            bind.execute(NOTES.update().where(NOTES.c.id == row_id).values(note=change(note)))
        last = rows[-1][0]


def _change(bind: Connection, encrypt: bool) -> Callable[[str], str] | None:
    """How to turn each stored note around, or None if there are none; checked before any
    schema change, so a missing key stops the migration with nothing changed."""
    stored = bind.scalar(
        sa.select(sa.func.count()).select_from(NOTES).where(NOTES.c.note.is_not(None))
    )
    if not stored:
        return None
    keyring = keyring_of(bind.dialect)
    if keyring is None:
        raise KeyProblem(
            f"revision 006 encrypts {stored} stored notes; nothing was changed. {NO_KEY}"
        )
    return keyring.encrypt if encrypt else keyring.decrypt


def upgrade() -> None:
    bind = op.get_bind()
    change = _change(bind, encrypt=True)
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("note", type_=sa.Text(), existing_type=sa.String(500))
    if change is not None:
        _rewrite(bind, change)


def downgrade() -> None:
    bind = op.get_bind()
    change = _change(bind, encrypt=False)
    if change is not None:
        _rewrite(bind, change)
    with op.batch_alter_table("checkins") as batch:
        batch.alter_column("note", type_=sa.String(500), existing_type=sa.Text())
