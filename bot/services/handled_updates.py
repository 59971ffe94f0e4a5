"""Each update handled once when several bot processes share one webhook (and when
Telegram delivers an update again): the first process to record its id handles it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import HandledUpdate

KEPT = timedelta(days=1)  # Telegram gives up on an update long before
CLEAN_EVERY = 1000  # update ids: one in this many also deletes the old records


async def first_time(
    sessionmaker: async_sessionmaker[AsyncSession], update_id: int, now: datetime
) -> bool:
    """True for the first delivery of `update_id`, False for any later one."""
    async with sessionmaker.begin() as session:
        dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
        inserted = await session.execute(
            dialect.insert(HandledUpdate)
            .values(update_id=update_id, handled_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(HandledUpdate.update_id)
        )
        first = inserted.first() is not None
        if first and update_id % CLEAN_EVERY == 0:
            await session.execute(
                delete(HandledUpdate).where(HandledUpdate.handled_at < now - KEPT)
            )
        return first
