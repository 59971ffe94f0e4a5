"""One benchmark phase in its own process (so its peak RSS is its own); prints JSON.

Run by `python -m bench.tips_bench`; see that module for what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, text, update
from telegram import Bot
from telegram.constants import ParseMode
from telegram.request import HTTPXRequest

from bot.app import build_application, running
from bot.content import load_content
from bot.db.migrate import upgrade
from bot.db.models import Preferences, User
from bot.db.session import create_engine, create_sessionmaker
from bot.screens.tips import tip_message
from bot.settings import PROJECT_ROOT, Settings
from scheduler.job import build_scheduler

TOKEN = "123456:BENCH-token-not-secret"
T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
CHUNK = 5_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def seed(settings: Settings, control: httpx.AsyncClient, users: int) -> None:
    """`users` users with tips on at 09:00 Amsterdam, none due yet; the fake knows them too."""
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    async with engine.begin() as connection:
        for start in range(1, users + 1, CHUNK):
            ids = range(start, min(start + CHUNK, users + 1))
            await connection.execute(
                insert(User),
                [
                    {
                        "telegram_id": i,
                        "chat_id": i,
                        "language": "nl",
                        "timezone": "Europe/Amsterdam",
                        "created_at": T0,
                        "last_seen_at": T0,
                        "is_active": True,
                    }
                    for i in ids
                ],
            )
            await connection.execute(
                insert(Preferences),
                [
                    {
                        "user_id": i,
                        "tips_enabled": True,
                        "tip_minute": 540,
                        "tip_days": 127,
                        "tip_tags_off": frozenset(),
                        "silent": False,
                        "told_no_tips": False,
                        "next_tip_at": T0 + timedelta(days=1),
                    }
                    for i in ids
                ],
            )
            await control.post("/_fake/users", json={"users": [{"user_id": i} for i in ids]})
    await engine.dispose()


async def make_due(settings: Settings, first: int, count: int, when: datetime) -> None:
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(Preferences)
            .where(Preferences.user_id.between(first, first + count - 1))
            .values(next_tip_at=when)
        )
    await engine.dispose()


async def bare_bot_baseline(settings: Settings, due: int, concurrency: int) -> float:
    """The same messages, sent with a bare Bot, same pool and workers, no database work."""
    content = load_content(settings.content_dir)
    screen = tip_message(content.texts("nl"), next(iter(content.tips.values())))
    bot = Bot(
        TOKEN,
        base_url=settings.telegram_base_url,
        request=HTTPXRequest(connection_pool_size=concurrency + 2),
    )
    await bot.initialize()
    chats = list(range(1, due + 1))
    started = time.perf_counter()

    async def worker() -> None:
        while chats:
            chat_id = chats.pop()
            await bot.send_message(
                chat_id, screen.text, reply_markup=screen.keyboard, parse_mode=ParseMode.HTML
            )

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await bot.shutdown()
    return elapsed


async def dispatch_phase(settings: Settings, due: int) -> dict[str, Any]:
    content = load_content(settings.content_dir)
    engine = create_engine(settings.database_url)
    unpaced = settings.model_copy(update={"tip_rate_per_second": 0})
    clock = {"now": T0}
    scheduler = await build_scheduler(
        unpaced, content, create_sessionmaker(engine), lambda: clock["now"]
    )
    idle = []
    for _ in range(30):
        started = time.perf_counter()
        await scheduler.tick()
        idle.append((time.perf_counter() - started) * 1000)
    async with engine.connect() as connection:  # the cheapest round trip, for scale
        started = time.perf_counter()
        for _ in range(30):
            await connection.execute(text("SELECT 1"))
        select_one_ms = (time.perf_counter() - started) * 1000 / 30
    baseline_before = await bare_bot_baseline(settings, due, settings.dispatch_concurrency)
    await make_due(settings, 1, due, T0)
    started = time.perf_counter()
    report = await scheduler.tick()
    dispatch = time.perf_counter() - started
    baseline_after = await bare_bot_baseline(settings, due, settings.dispatch_concurrency)
    await scheduler.close()
    await engine.dispose()
    baseline = (baseline_before + baseline_after) / 2
    return {
        "idle_tick_ms_median": statistics.median(idle),
        "idle_tick_ms_max": max(idle),
        "select_one_ms": select_one_ms,
        "dispatch_s": dispatch,
        "dispatch_sent": report.sent,
        "baseline_s": baseline,
        "dispatch_ratio": dispatch / baseline,
    }


async def latency_phase(
    settings: Settings, control: httpx.AsyncClient, users: int, due: int
) -> dict[str, Any]:
    """Menu taps while the scheduler sends `due` tips at the configured rate, vs. idle."""
    # 20:00 in Amsterdam on the first day: nobody else is due, and the tips below go to
    # users who had none that day (the highest ids; the dispatch phase used the lowest).
    clock = {"now": T0 + timedelta(hours=12)}
    application = build_application(settings, clock=lambda: clock["now"])
    async with running(application, poll_timeout=1):
        await control.post("/_fake/send", json={"user_id": 1, "text": "/menu"})
        await asyncio.sleep(1.0)
        menu = (await control.get("/_fake/chats/1")).json()["result"][-1]
        targets = ["1|t|what", "1|t|main"]  # into a topic and Back, so each tap edits
        tapped = 0

        async def taps(count: int, pause: float) -> list[float]:
            nonlocal tapped
            latencies = []
            for _ in range(count):
                i, tapped = tapped, tapped + 1
                response = await control.post(
                    "/_fake/tap_and_time",
                    json={
                        "user_id": 1,
                        "message_id": menu["message_id"],
                        "callback_data": targets[i % 2],
                    },
                )
                body = response.json()
                if not body.get("ok"):
                    raise RuntimeError(f"tap failed: {body}")
                latencies.append(body["result"]["latency_ms"])
                await asyncio.sleep(pause)
            return latencies

        idle = await taps(40, 0.05)
        await make_due(settings, users - due + 1, due, clock["now"])
        mark = (await control.get("/_fake/count")).json()["result"]["next"]
        services = application.bot_data["services"]
        started = time.perf_counter()
        tick = asyncio.create_task(services.scheduler.tick())
        busy: list[float] = []
        while not tick.done():
            busy += await taps(1, 0.1)
        report = await tick
        elapsed = time.perf_counter() - started
        sends = (
            await control.get("/_fake/count", params={"method": "sendMessage", "after": mark})
        ).json()["result"]

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    return {
        "tap_idle_p50_ms": statistics.median(idle),
        "tap_idle_p95_ms": p95(idle),
        "tap_busy_p50_ms": statistics.median(busy),
        "tap_busy_p95_ms": p95(busy),
        "tap_busy_count": len(busy),
        "paced_sent": report.sent,
        "paced_rate": (sends["count"] - 1) / (sends["last"] - sends["first"]),
        "paced_rate_whole_tick": report.sent / elapsed,
        "configured_rate": settings.tip_rate_per_second,
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_base_url=f"http://127.0.0.1:{args.fake_port}/bot",
        telegram_base_file_url=f"http://127.0.0.1:{args.fake_port}/file/bot",
        database_url=args.database_url,
        scheduler_tick_seconds=0,
        content_dir=PROJECT_ROOT / "content",
        operator_name="MS-vereniging Test",
        operator_contact="privacy@test.invalid",
        _env_file=None,  # type: ignore[call-arg]
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{args.fake_port}", timeout=60
    ) as control:
        await seed(settings, control, args.users)
        result: dict[str, Any] = {"users": args.users, "due": args.due}
        result.update(await dispatch_phase(settings, args.due))
        if args.paced:
            result.update(await latency_phase(settings, control, args.users, args.paced))
    result["peak_rss_mb"] = peak_rss_mb()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--fake-port", type=int, required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--due", type=int, required=True)
    parser.add_argument("--paced", type=int, default=0, help="tips to send at the set rate")
    print(json.dumps(asyncio.run(main(parser.parse_args()))))
