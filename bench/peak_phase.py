"""One phase of `bench.peak_bench` in its own process (so RSS is its own); prints JSON.

python -m bench.peak_phase idle   DATABASE_URL FAKE_PORT
python -m bench.peak_phase rate   DATABASE_URL FAKE_PORT RATE DAY
python -m bench.peak_phase spread DATABASE_URL FAKE_PORT USERS SCALE
python -m bench.peak_phase due    DATABASE_URL FAKE_PORT ISO_TIME
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select, text, update

from bench.population import T0
from bot.app import build_application, running, services_of
from bot.db.models import Delivery, Preferences
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import PROJECT_ROOT, Settings
from scheduler.job import build_scheduler

TOKEN = "123456:BENCH-token-not-secret"
IDLE_TICKS = 60  # measured, after the first (which also checks the peak at start-up)


def settings_for(database_url: str, port: int, **changes: Any) -> Settings:
    return Settings(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_base_url=f"http://127.0.0.1:{port}/bot",
        telegram_base_file_url=f"http://127.0.0.1:{port}/file/bot",
        database_url=database_url,
        scheduler_tick_seconds=0,
        content_dir=PROJECT_ROOT / "content",
        operator_name="MS-vereniging Test",
        operator_contact="privacy@test.invalid",
        _env_file=None,  # type: ignore[call-arg]
        **changes,
    )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def idle(database_url: str, port: int) -> dict[str, Any]:
    """A running bot (polling the fake): IDLE_TICKS ticks with nobody due, each working out the
    early-start horizon over the next 30 minutes; tomorrow's peak; RSS."""
    clock = {"now": T0}
    application = build_application(settings_for(database_url, port), clock=lambda: clock["now"])
    async with running(application, poll_timeout=1):
        services = services_of(application)
        scheduler = services.scheduler
        assert scheduler is not None and services.engine is not None
        ticks = []
        for second in range(IDLE_TICKS + 1):
            clock["now"] = T0 + timedelta(seconds=second / 2)  # nobody is due in 30 s
            scheduler._horizon = None  # as ticks 30 s apart: worked out every tick
            started = time.perf_counter()
            report = await scheduler.tick()
            ticks.append((time.perf_counter() - started) * 1000)
            assert not report, report
        started = time.perf_counter()
        peak = await scheduler.peak_load()
        peak_ms = (time.perf_counter() - started) * 1000
        async with services.engine.connect() as connection:
            started = time.perf_counter()
            for _ in range(30):
                await connection.execute(text("SELECT 1"))
            select_one_ms = (time.perf_counter() - started) * 1000 / 30
    ticks = ticks[1:]  # the first one also checks the peak at start-up
    return {
        "idle_tick_ms_median": statistics.median(ticks),
        "idle_tick_ms_max": max(ticks),
        "ticks": len(ticks),
        "select_one_ms": select_one_ms,
        "peak_ms": peak_ms,
        "peak": peak.describe(),
        "peak_would_miss": peak.would_miss,
        "rss_mb": rss_mb(),
    }


async def make_due(database_url: str, due: datetime) -> dict[str, Any]:
    """Everyone's tip and the 20 % check-ins due at `due`."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(update(Preferences).values(next_tip_at=due))
        await connection.execute(
            update(Preferences).where(Preferences.checkin_enabled).values(next_checkin_at=due)
        )
    await engine.dispose()
    return {"due": due.isoformat()}


async def rate(database_url: str, port: int, configured: float, day: int) -> dict[str, Any]:
    """Everyone's tip and the 20 % check-ins due at one moment; one tick at `configured`/s
    against the strict peer (reset first); what it accepted and refused."""
    due = T0 + timedelta(days=day)
    await make_due(database_url, due)
    engine = create_engine(database_url)
    settings = settings_for(database_url, port, tip_rate_per_second=configured)
    scheduler = await build_scheduler(
        settings, _content(settings), create_sessionmaker(engine), lambda: due
    )
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as control:
        await control.post("/_fake/strict", json={"overall": 30, "per_chat": 1})
        started = time.perf_counter()
        report = await scheduler.tick()
        elapsed = time.perf_counter() - started
        peer = (await control.get("/_fake/strict")).json()["result"]
    await scheduler.close()
    await engine.dispose()
    span = peer["last"] - peer["first"]
    return {
        "configured": configured,
        "sent": report.sent,
        "failed": report.failed,
        "accepted": peer["accepted"],
        "refused": peer["refused"],
        "busiest_second": peer["busiest_second"],
        "achieved": (peer["accepted"] - 1) / span if span else 0.0,
        "whole_tick": report.sent / elapsed,
    }


async def spread(database_url: str, port: int, users: int, scale: float) -> dict[str, Any]:
    """`users` tips due at one minute, with TIP_SPREAD_MINUTES on, time-scaled by `scale`:
    rate × scale, spread and grace ÷ scale, ticks every 30 s ÷ scale on the real clock.
    Send times are the rows' `attempted_at` relative to their due time, × scale."""
    began, lead = time.monotonic(), 1.05 * 30 * 60 / scale
    start = datetime.now(UTC).replace(microsecond=0)
    peak = start + timedelta(seconds=lead)
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(Preferences).where(Preferences.user_id <= users).values(next_tip_at=peak)
        )
        await connection.execute(
            update(Preferences).where(Preferences.user_id > users).values(next_tip_at=None)
        )
        await connection.execute(update(Preferences).values(next_checkin_at=None))
    settings = settings_for(
        database_url,
        port,
        tip_rate_per_second=25 * scale,
        tip_spread_minutes=30 / scale,
        tip_grace_minutes=120 / scale,
    )

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began)

    scheduler = await build_scheduler(
        settings, _content(settings), create_sessionmaker(engine), now
    )
    sessions = create_sessionmaker(engine)
    while True:
        report = await scheduler.tick()
        async with sessions() as session:
            done = await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.kind == "tip")
            )
        if done and done >= users and not report:
            break
        await asyncio.sleep(30 / scale)
    await scheduler.close()
    async with sessions() as session:
        query = select(Delivery.status, Delivery.attempted_at, Delivery.due_at).where(
            Delivery.kind == "tip"
        )
        rows = (await session.execute(query)).all()
    await engine.dispose()
    offsets = sorted(
        (r.attempted_at - r.due_at).total_seconds() * scale / 60 for r in rows if r.attempted_at
    )

    def quantile(q: float) -> float:
        return offsets[min(len(offsets) - 1, int(q * len(offsets)))] if offsets else 0.0

    return {
        "users": users,
        "scale": scale,
        "rows": len(rows),
        "sent": sum(1 for r in rows if r.status == "sent"),
        "missed": sum(1 for r in rows if r.status == "missed"),
        "minutes": {q: quantile(q / 100) for q in (0, 5, 25, 50, 75, 95, 100)},
        "early_share": sum(1 for o in offsets if o < 0) / len(offsets) if offsets else 0.0,
    }


def _content(settings: Settings) -> Any:
    from bot.content import load_content

    return load_content(settings.content_dir)


if __name__ == "__main__":
    phase, url, port, *rest = sys.argv[1:]
    if phase == "idle":
        result = asyncio.run(idle(url, int(port)))
    elif phase == "due":
        result = asyncio.run(make_due(url, datetime.fromisoformat(rest[0])))
    elif phase == "rate":
        result = asyncio.run(rate(url, int(port), float(rest[0]), int(rest[1])))
    else:
        result = asyncio.run(spread(url, int(port), int(rest[0]), float(rest[1])))
    print(json.dumps(result))
