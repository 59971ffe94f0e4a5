"""The operator's side of encrypted notes: do the keys open them, and rotation.

Both work on the stored tokens themselves (a plain Text view of `checkins.note`, not
the `EncryptedText` type), so they never depend on the engine's own keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Text, column, select, table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.crypto import KeyProblem, Keyring, WrongKey

TOKENS = table("checkins", column("id", Integer), column("note", Text))


async def check_keys_open_notes(
    sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring
) -> None:
    """Raises WrongKey unless `keyring` opens the oldest and the newest stored note.

    Run at start-up, before anything is written: a wrong key stops the bot instead of
    mixing notes under two keys. Two rows are cheap; after `spasmbot rotate-key` every
    note uses the newest key, so a retired key shows up in the oldest one.
    """
    async with sessionmaker() as session:
        for order in (TOKENS.c.id.asc(), TOKENS.c.id.desc()):
            token = await session.scalar(
                select(TOKENS.c.note).where(TOKENS.c.note.is_not(None)).order_by(order).limit(1)
            )
            if token is not None:
                keyring.decrypt(token)


@dataclass(frozen=True)
class Rotation:
    rewritten: int  # re-encrypted with the newest key
    current: int  # already used it


async def rotate_notes(
    sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring, batch_size: int = 500
) -> Rotation:
    """Re-encrypt every note that does not use the newest key yet (MultiFernet.rotate).

    In batches by id, each written in one transaction, and only after every note of the
    batch opened: what earlier batches rewrote opens with the newest key, so a note no
    key opens (KeyProblem) stops it with nothing lost. An update replaces only the token
    it read, so a note the bot changed meanwhile stays as the bot wrote it. Running it
    again rewrites nothing.
    """
    rewritten = current = last = 0
    while rows := await _tokens_after(sessionmaker, last, batch_size):
        fresh = [
            (row_id, token, _rotated(keyring, row_id, token, rewritten)) for row_id, token in rows
        ]
        changes = [(row_id, token, new) for row_id, token, new in fresh if new is not None]
        async with sessionmaker.begin() as session:
            for row_id, token, new in changes:
                await session.execute(
                    TOKENS.update()
                    .where(TOKENS.c.id == row_id, TOKENS.c.note == token)
                    .values(note=new)
                )
        rewritten, current = rewritten + len(changes), current + len(rows) - len(changes)
        last = rows[-1][0]
    return Rotation(rewritten, current)


async def _tokens_after(
    sessionmaker: async_sessionmaker[AsyncSession], last: int, batch_size: int
) -> list[tuple[int, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(TOKENS.c.id, TOKENS.c.note)
            .where(TOKENS.c.note.is_not(None), TOKENS.c.id > last)
            .order_by(TOKENS.c.id)
            .limit(batch_size)
        )
        return [(row_id, token) for row_id, token in rows]


def _rotated(keyring: Keyring, row_id: int, token: str, rewritten: int) -> str | None:
    try:
        return keyring.rotate(token)
    except WrongKey:
        raise KeyProblem(
            f"{keyring.source} does not open the note of check-in {row_id}; the {rewritten} "
            "notes re-encrypted before it open with the newest key, none was lost"
        ) from None
