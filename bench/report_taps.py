"""Menu taps while another user's /export renders, against the same taps with nothing
rendering (measured in the same run). Part of `python -m bench.report_bench`.

The real bot long-polls an in-process fake Bot API on 127.0.0.1 with a SQLite file; one
user has 365 days of check-ins and asks /export again and again while a second user
taps between a topic and the main menu. Latency is measured by the fake server, from
queueing the tap to receiving the bot's answer to it.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from bot.app import build_application, running
from bot.db.crypto import Keyring
from bot.db.migrate import upgrade
from bot.db.models import Checkin
from bot.db.session import create_engine, create_sessionmaker
from bot.domain.insights import DayRecord
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram, FakeUser
from devtools.fakeapi.models import RecordedCall
from tests.conftest import ENCRYPTION_KEY, TOKEN

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()


async def _seed(url: str, user_id: int, records: list[DayRecord]) -> None:
    engine = create_engine(url, Keyring([ENCRYPTION_KEY]))
    async with create_sessionmaker(engine).begin() as session:
        for r in records:
            session.add(
                Checkin(
                    user_id=user_id,
                    local_date=r.day,
                    nrs=r.nrs,
                    night=r.night,
                    triggers=r.triggers,
                    note=r.note,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
    await engine.dispose()


async def _taps(fake: FakeTelegram, user: FakeUser, message_id: int, count: int) -> list[float]:
    latencies = []
    for i in range(count):
        mark = len(fake.state.calls)
        started = time.monotonic()  # the clock the fake server stamps its calls with
        data = "1|t|what" if i % 2 == 0 else "1|t|main"
        query_id = await fake.tap(user, message_id, callback_data=data)

        def answers_it(call: RecordedCall, query: str = query_id) -> bool:
            return str(call.params.get("callback_query_id")) == query

        call = await fake.wait_for_call("answerCallbackQuery", answers_it, 10, after=mark)
        latencies.append((call.time - started) * 1000)
        await asyncio.sleep(0.05)
    return latencies


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


async def taps_during_exports(records: list[DayRecord], taps: int = 40) -> dict[str, float]:
    """p50 and p95 of tap latency, idle and while /export renders, in milliseconds."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        await _migrate(url)
        async with FakeTelegram(token=TOKEN, bot_username="spasmbot_bench_bot") as fake:
            reader, tapper = fake.add_user(1, "Anna", "nl"), fake.add_user(2, "Bram", "nl")
            settings = Settings(
                telegram_bot_token=SecretStr(TOKEN),
                telegram_base_url=fake.base_url,
                telegram_base_file_url=fake.base_file_url,
                database_url=url,
                encryption_key=SecretStr(ENCRYPTION_KEY),
                scheduler_tick_seconds=0,
                reply_burst_per_chat=1000,  # the taps measure the bot, not the reply pacing
                operator_name="Bench",
                operator_contact="bench@example.invalid",
                _env_file=None,  # type: ignore[call-arg]
            )
            application = build_application(settings, clock=lambda: NOW)
            async with running(application, poll_timeout=1):
                for user in (reader, tapper):
                    mark = len(fake.state.calls)
                    await fake.send_text(user, "/menu")
                    await fake.wait_for_call("sendMessage", after=mark)
                await _seed(url, 1, [r for r in records if r.day <= NOW.date()])
                menu = fake.last_message(2)
                idle = await _taps(fake, tapper, menu.message_id, taps)
                exports = asyncio.create_task(_export_forever(fake, reader))
                busy = await _taps(fake, tapper, menu.message_id, taps)
                exports.cancel()
                await asyncio.gather(exports, return_exceptions=True)
    return {
        "idle_p50": statistics.median(idle),
        "idle_p95": p95(idle),
        "busy_p50": statistics.median(busy),
        "busy_p95": p95(busy),
    }


async def _export_forever(fake: FakeTelegram, user: FakeUser) -> None:
    while True:
        mark = len(fake.state.calls)
        await fake.send_text(user, "/export")
        first = await fake.wait_for_call("sendDocument", after=mark, timeout=30)
        await fake.wait_for_call("sendDocument", after=fake.state.calls.index(first) + 1)
