"""Issue 12: a scheduler told to stop (SIGTERM) mid-dispatch leaves every row true.

What went out is `sent`; what was never tried stays `claimed` and the next run sends
it; nothing stays `sending`, and nobody gets a tip twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Delivery
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.dispatch import CUT_OFF
from scheduler.job import build_scheduler
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users, tips_sent_to

USERS = range(7600, 7900)


async def rows_by_user(db: async_sessionmaker[AsyncSession]) -> dict[int, Delivery]:
    async with db() as session:
        return {r.user_id: r for r in await session.scalars(select(Delivery))}


async def stop_when(
    reached: Callable[[], bool],
    settings: Settings,
    content: Content,
    db: async_sessionmaker[AsyncSession],
    within: float,
) -> None:
    """A tick of 300 tips at 50/s, told to stop once `reached()`."""
    paced = settings.model_copy(update={"tip_rate_per_second": 50})
    scheduler = await build_scheduler(paced, content, db, lambda: NINE_AMSTERDAM)
    try:
        tick = asyncio.create_task(scheduler.tick())
        for _ in range(600):
            if reached() or tick.done():
                break
            await asyncio.sleep(0.05)
        assert reached(), "the tick did not get that far"
        scheduler.stop(within=within)
        await asyncio.wait_for(tick, within + 5)
        assert not await scheduler.tick()  # stopped: it claims nothing more
    finally:
        await scheduler.close()


async def next_run(
    settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    fast = settings.model_copy(update={"tip_rate_per_second": 0})  # no limit: quick test
    restarted = await build_scheduler(
        fast, content, db, lambda: NINE_AMSTERDAM + timedelta(minutes=1)
    )
    try:
        await restarted.tick()
    finally:
        await restarted.close()


async def test_a_stop_mid_dispatch_records_the_sends_and_the_next_run_sends_the_rest(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    await stop_when(lambda: len(tips_sent_to(fake)) >= 100, settings, content, db, within=5)

    received = tips_sent_to(fake)
    assert 100 <= len(received) < len(USERS)
    rows = await rows_by_user(db)
    for user_id, row in rows.items():  # every row true: sent, or never tried
        assert row.status == ("sent" if user_id in received else "claimed"), row.status
        assert (row.attempted_at is None) == (row.status == "claimed")

    await next_run(settings, content, db)
    assert tips_sent_to(fake) == Counter({user: 1 for user in USERS})
    assert {r.status for r in (await rows_by_user(db)).values()} == {"sent"}


async def test_sends_still_hanging_at_the_deadline_are_unknown_and_never_sent_twice(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    fake.delay_next("sendMessage", 30, times=1000)  # Telegram stops answering
    hanging = settings.dispatch_concurrency // 2
    await stop_when(lambda: fake.state.in_flight >= hanging, settings, content, db, within=0.5)

    rows = await rows_by_user(db)
    cut_off = {user for user, row in rows.items() if row.status == "unknown"}
    assert 0 < len(cut_off) <= settings.dispatch_concurrency  # their HTTP call had begun
    assert {rows[user].detail for user in cut_off} == {CUT_OFF}
    assert {r.status for r in rows.values()} == {"unknown", "claimed"}

    fake.state.delays.clear()
    await next_run(settings, content, db)
    calls = Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage"))
    assert all(calls[user] == 1 for user in cut_off)  # the hanging attempt only: never again
    assert tips_sent_to(fake) == Counter({user: 1 for user in USERS if user not in cut_off})
    assert Counter(r.status for r in (await rows_by_user(db)).values()) == {
        "unknown": len(cut_off),
        "sent": len(USERS) - len(cut_off),
    }
