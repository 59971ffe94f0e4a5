"""RETENTION_DAYS: the tick deletes check-ins past it, at most once a day per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Checkin, User
from bot.settings import Settings
from scheduler.job import build_scheduler
from scheduler.tick import Scheduler
from tests.auxil.harness import FakeClock

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TODAY = NOON.date()


async def add_checkins(
    db: async_sessionmaker[AsyncSession], days_back: list[int], user_id: int = 1
) -> None:
    async with db.begin() as session:
        if await session.get(User, user_id) is None:
            session.add(User(telegram_id=user_id, chat_id=user_id, language="nl", timezone="UTC"))
            await session.flush()
        for back in days_back:
            day = TODAY - timedelta(days=back)
            session.add(
                Checkin(user_id=user_id, local_date=day, nrs=3, created_at=NOON, updated_at=NOON)
            )


async def stored_days(db: async_sessionmaker[AsyncSession]) -> list[date]:
    async with db() as session:
        return list(await session.scalars(select(Checkin.local_date).order_by(Checkin.local_date)))


@pytest.fixture
async def scheduler_keeping(
    request: pytest.FixtureRequest,
    settings: Settings,
    content: Content,
    db: async_sessionmaker[AsyncSession],
    clock: FakeClock,
) -> AsyncIterator[Scheduler]:
    """A scheduler with RETENTION_DAYS = the test's parameter (None: the default)."""
    kept = settings.model_copy(update={"retention_days": request.param})
    scheduler = await build_scheduler(kept, content, db, clock)
    yield scheduler
    await scheduler.close()


@pytest.mark.parametrize("scheduler_keeping", [30], indirect=True)
async def test_check_ins_past_retention_go_at_the_first_tick_then_once_a_day(
    scheduler_keeping: Scheduler, db: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    await add_checkins(db, [0, 29, 30, 31, 400])
    clock.set(NOON)
    assert (await scheduler_keeping.tick()).expired == 2  # 31 and 400 days ago
    assert await stored_days(db) == [TODAY - timedelta(days=d) for d in (30, 29, 0)]
    await add_checkins(db, [45], user_id=2)
    clock.set(NOON + timedelta(hours=23, minutes=59))
    assert (await scheduler_keeping.tick()).expired == 0  # not yet a day since the last pass
    assert len(await stored_days(db)) == 4
    clock.set(NOON + timedelta(days=1))
    assert (await scheduler_keeping.tick()).expired == 2  # the 45-day one, and day 30 aged out
    assert await stored_days(db) == [TODAY - timedelta(days=d) for d in (29, 0)]


@pytest.mark.parametrize("scheduler_keeping", [None], indirect=True)
async def test_without_retention_days_nothing_is_deleted(
    scheduler_keeping: Scheduler, db: async_sessionmaker[AsyncSession], clock: FakeClock
) -> None:
    await add_checkins(db, [0, 400, 4000])
    clock.set(NOON)
    assert (await scheduler_keeping.tick()).expired == 0
    assert len(await stored_days(db)) == 3
