"""The sandbox's clock: real time plus an offset that only moves forward.

The bot takes its clock by injection (`build_application(..., clock=...)`), so the
sandbox can jump to the next scheduled tip without any code path of its own in the bot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences


class SandboxClock:
    """Callable like `utc_now`; `advance_to` moves it forward, never back."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance_to(self, instant: datetime) -> bool:
        """Makes now == `instant` if that is later than now; True if the clock moved."""
        gap = instant - self()
        if gap <= timedelta(0):
            return False
        self.offset += gap
        return True


async def next_scheduled_tip(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The earliest moment anything scheduled is due: a daily tip, an evening check-in,
    a check-in postponed with "Later", or the morning question."""
    due_columns = [
        (Preferences.next_tip_at, Preferences.tips_enabled),
        (Preferences.next_checkin_at, Preferences.checkin_enabled),
        (Preferences.checkin_later_at, Preferences.checkin_enabled),
        (Preferences.next_morning_at, Preferences.morning_enabled),
    ]
    found: list[datetime] = []
    async with sessionmaker() as session:
        for column, enabled in due_columns:
            earliest = await session.scalar(select(func.min(column)).where(enabled))
            if earliest is not None:
                # min() bypasses UTCDateTime: SQLite hands back a naive UTC value
                found.append(earliest if earliest.tzinfo else earliest.replace(tzinfo=UTC))
    return min(found, default=None)
