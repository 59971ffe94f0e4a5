"""A broadcast whose scheduler is killed (SIGKILL) halfway: after the restart nobody has
it twice, the rest still get it, and the admin's counts tell the truth.

As tests/scheduler/test_crash.py, with a broadcast instead of tips: the scheduler runs
as its own process (tests/auxil/scheduler_process.py) against the fake Bot API here.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Broadcast, Delivery
from bot.services import broadcasts
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.job import build_scheduler
from scheduler.tick import TickReport
from tests.handlers.test_broadcast import broadcasts_to, seed_users
from tests.scheduler.test_crash import kill_after_sends, tick_as_leader
from tests.scheduler.test_scheduler import NINE_AMSTERDAM

USERS = range(7500, 7800)
ADMIN = USERS[0]  # the admin is one of the 300 and gets the broadcast too
STARTED = NINE_AMSTERDAM + timedelta(minutes=1)


async def queue_broadcast(db: async_sessionmaker[AsyncSession]) -> int:
    """What the admin's /broadcast, two texts and ✅ Versturen store (at 100/s)."""
    draft = await broadcasts.start_draft(db, ADMIN, "Even uit", NINE_AMSTERDAM)
    await broadcasts.add_english(db, ADMIN, "Off for a while")
    view, queued = await broadcasts.confirm(db, draft, NINE_AMSTERDAM, 100.0)
    assert queued and view is not None and view.recipients == len(USERS)
    return draft


async def test_kill_9_halfway_through_a_broadcast_to_300_sends_nobody_a_second_one(
    fake: FakeTelegram,
    settings: Settings,
    content: Content,
    database_url: str,
    db: async_sessionmaker[AsyncSession],
) -> None:
    await seed_users(db, fake, USERS)
    broadcast_id = await queue_broadcast(db)
    await kill_after_sends(fake, database_url, 150, now=STARTED)
    assert 150 <= sum(broadcasts_to(fake).values()) < len(USERS)

    moments = iter([STARTED + timedelta(minutes=1), STARTED + timedelta(minutes=2)])
    now = next(moments)
    restarted = await build_scheduler(settings, content, db, lambda: now)
    try:
        report = await tick_as_leader(restarted)
        received = broadcasts_to(fake)
        now = next(moments)
        await restarted.tick()  # the counts for the admin
        assert await restarted.tick() == TickReport()
    finally:
        await restarted.close()

    in_flight = settings.dispatch_concurrency
    assert set(received.values()) == {1}  # nobody got two
    assert len(USERS) - len(received) <= in_flight  # only those in flight got none
    assert report.interrupted <= in_flight and report.sent > 0
    async with db() as session:
        rows = {
            r.user_id: r.status
            for r in await session.scalars(
                select(Delivery).where(Delivery.kind == f"broadcast:{broadcast_id}")
            )
        }
        broadcast = await session.get(Broadcast, broadcast_id)
        assert broadcast is not None and broadcast.state == "done"
    assert set(rows) == set(USERS)  # one row each, and each tells the truth
    sent = {u for u, status in rows.items() if status == "sent"}
    unknown = {u for u, status in rows.items() if status == "unknown"}
    assert sent <= set(received) and set(received) - sent <= unknown  # in flight at the kill
    assert len(unknown) == report.interrupted and set(rows.values()) <= {"sent", "unknown"}
    counts = fake.last_message(ADMIN).text
    assert counts.startswith(f"📣 Bericht {broadcast_id} is klaar (300 ontvangers)")
    assert f"Verstuurd: {len(sent)}\n" in counts
    assert f"Onzeker (misschien aangekomen): {len(unknown)}" in counts
