"""The scheduler's promises: on time, at most once a day, no stale bursts, faults contained."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Delivery, Preferences, User
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.job import build_scheduler
from scheduler.leader import AlwaysLeader
from scheduler.ledger import Ledger
from scheduler.tick import TickReport, claim_size
from scheduler.tip_claims import TIPS
from tests.auxil.harness import BotHarness
from tests.conftest import POSTGRES_URL

NINE_AMSTERDAM = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


async def add_tip_users(
    db: async_sessionmaker[AsyncSession], fake: FakeTelegram, ids: range, due: datetime
) -> None:
    """Users who chose tips at 09:00 Amsterdam, due at `due` (as the settings menu stores it)."""
    async with db.begin() as session:
        for user_id in ids:
            fake.add_user(user_id=user_id, first_name="U", language_code="nl")
            session.add(
                User(
                    telegram_id=user_id,
                    chat_id=user_id,
                    language="nl",
                    timezone="Europe/Amsterdam",
                    created_at=due,
                    last_seen_at=due,
                    is_active=True,
                )
            )
        await session.flush()  # users first: preferences refer to them
        for user_id in ids:
            session.add(
                Preferences(
                    user_id=user_id,
                    tips_enabled=True,
                    tip_minute=540,
                    tip_days=127,
                    tip_tags_off=frozenset(),
                    silent=False,
                    told_no_tips=False,
                    next_tip_at=due,
                )
            )


async def deliveries(db: async_sessionmaker[AsyncSession]) -> list[tuple[int, str, str | None]]:
    async with db() as session:
        rows = await session.scalars(select(Delivery).order_by(Delivery.user_id))
        return [(r.user_id, r.status, r.detail) for r in rows]


def tips_sent_to(fake: FakeTelegram) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage") if c.ok)


async def test_after_downtime_late_tips_within_grace_are_sent_older_ones_missed(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, harness.fake, range(5001, 5002), NINE_AMSTERDAM)
    await add_tip_users(db, harness.fake, range(5002, 5003), NINE_AMSTERDAM - timedelta(hours=1))
    report = await harness.tick_at(NINE_AMSTERDAM + timedelta(minutes=90))
    assert (report.sent, report.missed) == (1, 1)
    assert [(u, s) for u, s, _ in await deliveries(db)] == [(5001, "sent"), (5002, "missed")]
    assert tips_sent_to(harness.fake) == {5001: 1}
    # Both are back on schedule the next morning.
    assert (await harness.tick_at(NINE_AMSTERDAM + timedelta(days=1))).sent == 2


async def test_claims_a_crash_left_unattempted_are_sent_once_and_in_flight_ones_never_again(
    harness: BotHarness, db: async_sessionmaker[AsyncSession], content: Content
) -> None:
    await add_tip_users(db, harness.fake, range(5011, 5015), NINE_AMSTERDAM)
    batch = await TIPS.claim(
        TIPS, db, content, NINE_AMSTERDAM, timedelta(hours=2), 500, NINE_AMSTERDAM
    )
    assert len(batch.claims) == 4  # claimed and committed ...
    in_flight = batch.claims[0]
    await Ledger(db, lambda: NINE_AMSTERDAM).start([in_flight])  # ... one handed to Telegram
    # ... then the process dies. After the restart:
    report = await harness.tick_at(NINE_AMSTERDAM + timedelta(minutes=1))
    assert (report.resumed, report.sent, report.interrupted) == (3, 3, 1)
    rows = {u: (s, d) for u, s, d in await deliveries(db)}
    assert rows[in_flight.user_id] == ("unknown", "interrupted while sending")
    others = {u for u in range(5011, 5015) if u != in_flight.user_id}
    assert tips_sent_to(harness.fake) == dict.fromkeys(others, 1)
    assert (await harness.tick_at(NINE_AMSTERDAM + timedelta(minutes=15))) == TickReport()
    assert in_flight.user_id not in tips_sent_to(harness.fake)


async def test_claims_a_crash_left_past_the_grace_are_missed_not_sent(
    harness: BotHarness, db: async_sessionmaker[AsyncSession], content: Content
) -> None:
    await add_tip_users(db, harness.fake, range(5016, 5018), NINE_AMSTERDAM)
    await TIPS.claim(TIPS, db, content, NINE_AMSTERDAM, timedelta(hours=2), 500, NINE_AMSTERDAM)
    report = await harness.tick_at(NINE_AMSTERDAM + timedelta(hours=3))
    assert (report.resumed, report.missed, report.sent) == (0, 2, 0)
    assert {s for _, s, _ in await deliveries(db)} == {"missed"}
    assert tips_sent_to(harness.fake) == {}


async def test_429_waits_403_deactivates_5xx_retries_and_others_still_get_theirs(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, harness.fake, range(5021, 5025), NINE_AMSTERDAM)
    harness.scheduler.dispatcher.sender.backoff_seconds = 0.01
    harness.fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=5021)
    # (fail_next, not block(): block() also sends my_chat_member, which may arrive first)
    harness.fake.fail_next(
        "sendMessage",
        status=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=5022,
    )
    harness.fake.fail_next("sendMessage", status=500, times=5, chat_id=5023)
    report = await harness.tick_at(NINE_AMSTERDAM)
    assert (report.sent, report.failed) == (2, 2)
    rows = {u: (s, d) for u, s, d in await deliveries(db)}
    assert rows[5021][0] == "sent" and rows[5024][0] == "sent"
    assert rows[5022] == ("failed", "Forbidden: bot was blocked by the user")
    assert rows[5023][0] == "failed" and "NetworkError" in (rows[5023][1] or "")
    async with db() as session:
        blocked = await session.get(User, 5022)
        assert blocked is not None and blocked.is_active is False
    # A blocked user gets nothing more until they write again.
    assert (await harness.tick_at(NINE_AMSTERDAM + timedelta(days=1))).sent == 3
    assert 5022 not in tips_sent_to(harness.fake)


async def test_a_timed_out_send_is_recorded_as_unknown_and_never_resent(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, range(5041, 5043), NINE_AMSTERDAM)
    impatient = settings.model_copy(update={"dispatch_timeout_seconds": 0.3})
    scheduler = await build_scheduler(impatient, content, db, lambda: NINE_AMSTERDAM)
    fake.delay_next("sendMessage", 1.0, chat_id=5041)
    try:
        report = await scheduler.tick()
        assert (report.sent, report.unknown) == (1, 1)
        assert fake.chat_messages(5041)  # Telegram did deliver it ...
        rows = {u: (s, d) for u, s, d in await deliveries(db)}
        assert rows[5041] == ("unknown", "timed out: may have been delivered")
        await scheduler.tick()  # ... so it is not sent again
        assert len(fake.chat_messages(5041)) == 1
    finally:
        await scheduler.close()


async def test_nine_stays_nine_across_the_spring_dst_change(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    saturday_nine = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)  # 09:00 CET
    await add_tip_users(db, harness.fake, range(5031, 5032), saturday_nine)
    assert (await harness.tick_at(saturday_nine)).sent == 1
    assert (await harness.tick_at(datetime(2026, 3, 29, 6, 59, tzinfo=UTC))).sent == 0
    assert (await harness.tick_at(datetime(2026, 3, 29, 7, 0, tzinfo=UTC))).sent == 1  # 09:00 CEST


@pytest.mark.skipif(
    not POSTGRES_URL, reason="two scheduler processes on one database need PostgreSQL"
)
@pytest.mark.parametrize("with_leader", [True, False], ids=["leader", "claims-alone"])
async def test_two_schedulers_on_one_postgres_send_each_of_1000_tips_once(
    fake: FakeTelegram,
    settings: Settings,
    content: Content,
    database_url: str,
    db: async_sessionmaker[AsyncSession],
    with_leader: bool,
) -> None:
    """With the leader lock one of them sends everything; without it (as during a
    leader change) the claims alone still give everyone exactly one."""
    await add_tip_users(db, fake, range(100_000, 101_000), NINE_AMSTERDAM)
    fast = settings.model_copy(update={"tip_rate_per_second": 0, "scheduler_batch_size": 100})
    engines = [create_engine(database_url) for _ in range(2)]
    schedulers = [
        await build_scheduler(fast, content, create_sessionmaker(e), lambda: NINE_AMSTERDAM)
        for e in engines
    ]
    if not with_leader:
        for scheduler in schedulers:
            scheduler.leader = AlwaysLeader()
    try:
        reports = await asyncio.gather(*(s.tick() for s in schedulers))
    finally:
        for scheduler, engine in zip(schedulers, engines, strict=True):
            await scheduler.close()
            await engine.dispose()
    assert sum(r.sent for r in reports) == 1000
    if with_leader:
        assert sorted(s.leading for s in schedulers) == [False, True]
        assert sorted(r.sent for r in reports) == [0, 1000]
    else:
        assert all(r.sent > 0 for r in reports)  # they really shared the work
    sent = tips_sent_to(fake)
    assert len(sent) == 1000 and set(sent.values()) == {1}


def test_claims_hold_about_four_seconds_of_sends_at_most_the_batch_size() -> None:
    assert claim_size(25, 500) == 100
    assert claim_size(10, 500) == 40
    assert claim_size(0.1, 500) == 1
    assert claim_size(1000, 500) == 500  # SCHEDULER_BATCH_SIZE stays the upper limit
    assert claim_size(0, 500) == 500  # no rate limit (benchmarks)
