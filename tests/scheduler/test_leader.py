"""One sender per bot: two replicas on one PostgreSQL database, as real processes.

Each replica (tests/auxil/replica_process.py) ticks every half second against the
fake Bot API in this process; only the holder of the advisory lock sends. The send
times are the fake server's own record of when each sendMessage arrived.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OPEN_DELIVERIES, Delivery
from bot.settings import PROJECT_ROOT
from devtools.fakeapi import FakeTelegram
from scheduler.leader import lock_key
from tests.conftest import POSTGRES_URL, TOKEN
from tests.scheduler.test_scheduler import NINE_AMSTERDAM, add_tip_users, tips_sent_to

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="the leader is a PostgreSQL advisory lock; SQLite runs one scheduler"
)
USERS = range(8000, 8300)
RATE = 50.0
IN_FLIGHT = 16  # DISPATCH_CONCURRENCY's default
# The pacer allows the rate per 1.04 s (limiter.WINDOW); the fake, sharing this busy
# 2-core machine with both replicas, stamps arrivals a few milliseconds late at times,
# which can put one more into a second of its record.
JITTER = 1


@dataclass
class Replica:
    process: asyncio.subprocess.Process
    roles: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            word = line.decode().strip()
            if word in ("leader", "standby"):
                self.roles.append(word)

    @property
    def leading(self) -> bool:
        return bool(self.roles) and self.roles[-1] == "leader"


@asynccontextmanager
async def replicas(
    fake: FakeTelegram, database_url: str, count: int
) -> AsyncIterator[list[Replica]]:
    started: list[Replica] = []
    try:
        for _ in range(count):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.auxil.replica_process",
                database_url,
                fake.base_url,
                fake.base_file_url,
                TOKEN,
                NINE_AMSTERDAM.isoformat(),
                str(RATE),
                "0.5",
                cwd=PROJECT_ROOT,
                stdout=asyncio.subprocess.PIPE,
            )
            replica = Replica(process)
            replica.reader = asyncio.create_task(replica.read())
            started.append(replica)
        yield started
    finally:
        for replica in started:
            if replica.process.returncode is None:
                replica.process.kill()
            await replica.process.wait()
            if replica.reader is not None:
                await replica.reader


def busiest_second(times: Sequence[float]) -> int:
    """The most sends that arrived within any one second (a sliding window)."""
    ordered, most, first = sorted(times), 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def send_times(fake: FakeTelegram) -> list[float]:
    return [c.time for c in fake.calls_to("sendMessage") if c.ok]


async def settled(db: async_sessionmaker[AsyncSession], users: int) -> bool:
    """Every user has a row and none is open (claimed or sending)."""
    async with db() as session:
        rows = await session.scalar(select(func.count()).select_from(Delivery))
        still_open = await session.scalar(
            select(func.count()).select_from(Delivery).where(text(OPEN_DELIVERIES))
        )
    return rows == users and still_open == 0


async def wait_settled(db: async_sessionmaker[AsyncSession], users: int, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await settled(db, users):
        if loop.time() >= deadline:
            async with db() as session:
                found = (
                    await session.execute(
                        select(Delivery.status, func.count()).group_by(Delivery.status)
                    )
                ).all()
            raise AssertionError(f"the replicas did not finish: {found}")
        await asyncio.sleep(0.2)


async def test_two_replicas_send_each_tip_once_and_together_keep_the_rate(
    fake: FakeTelegram, database_url: str, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    async with replicas(fake, database_url, 2) as pair:
        await wait_settled(db, len(USERS), 60)
        roles = [replica.roles for replica in pair]
    received = tips_sent_to(fake)
    assert len(received) == len(USERS) and set(received.values()) == {1}
    assert sorted("leader" in r for r in roles) == [False, True], roles  # exactly one sent
    # Never more than the rate in any second (two processes each pacing at the rate
    # would come near twice that).
    assert busiest_second(send_times(fake)) <= RATE + JITTER


async def test_kill_9_the_leader_mid_dispatch_and_the_standby_finishes_within_the_bound(
    fake: FakeTelegram, database_url: str, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, USERS, NINE_AMSTERDAM)
    async with replicas(fake, database_url, 2) as pair:
        reached = await fake.state.signal.wait_for(
            lambda: len(fake.calls_to("sendMessage")) >= len(USERS) // 2, 60
        )
        assert reached, "the leader did not get that far"
        leader = next(replica for replica in pair if replica.leading)
        standby = next(replica for replica in pair if replica is not leader)
        os.kill(leader.process.pid, signal.SIGKILL)
        await leader.process.wait()
        await wait_settled(db, len(USERS), 60)
        assert standby.leading  # it took over
    received = tips_sent_to(fake)
    assert set(received.values()) == {1}  # nobody got two
    assert len(USERS) - len(received) <= IN_FLIGHT  # the loss bound
    async with db() as session:
        rows = {r.user_id: r for r in await session.scalars(select(Delivery))}
    statuses = Counter(r.status for r in rows.values())
    assert set(statuses) <= {"sent", "unknown"} and statuses["unknown"] <= IN_FLIGHT
    assert all(received[u] == 1 for u, r in rows.items() if r.status == "sent")
    assert all(rows[u].status == "unknown" for u in USERS if u not in received)
    assert busiest_second(send_times(fake)) <= RATE + JITTER


async def test_a_standby_takes_the_lock_once_the_leaders_connection_is_gone(
    database_url: str,
) -> None:
    from scheduler.leader import AdvisoryLockLeader

    first, second = (AdvisoryLockLeader(database_url, lock_key("42")) for _ in range(2))
    try:
        assert await first.lead() and not await second.lead()
        assert await first.lead()  # still the leader next tick (the lock is not stacked)
        await first.close()
        assert await second.lead() and not await first.lead()
    finally:
        await first.close()
        await second.close()
