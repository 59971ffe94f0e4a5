"""Counts per hour for /stats (`HourlyCount`): what happened how often, never to whom.

An hour, not a day: /stats counts "today" from the operator's midnight, and every time
zone the bot is run in is a whole number of hours from UTC, so hours add up to any local
day exactly. Kept as long as the database: 24 rows a day per name.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import HourlyCount

CONSENT_GIVEN = "consent_given"
CONSENT_WITHDRAWN = "consent_withdrawn"
RATE_LIMITED = "rate_limited"  # Telegram answered 429 (replies or scheduler)


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


async def add(session: AsyncSession, name: str, moment: datetime, times: int = 1) -> None:
    """Count `times` more of `name` in the hour of `moment` (in the caller's transaction)."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(HourlyCount).values(hour=hour_of(moment), name=name, count=times)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["hour", "name"], set_={"count": HourlyCount.count + times}
        )
    )


async def since(session: AsyncSession, moment: datetime) -> Counter[str]:
    """Each name's count from the hour of `moment` on."""
    rows = await session.execute(
        select(HourlyCount.name, func.sum(HourlyCount.count))
        .where(HourlyCount.hour >= hour_of(moment))
        .group_by(HourlyCount.name)
    )
    return Counter({name: int(total or 0) for name, total in rows})
