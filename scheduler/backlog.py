"""How far behind the scheduler is: messages due and not yet claimed, and how late the
oldest of them is. For the operator (/stats, metrics); plain counts, no one's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences, User
from scheduler.claims import ScheduledKind


@dataclass(frozen=True)
class Backlog:
    due: int  # messages due now and not claimed yet, over every kind
    oldest: datetime | None  # when the oldest of them fell due

    def lag(self, now: datetime) -> timedelta:
        """Now minus the oldest due time: zero when nothing waits."""
        return max(timedelta(0), now - self.oldest) if self.oldest else timedelta(0)


async def backlog(
    sessionmaker: async_sessionmaker[AsyncSession], kinds: Sequence[ScheduledKind], now: datetime
) -> Backlog:
    due, oldest = 0, None
    async with sessionmaker() as session:
        for kind in kinds:
            count, first = (
                await session.execute(
                    select(func.count(), func.min(kind.due))
                    .select_from(Preferences)
                    .join(User, User.telegram_id == Preferences.user_id)
                    .where(kind.enabled, User.is_active, kind.due <= now)
                )
            ).one()
            due += int(count)
            if first is not None and (oldest is None or first < oldest):
                oldest = first
    return Backlog(due, oldest)
