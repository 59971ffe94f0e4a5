"""TIP_SPREAD_MINUTES on the real scheduler and fake Bot API: a peak starts early,
check-ins never do, and the once-a-day key still holds; the peak warning."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Consent, Delivery, Preferences
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.job import build_scheduler
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users, tips_sent_to

TIP_USERS = range(9300, 9600)
CHECKIN_USER = 9600


async def peak_at_nine(
    db: async_sessionmaker[AsyncSession], fake: FakeTelegram, c: Content
) -> None:
    """300 tips and one check-in, all due at 09:00 Amsterdam."""
    await add_tip_users(db, fake, TIP_USERS, NINE_AMSTERDAM)
    await add_tip_users(db, fake, range(CHECKIN_USER, CHECKIN_USER + 1), NINE_AMSTERDAM)
    async with db.begin() as session:
        session.add(
            Consent(user_id=CHECKIN_USER, text_version=c.privacy_version, agreed_at=NINE_AMSTERDAM)
        )
        await session.execute(
            update(Preferences)
            .where(Preferences.user_id == CHECKIN_USER)
            .values(  # as the settings screen stores it: tips off, no tip due
                tips_enabled=False,
                next_tip_at=None,
                checkin_enabled=True,
                next_checkin_at=NINE_AMSTERDAM,
            )
        )


async def test_a_peak_the_rate_cannot_send_in_time_starts_early_check_ins_never_do(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await peak_at_nine(db, fake, content)
    rated = settings.model_copy(update={"tip_rate_per_second": 100, "tip_spread_minutes": 30})
    clock = {"now": NINE_AMSTERDAM - timedelta(minutes=10)}
    scheduler = await build_scheduler(rated, content, db, lambda: clock["now"])
    try:
        # 10 minutes ahead, 300 tips at 100/s fit easily: nothing is early.
        assert (await scheduler.tick()).sent == 0
        # 2 seconds ahead they do not (about 200 fit): the tips start now ...
        clock["now"] = NINE_AMSTERDAM - timedelta(seconds=2)
        early = await scheduler.tick()
        assert early.sent == len(TIP_USERS)
        assert CHECKIN_USER not in tips_sent_to(fake)  # ... the check-in waits for 09:00
        clock["now"] = NINE_AMSTERDAM
        on_time = await scheduler.tick()
        assert on_time.sent == 1 and on_time.already_had_one == 0
        clock["now"] = NINE_AMSTERDAM + timedelta(minutes=5)
        assert not await scheduler.tick()
    finally:
        await scheduler.close()
    received = tips_sent_to(fake)
    assert set(received) == {*TIP_USERS, CHECKIN_USER} and set(received.values()) == {1}
    async with db() as session:
        rows = list(await session.scalars(select(Delivery).where(Delivery.kind == "tip")))
        nexts = set(
            await session.scalars(
                select(Preferences.next_tip_at).where(Preferences.user_id.in_(TIP_USERS))
            )
        )
    assert {(r.local_date, r.due_at, r.status) for r in rows} == {
        (NINE_AMSTERDAM.date(), NINE_AMSTERDAM, "sent")
    }  # the day's one slot is the due day's, whenever it went out
    assert nexts == {NINE_AMSTERDAM + timedelta(days=1)}


async def test_tomorrows_peak_is_computed_and_a_peak_that_does_not_fit_is_a_warning(
    fake: FakeTelegram,
    settings: Settings,
    content: Content,
    db: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await peak_at_nine(db, fake, content)
    slow = settings.model_copy(update={"tip_rate_per_second": 0.01, "tip_spread_minutes": 30})
    scheduler = await build_scheduler(
        slow, content, db, lambda: NINE_AMSTERDAM - timedelta(hours=8)
    )
    try:
        with caplog.at_level(logging.WARNING, logger="scheduler.tick"):
            await scheduler.tick()  # nothing due; the start-up check runs
        peak = await scheduler.peak_load()
    finally:
        await scheduler.close()
    # 0.01/s sends 72 in the 2-hour grace; the 300 tips may also take the 30-minute spread.
    assert (peak.minute, peak.due) == (NINE_AMSTERDAM, len(TIP_USERS) + 1)
    assert peak.would_miss == len(TIP_USERS) + 1 - 72 - 18
    assert [r.getMessage() for r in caplog.records] == [
        "scheduler: the peak does not fit in the grace: " + peak.describe()
    ]
