"""Everything stored about one person: export it as JSON, or delete all of it.

Tables are found through their foreign key to `users`, so a table added later (such
as check-ins) is exported and deleted without touching this module.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Base, User

USERS = User.__table__


def _user_column(table: Table) -> Column[Any] | None:
    """The column of `table` that holds the Telegram user id, or None."""
    if table is USERS:
        return USERS.c.telegram_id
    for fk in table.foreign_keys:
        if fk.column.table is USERS:
            return fk.parent
    return None


def personal_tables() -> list[tuple[Table, Column[Any]]]:
    """Every table with rows about a person, parents first."""
    found = [(t, _user_column(t)) for t in Base.metadata.sorted_tables]
    return [(table, column) for table, column in found if column is not None]


def _plain(value: object) -> object:
    if isinstance(value, frozenset):
        return sorted(value)
    return value.isoformat() if isinstance(value, datetime | date) else value


async def export_personal_data(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int
) -> dict[str, list[dict[str, object]]]:
    """{table name: [row, ...]} for every row about this user."""
    async with sessionmaker() as session:
        return {
            table.name: [
                {key: _plain(value) for key, value in row.items()}
                for row in (await session.execute(select(table).where(column == user_id)))
                .mappings()
                .all()
            ]
            for table, column in personal_tables()
        }


async def delete_personal_data(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> int:
    """Delete every row about this user (children first); returns how many rows went.

    Pending deliveries go with them, so nothing scheduled is sent afterwards.
    """
    removed = 0
    async with sessionmaker.begin() as session:
        for table, column in reversed(personal_tables()):
            result = await session.execute(delete(table).where(column == user_id).returning(column))
            removed += len(result.all())
    return removed
