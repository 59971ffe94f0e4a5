"""The operator's side of encrypted free text: do the keys open it, and rotation.

Both work on the stored tokens themselves (a plain Text view of every `EncryptedText`
column: check-in notes, the name on the report), not the type, so they never depend on
the engine's own keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Text, column, select, table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.expression import ColumnClause, TableClause

from bot.db.crypto import EncryptedText, KeyProblem, Keyring, WrongKey
from bot.db.models import Base


@dataclass(frozen=True)
class Tokens:
    """A plain view of one encrypted column: the row's key and the stored token."""

    table: TableClause
    key: ColumnClause[int]
    token: ColumnClause[str]


def encrypted_columns() -> list[Tokens]:
    """Every `EncryptedText` column of the models, with its table's (first) key column."""
    found = []
    for model in Base.metadata.sorted_tables:
        key_name = next(iter(model.primary_key.columns)).name
        for col in model.columns:
            if isinstance(col.type, EncryptedText):
                key, token = column(key_name, BigInteger), column(col.name, Text)
                found.append(Tokens(table(model.name, key, token), key, token))
    return found


async def check_keys_open_notes(
    sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring
) -> None:
    """Raises WrongKey unless `keyring` opens the oldest and the newest stored token of
    every encrypted column.

    Run at start-up, before anything is written: a wrong key stops the bot instead of
    mixing notes under two keys. Two rows a column are cheap; after `spasmbot rotate-key`
    every token uses the newest key, so a retired key shows up in the oldest one.
    """
    async with sessionmaker() as session:
        for view in encrypted_columns():
            for order in (view.key.asc(), view.key.desc()):
                token = await session.scalar(
                    select(view.token).where(view.token.is_not(None)).order_by(order).limit(1)
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
    """Re-encrypt every token that does not use the newest key yet (MultiFernet.rotate),
    column by column.

    In batches by key, each written in one transaction, and only after every token of the
    batch opened: what earlier batches rewrote opens with the newest key, so a token no
    key opens (KeyProblem) stops it with nothing lost. An update replaces only the token
    it read, so a note the bot changed meanwhile stays as the bot wrote it. Running it
    again rewrites nothing.
    """
    rewritten = current = 0
    for view in encrypted_columns():
        last = -(2**63)
        while rows := await _tokens_after(sessionmaker, view, last, batch_size):
            fresh = [
                (key, token, _rotated(keyring, view, key, token, rewritten)) for key, token in rows
            ]
            changes = [(key, token, new) for key, token, new in fresh if new is not None]
            async with sessionmaker.begin() as session:
                for key, token, new in changes:
                    await session.execute(
                        view.table.update()
                        .where(view.key == key, view.token == token)
                        .values({view.token.name: new})
                    )
            rewritten, current = rewritten + len(changes), current + len(rows) - len(changes)
            last = rows[-1][0]
    return Rotation(rewritten, current)


async def _tokens_after(
    sessionmaker: async_sessionmaker[AsyncSession], view: Tokens, last: int, batch_size: int
) -> list[tuple[int, str]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(view.key, view.token)
            .where(view.token.is_not(None), view.key > last)
            .order_by(view.key)
            .limit(batch_size)
        )
        return [(key, token) for key, token in rows]


WHAT = {"checkins": "the note of check-in", "consents": "the report name of user"}


def _rotated(keyring: Keyring, view: Tokens, key: int, token: str, rewritten: int) -> str | None:
    try:
        return keyring.rotate(token)
    except WrongKey:
        what = WHAT.get(view.table.name, f"a token in {view.table.name}, row")
        raise KeyProblem(
            f"{keyring.source} does not open {what} {key}; the {rewritten} "
            "notes re-encrypted before it open with the newest key, none was lost"
        ) from None
