"""The planner's per-minute counts, kept between ticks (`scheduler.peak.DueAhead`), and
the per-tick share-out query: both cheap at a million users, and still right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences
from devtools.fakeapi import FakeTelegram
from scheduler.appointment_claims import APPOINTMENTS
from scheduler.claims import due_times, due_times_query
from scheduler.peak import DueAhead, per_minute
from scheduler.tick import SCHEDULED
from tests.conftest import POSTGRES_URL
from tests.scheduler.test_crash import analyzed_plan
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users

USERS = range(9700, 9760)
SPREAD = timedelta(minutes=30)


async def spread_tips(db: async_sessionmaker[AsyncSession], fake: FakeTelegram) -> None:
    """60 users, a tip due every 37 seconds from 08:40 Amsterdam on."""
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    async with db.begin() as session:
        for n, user in enumerate(USERS):
            due = NINE_AMSTERDAM - timedelta(minutes=20) + timedelta(seconds=37 * n)
            await session.execute(
                update(Preferences).where(Preferences.user_id == user).values(next_tip_at=due)
            )


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=12))
async def test_counts_topped_up_tick_by_tick_equal_a_count_from_scratch(
    db: async_sessionmaker[AsyncSession], fake: FakeTelegram, steps: list[int]
) -> None:
    async with db() as session:
        if not await due_times(session, [(SCHEDULED[0], NINE_AMSTERDAM + SPREAD * 2)], 1):
            await spread_tips(db, fake)
        ahead, now = DueAhead(SPREAD), NINE_AMSTERDAM - timedelta(minutes=45)
        for step in steps:  # ticks some seconds apart, as the clock moves on
            now += timedelta(seconds=step)
            kept = dict(await ahead.upcoming(session, SCHEDULED, now))
            scratch = await per_minute(session, SCHEDULED, now, now + SPREAD)
            assert set(kept) == {latest for _, latest in scratch.values()}
            for count, latest in scratch.values():
                if latest - now < timedelta(minutes=1):  # the minute now is in: its past
                    assert kept[latest] >= count  # part is still counted (an upper bound)
                else:
                    assert kept[latest] == count


async def test_the_share_out_query_walks_the_due_index_when_nobody_has_an_appointment(
    db: async_sessionmaker[AsyncSession], fake: FakeTelegram
) -> None:
    """With statistics and an empty appointments table, the per-tick count of due
    appointment reminders must not read every user (it did, with a join, on SQLite).
    PostgreSQL reads a table this small whole whatever the query (its plans at 1M users
    are in docs/performance.md)."""
    if POSTGRES_URL:
        pytest.skip("SQLite's plan; PostgreSQL scans tables this small in any case")
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    async with db() as session:
        assert await due_times(session, [(APPOINTMENTS, NINE_AMSTERDAM)], 10) == []
    plan = await analyzed_plan(db, due_times_query(APPOINTMENTS, NINE_AMSTERDAM, 10))
    assert "SCAN users" not in plan and "Seq Scan on users" not in plan, plan
