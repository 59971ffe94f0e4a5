"""Optional retention (RETENTION_DAYS): check-ins older than that are deleted.

Without the setting nothing is deleted here; people delete their own data themselves.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin


async def delete_checkins_before(sessionmaker: async_sessionmaker[AsyncSession], day: date) -> int:
    """Delete every check-in of a local day before `day`; returns how many went."""
    async with sessionmaker.begin() as session:
        result = await session.execute(
            delete(Checkin).where(Checkin.local_date < day).returning(Checkin.id)
        )
        return len(result.all())
