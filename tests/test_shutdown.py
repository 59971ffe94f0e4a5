"""Issue 12: SIGTERM during a dispatch of 300 tips loses nothing and exits 0 in time.

`spasmbot run` (long polling) runs as its own process against the fake Bot API in this
one; users' messages are in flight (their replies held back by the fake) when SIGTERM
comes. After the exit: every update the bot confirmed to Telegram was answered, no
delivery is `sending`, every `claimed` one was never tried, and a restart sends the
rest without a duplicate.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery
from devtools.fakeapi import FakeTelegram
from tests.conftest import free_port
from tests.scheduler.test_scheduler import add_tip_users, tips_sent_to
from tests.test_startup import (
    operator_env,  # noqa: F401 - a fixture
    start_spasmbot_run,
)

TIP_USERS = range(7900, 8200)
TALKERS = range(8300, 8305)
TIMEOUT = 10  # SHUTDOWN_TIMEOUT_SECONDS


def tips(fake: FakeTelegram) -> Counter[int]:
    return Counter({user: n for user, n in tips_sent_to(fake).items() if user in TIP_USERS})


async def start_bot(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeTelegram,
    database_url: str,
    *,
    shutdown_timeout: float = TIMEOUT,
    health: int = 0,
) -> asyncio.subprocess.Process:
    """`spasmbot run` (polling) with 20 scheduled sends a second and a tick every second."""
    monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
    monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", fake.base_file_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SCHEDULER_TICK_SECONDS", "1")
    monkeypatch.setenv("TIP_RATE_PER_SECOND", "20")
    monkeypatch.setenv("SHUTDOWN_TIMEOUT_SECONDS", str(shutdown_timeout))
    monkeypatch.setenv("HEALTH_PORT", str(health))
    return await start_spasmbot_run()


async def test_sigterm_mid_dispatch_finishes_what_is_in_flight_and_loses_nothing(
    operator_env: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeTelegram,
    database_url: str,
    db: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime.now(UTC)
    await add_tip_users(db, fake, TIP_USERS, now - timedelta(seconds=30))
    talkers = [fake.add_user(user_id, "Anna", "nl") for user_id in TALKERS]
    process = await start_bot(monkeypatch, fake, database_url)
    try:
        reached = await fake.state.signal.wait_for(lambda: len(tips(fake)) >= 60, 60)
        assert reached, "the bot did not start sending tips"
        for talker in talkers:
            fake.delay_next("sendMessage", 2, chat_id=talker.id)  # replies in flight
            await fake.send_text(talker, "/start")
        confirmed = await fake.state.signal.wait_for(lambda: not fake.pending_updates, 10)
        assert confirmed, "the bot did not fetch the messages"
    finally:
        process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        out, err = await asyncio.wait_for(process.communicate(), timeout=TIMEOUT + 20)
    took = time.monotonic() - stopping
    assert process.returncode == 0, err.decode()[-2000:]
    assert took < TIMEOUT + 3, took  # the timeout, and the start of Python's exit
    assert "Traceback" not in (out + err).decode()

    # Every message the bot confirmed to Telegram was answered before it exited.
    for talker in talkers:
        assert fake.chat_messages(talker.id)[0].text.startswith("Hallo")
    replies = {talker.id: len(fake.chat_messages(talker.id)) for talker in talkers}
    # No delivery is `sending`; what was not sent was never tried.
    received = tips(fake)
    assert 60 <= len(received) < len(TIP_USERS)
    async with db() as session:
        rows = {r.user_id: r for r in await session.scalars(select(Delivery))}
    for user_id, row in rows.items():
        assert row.status == ("sent" if user_id in received else "claimed"), row.status

    # The next start sends the rest, once each.
    restarted = await start_bot(monkeypatch, fake, database_url)
    try:
        done = await fake.state.signal.wait_for(lambda: len(tips(fake)) == len(TIP_USERS), 60)
        assert done, f"only {len(tips(fake))} tips after the restart"
    finally:
        restarted.send_signal(signal.SIGTERM)
        await asyncio.wait_for(restarted.communicate(), timeout=TIMEOUT + 20)
    assert restarted.returncode == 0
    assert replies == {talker.id: len(fake.chat_messages(talker.id)) for talker in talkers}
    assert tips(fake) == Counter({user: 1 for user in TIP_USERS})


async def test_a_handler_that_hangs_is_cut_off_at_the_timeout_and_readyz_says_stopping(
    operator_env: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeTelegram,
    database_url: str,
) -> None:
    """Telegram stops answering a reply: the stop still ends within the timeout, with
    a warning, and meanwhile /readyz tells the load balancer to send nothing more."""
    health = free_port()
    anna = fake.add_user(8400, "Anna", "nl")
    process = await start_bot(monkeypatch, fake, database_url, shutdown_timeout=4, health=health)
    try:
        await fake.wait_for_call("getUpdates", timeout=60)
        fake.delay_next("sendMessage", 60, chat_id=anna.id)
        await fake.send_text(anna, "/start")
        confirmed = await fake.state.signal.wait_for(lambda: not fake.pending_updates, 10)
        assert confirmed, "the bot did not fetch the message"
    finally:
        process.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
    async with httpx.AsyncClient() as client:
        for _ in range(40):  # the signal reaches the bot's loop in a moment
            ready = await client.get(f"http://127.0.0.1:{health}/readyz")
            if ready.status_code != 200:
                break
            await asyncio.sleep(0.05)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    took = time.monotonic() - stopping
    assert process.returncode == 0, err.decode()[-2000:]
    assert (ready.status_code, ready.json()["reason"]) == (503, "stopping")
    assert took < 4 + 3, took
    assert "SHUTDOWN_TIMEOUT_SECONDS=4" in err.decode()
    assert "Traceback" not in (out + err).decode()
