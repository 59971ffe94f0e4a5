"""A scheduler killed mid-dispatch loses at most what was in flight, and says so truly.

The dispatcher runs as its own process (tests/auxil/scheduler_process.py) against the
fake Bot API in this one; it is killed with SIGKILL after about half the sends, and a
fresh scheduler takes over, as after a restart.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Delivery
from bot.settings import PROJECT_ROOT, Settings
from devtools.fakeapi import FakeTelegram
from scheduler.job import build_scheduler
from scheduler.ledger import open_rows_query
from scheduler.tick import Scheduler, TickReport
from tests.conftest import TOKEN
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users, tips_sent_to

USERS = range(7000, 7300)


async def kill_after_sends(
    fake: FakeTelegram, database_url: str, sends: int, now: datetime = NINE_AMSTERDAM
) -> None:
    """A scheduler tick at `now` (100 sends a second) as its own process, killed with
    SIGKILL once the fake has had `sends` sendMessage calls."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.auxil.scheduler_process",
        database_url,
        fake.base_url,
        fake.base_file_url,
        TOKEN,
        now.isoformat(),
        "100",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        reached = await fake.state.signal.wait_for(
            lambda: len(fake.calls_to("sendMessage")) >= sends, 60
        )
        assert reached, "the scheduler process did not get that far"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL  # killed, not finished


async def tick_as_leader(scheduler: Scheduler) -> TickReport:
    """A tick once this process is the leader: on PostgreSQL the killed process's
    session, and with it the lock, may take a moment to end."""
    for _ in range(100):
        report = await scheduler.tick()
        if scheduler.leading:
            return report
        await asyncio.sleep(0.05)
    raise AssertionError("never became the leader")


async def test_kill_9_halfway_through_300_tips_loses_at_most_the_ones_in_flight(
    fake: FakeTelegram,
    settings: Settings,
    content: Content,
    database_url: str,
    db: async_sessionmaker[AsyncSession],
) -> None:
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    await kill_after_sends(fake, database_url, 150)
    before_restart = tips_sent_to(fake)
    assert 150 <= sum(before_restart.values()) < len(USERS)

    restarted = await build_scheduler(
        settings, content, db, lambda: NINE_AMSTERDAM + timedelta(minutes=1)
    )
    try:
        report = await tick_as_leader(restarted)
    finally:
        await restarted.close()

    received = tips_sent_to(fake)
    in_flight = settings.dispatch_concurrency
    assert set(received.values()) == {1}  # nobody got two
    assert len(USERS) - len(received) <= in_flight  # who never got the day's tip
    async with db() as session:
        rows = {r.user_id: r for r in await session.scalars(select(Delivery))}
    assert set(rows) == set(USERS)  # one row each, and every row tells the truth:
    statuses = Counter(r.status for r in rows.values())
    assert set(statuses) <= {"sent", "unknown"}
    assert statuses["unknown"] == report.interrupted <= in_flight
    for user_id, row in rows.items():
        if row.status == "sent":
            assert received[user_id] == 1
    never_sent = [u for u in USERS if u not in received]
    assert all(rows[u].status == "unknown" for u in never_sent)
    assert report.resumed > 0 and report.resumed == report.sent  # the never-attempted ones


async def analyzed_plan(db: async_sessionmaker[AsyncSession], statement: Select[Any]) -> str:
    """The plan of `statement` after ANALYZE (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN)."""
    async with db.begin() as session:
        dialect = session.bind.dialect
        query = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        if dialect.name == "sqlite":
            await session.execute(text("ANALYZE"))
            rows = await session.execute(text(f"EXPLAIN QUERY PLAN {query}"))
            return " ".join(str(row[-1]) for row in rows)
        await session.execute(text("ANALYZE deliveries"))
        rows = await session.execute(text(f"EXPLAIN {query}"))
        return " ".join(str(row[0]) for row in rows)


async def test_the_per_tick_query_for_open_rows_reads_the_partial_index(
    db: async_sessionmaker[AsyncSession], fake: FakeTelegram
) -> None:
    """With statistics (ANALYZE), years of history must not make every tick read them."""
    await add_tip_users(db, fake, range(7400, 7401), NINE_AMSTERDAM)
    first = NINE_AMSTERDAM.date()
    history = [
        {
            "user_id": 7400,
            "kind": kind,
            "local_date": first - timedelta(days=day),
            "due_at": NINE_AMSTERDAM - timedelta(days=day),
            "status": "sent",
            "claimed_at": NINE_AMSTERDAM - timedelta(days=day),
        }
        for day in range(3000)
        for kind in ("tip", "checkin", "morning")
    ]
    history[0]["status"] = "claimed"
    async with db.begin() as session:
        await session.execute(insert(Delivery), history)
    plan = await analyzed_plan(db, open_rows_query(NINE_AMSTERDAM))
    assert "ix_deliveries_open" in plan, plan
    assert "SCAN deliveries" not in plan and "Seq Scan" not in plan, plan
