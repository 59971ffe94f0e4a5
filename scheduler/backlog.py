"""How far behind the scheduler is: messages due and not yet claimed, and how late the
oldest of them is. For the operator (/stats, metrics); plain counts, no one's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from scheduler.claims import ScheduledKind


@dataclass(frozen=True)
class Backlog:
    due: int  # messages due now and not claimed yet, over every kind
    oldest: datetime | None  # when the oldest of them fell due

    def lag(self, now: datetime) -> timedelta:
        """Now minus the oldest due time: zero when nothing waits."""
        return max(timedelta(0), now - self.oldest) if self.oldest else timedelta(0)


async def due_by_kind(
    session: AsyncSession, kinds: Sequence[ScheduledKind], now: datetime
) -> dict[str, tuple[int, datetime | None]]:
    """Per kind: how many are due now and not claimed, and the oldest due time. Each kind
    is counted in its own table (preferences, or appointments)."""
    found = {}
    for kind in kinds:
        first, count = (
            await session.execute(
                select(func.min(kind.due), func.count(kind.due))
                .join(User, User.telegram_id == kind.user_id)
                .where(kind.enabled, User.is_active, kind.due <= now)
            )
        ).one()
        found[kind.name] = (int(count), first)
    return found


async def backlog(
    sessionmaker: async_sessionmaker[AsyncSession], kinds: Sequence[ScheduledKind], now: datetime
) -> Backlog:
    async with sessionmaker() as session:
        per_kind = await due_by_kind(session, kinds, now)
    firsts = [first for _, first in per_kind.values() if first is not None]
    return Backlog(sum(count for count, _ in per_kind.values()), min(firsts, default=None))
