"""The sandbox's clock: real time plus an offset that only moves forward.

The bot takes its clock by injection (`build_application(..., clock=...)`), so the
sandbox can jump to the next scheduled tip without any code path of its own in the bot.

The offset itself is not stored anywhere: at start (`SandboxClock.resume`) the clock is
set to no earlier than the latest moment the database records (a user seen, a scheduled
message claimed or finished, a check-in, a consent, a tip rating). So after jumps and a
restart, what was stored is never in the clock's future, whatever the database is.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin, Consent, Delivery, TipFeedback, User
from bot.db.session import create_engine, create_sessionmaker
from scheduler.tick import SCHEDULED

# Moments something happened (written with the bot's clock); schedule columns such as
# next_tip_at are left out, they lie in the future by design.
HAPPENED_AT = (
    User.last_seen_at,
    User.created_at,
    Delivery.claimed_at,
    Delivery.finished_at,
    Checkin.updated_at,
    Consent.agreed_at,
    TipFeedback.given_at,
)


class SandboxClock:
    """Callable like `utc_now`; `advance_to` moves it forward, never back."""

    def __init__(self, start: datetime | None = None) -> None:
        """Real time, or `start` if that is later (the clock then runs on from there)."""
        self.offset = timedelta(0)
        if start is not None:
            self.advance_to(start)

    @classmethod
    async def resume(cls, database_url: str) -> SandboxClock:
        """A clock that starts no earlier than the latest moment stored in the database."""
        engine = create_engine(database_url)
        try:
            latest = await latest_stored(create_sessionmaker(engine))
        finally:
            await engine.dispose()
        return cls(latest)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance_to(self, instant: datetime) -> bool:
        """Makes now == `instant` if that is later than now; True if the clock moved."""
        gap = instant - self()
        if gap <= timedelta(0):
            return False
        self.offset += gap
        return True


def _utc(value: datetime | str) -> datetime:
    """min()/max() bypass UTCDateTime: SQLite hands back a naive UTC value (or its text)."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


async def latest_stored(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The latest moment anything in the database happened at, if anything did."""
    found: list[datetime] = []
    async with sessionmaker() as session:
        for column in HAPPENED_AT:
            latest = await session.scalar(select(func.max(column)))
            if latest is not None:
                found.append(_utc(latest))
    return max(found, default=None)


async def next_scheduled_tip(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """The earliest moment anything the scheduler sends is due (every kind in SCHEDULED:
    daily tip, evening check-in, "Later", morning question, appointment reminders)."""
    found: list[datetime] = []
    async with sessionmaker() as session:
        for kind in SCHEDULED:
            earliest = await session.scalar(
                select(func.min(kind.due))
                .join(User, User.telegram_id == kind.user_id)
                .where(kind.enabled, User.is_active)
            )
            if earliest is not None:
                found.append(_utc(earliest))
    return min(found, default=None)
