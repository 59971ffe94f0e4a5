"""Issue 13: the optional paid broadcast, over the real fake Bot API (strict: 429 above
30/s free or 1/s a chat) with a clock that runs with real time.

A peak that does not fit: 150 tips due at once, 10/s, a grace of 6 s (paid from 3 s
late). At the free rate about half would be missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from prometheus_client import generate_latest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import count_paid_broadcast
from bot.content import Content
from bot.db.models import Delivery
from bot.metrics import Metrics
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from devtools.fakeapi.strict import StrictLimits
from scheduler.job import build_scheduler
from scheduler.paid import paid_from
from scheduler.tick import TickReport
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users

PEAK = 150
GRACE = timedelta(seconds=6)
PAID_FROM = paid_from(GRACE)  # 3 s late
MISSED_AT_FREE_RATE = 20  # at least (measured: about 30)
CAP = 10  # fewer than would be missed: some are missed all the same


def running_clock(start: datetime) -> Callable[[], datetime]:
    """`start`, then on with real time (the lateness that decides is real)."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def peak_settings(settings: Settings, allowed: bool, cap: int) -> Settings:
    return settings.model_copy(
        update={
            "tip_rate_per_second": 10,
            "tip_grace_minutes": GRACE.total_seconds() / 60,
            "tip_spread_minutes": 0,
            "allow_paid_broadcast": allowed,
            "paid_broadcast_max_per_day": cap,
        }
    )


async def peak(
    fake: FakeTelegram,
    settings: Settings,
    content: Content,
    db: async_sessionmaker[AsyncSession],
    users: range,
    due: datetime,
    metrics: Metrics | None = None,
) -> TickReport:
    """`users` due at `due`; one scheduler (a process's life) ticks once from then."""
    await add_tip_users(db, fake, users, due)
    scheduler = await build_scheduler(settings, content, db, running_clock(due))
    if metrics is not None:
        count_paid_broadcast(scheduler, metrics)
    try:
        return await scheduler.tick()
    finally:
        await scheduler.close()


def paid_chats(fake: FakeTelegram) -> set[int]:
    calls = fake.calls_to("sendMessage")
    assert all(c.params.get("allow_paid_broadcast") in (None, True) for c in calls)
    return {int(c.params["chat_id"]) for c in calls if c.params.get("allow_paid_broadcast")}


def paid_sends(fake: FakeTelegram) -> int:
    return sum(bool(c.params.get("allow_paid_broadcast")) for c in fake.calls_to("sendMessage"))


async def rows(db: async_sessionmaker[AsyncSession], users: range) -> list[Delivery]:
    async with db() as session:
        query = select(Delivery).where(Delivery.user_id.in_(list(users)))
        return list(await session.scalars(query))


def strict(fake: FakeTelegram) -> StrictLimits:
    fake.state.strict = StrictLimits()
    return fake.state.strict


async def test_by_default_no_send_is_ever_paid_even_when_a_peak_is_missed(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    defaults = Settings.model_fields
    assert defaults["allow_paid_broadcast"].default is False
    assert defaults["paid_broadcast_max_per_day"].default == 0
    limits = strict(fake)
    off = peak_settings(settings, allowed=False, cap=1000)
    report = await peak(fake, off, content, db, range(8100, 8100 + PEAK), NINE_AMSTERDAM)
    assert report.missed >= MISSED_AT_FREE_RATE  # the peak did not fit
    assert report.sent + report.missed == PEAK
    capped = peak_settings(settings, allowed=True, cap=0)  # allowed, but a cap of 0: never
    later = NINE_AMSTERDAM + timedelta(hours=1)
    again = await peak(fake, capped, content, db, range(8300, 8300 + PEAK), later)
    assert again.missed >= MISSED_AT_FREE_RATE
    assert all("allow_paid_broadcast" not in c.params for c in fake.calls_to("sendMessage"))
    assert limits.refused == 0 and limits.paid == 0
    assert all(row.paid_at is None for row in await rows(db, range(8100, 8500)))


async def test_allowed_only_the_part_that_would_be_missed_is_paid_and_none_is_missed(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    limits = strict(fake)
    metrics = Metrics()
    users = range(8500, 8500 + PEAK)
    paying = peak_settings(settings, allowed=True, cap=1000)
    report = await peak(fake, paying, content, db, users, NINE_AMSTERDAM, metrics)
    assert (report.sent, report.missed) == (PEAK, 0)
    found = await rows(db, users)
    paid = [r for r in found if r.paid_at is not None]
    free = [r for r in found if r.paid_at is None]
    assert len(free) >= 20 and 0 < len(paid) < PEAK - 20  # the first ~3 s at 10/s went free
    for row in paid:  # only sends at risk were paid ...
        assert row.paid_at is not None and row.paid_at - row.due_at >= PAID_FROM
    for row in free:  # ... and every send in time at the free rate was free
        assert row.attempted_at is not None and row.attempted_at - row.due_at < PAID_FROM
    assert paid_chats(fake) == {r.user_id for r in paid}
    assert limits.refused == 0 and limits.paid == len(paid)  # 0 × 429, 1/s a chat kept
    exposed = generate_latest(metrics.registry).decode()
    assert f"spasmbot_scheduler_paid_sends_total {float(len(paid))}" in exposed
    assert "spasmbot_scheduler_paid_capped_total 0.0" in exposed


async def test_the_cap_is_never_exceeded_and_holds_across_a_restart(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    limits = strict(fake)
    capped = peak_settings(settings, allowed=True, cap=CAP)
    first, second, next_day = range(8700, 8850), range(8900, 9050), range(9100, 9250)
    report = await peak(fake, capped, content, db, first, NINE_AMSTERDAM)
    assert report.missed > 0 and report.sent + report.missed == PEAK
    assert sum(r.paid_at is not None for r in await rows(db, first)) == CAP  # the cap, exactly
    assert len(paid_chats(fake)) == CAP

    # A restart the same day (a new scheduler, as a new process): the day's CAP are spent.
    later = NINE_AMSTERDAM + timedelta(hours=3)
    metrics = Metrics()
    again = await peak(fake, capped, content, db, second, later, metrics)
    assert again.missed >= MISSED_AT_FREE_RATE
    assert all(r.paid_at is None for r in await rows(db, second))
    assert len(paid_chats(fake)) == CAP
    assert (
        "spasmbot_scheduler_paid_capped_total 0.0" not in generate_latest(metrics.registry).decode()
    )

    # The next day (UTC) has a cap of its own (everyone above is due again then, too).
    tomorrow = NINE_AMSTERDAM + timedelta(days=1)
    await peak(fake, capped, content, db, next_day, tomorrow)
    paid_rows = [r for r in await rows(db, range(8700, 9250)) if r.paid_at is not None]
    assert sum(r.local_date == tomorrow.date() for r in paid_rows) == CAP
    assert len(paid_rows) == paid_sends(fake) == 2 * CAP
    assert limits.refused == 0
