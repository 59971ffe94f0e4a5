"""A peak that does not fit, with and without the paid broadcast; writes its section of
docs/performance.md.

    python -m bench.paid_bench            # 3,000 tips at once (~4 minutes)
    python -m bench.paid_bench --quick    # 600 in a grace of 12 s, to check it; no report

Time-scaled ÷120 so it runs in minutes: 25/s free, a grace of 60 s (TIP_GRACE_MINUTES
120 ÷ 120), no spread, so about half the peak cannot be sent in time at the free rate.
Against the fake Bot API in strict mode (429 above 30/s free, 1000/s paid, 1/s a chat),
in this process, on SQLite; the clock runs with real time. Each run is a fresh database:
paid off; paid with a cap above what is needed; paid with a cap of a sixth of the peak.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.content import load_content
from bot.db.migrate import upgrade
from bot.db.models import Delivery
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import PROJECT_ROOT, Settings
from devtools.fakeapi import FakeTelegram
from devtools.fakeapi.strict import StrictLimits, busiest_second
from scheduler.job import build_scheduler
from tests.scheduler.test_scheduler import add_tip_users

TOKEN = "123456789:BENCH-paid-broadcast-token"
DUE = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
REPORT = PROJECT_ROOT / "docs" / "performance.md"
NOTE = (
    "Paid is more than the missed without it by about the margin's worth of free-rate "
    "sends (PAID_MARGIN 15 s × 25/s = 375; docs/scheduler.md). The paid rate reached "
    "(Busiest second) is bounded by DISPATCH_CONCURRENCY and the claim transactions, "
    "not by the 900/s pacer."
)
START, END = "<!-- paid_bench: start -->", "<!-- paid_bench: end -->"


async def run(peak: int, grace: float, allowed: bool, cap: int, folder: Path) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{folder / f'paid-{allowed}-{cap}.sqlite3'}"
    engine = create_engine(url)
    await upgrade(engine)
    db = create_sessionmaker(engine)
    fake = FakeTelegram(token=TOKEN, strict=StrictLimits())
    await fake.start(host="127.0.0.1", port=0)
    try:
        await add_tip_users(db, fake, range(10_000, 10_000 + peak), DUE)
        settings = Settings(
            telegram_bot_token=SecretStr(TOKEN),
            telegram_base_url=fake.base_url,
            telegram_base_file_url=fake.base_file_url,
            database_url=url,
            tip_rate_per_second=25,
            tip_grace_minutes=grace / 60,
            tip_spread_minutes=0,
            allow_paid_broadcast=allowed,
            paid_broadcast_max_per_day=cap,
            _env_file=None,  # type: ignore[call-arg]
        )
        began = time.monotonic()
        scheduler = await build_scheduler(
            settings,
            load_content(PROJECT_ROOT / "content"),
            db,
            lambda: DUE + timedelta(seconds=time.monotonic() - began),
        )
        try:
            report = await scheduler.tick()
        finally:
            await scheduler.close()
        seconds = time.monotonic() - began
        async with db() as session:
            paid = await session.scalar(select(func.count()).where(Delivery.paid_at.is_not(None)))
        assert fake.state.strict is not None
        limits = fake.state.strict
        return {
            "peak": peak,
            "grace": grace,
            "allowed": allowed,
            "cap": cap,
            "sent": report.sent,
            "missed": report.missed,
            "paid": paid or 0,
            "refused": limits.refused,
            "busiest": busiest_second(limits.accepted),
            "seconds": seconds,
        }
    finally:
        await fake.stop()
        await engine.dispose()


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        START,
        "## Paid broadcast: a peak that does not fit (issue 13)",
        "",
        f"Written by `python -m bench.paid_bench` (method in its docstring). Last run: "
        f"{datetime.now(UTC):%Y-%m-%d}. {results[0]['peak']:,} tips due at once, 25/s free, "
        f"a grace of {results[0]['grace']:.0f} s (time-scaled), strict fake peer, SQLite.",
        "",
        "| Paid broadcast | Sent | Missed (of the peak) | Paid (of the peak) | 429s "
        "| Busiest second | Took |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        how = f"allowed, cap {r['cap']:,}" if r["allowed"] else "off (default)"
        peak = r["peak"]
        lines.append(
            f"| {how} | {r['sent']:,} | {r['missed']:,} ({r['missed'] / peak:.0%}) "
            f"| {r['paid']:,} ({r['paid'] / peak:.0%}) | {r['refused']} | {r['busiest']} "
            f"| {r['seconds']:.0f} s |"
        )
    return "\n".join([*lines, "", NOTE, END])


def write_report(section: str) -> None:
    text = REPORT.read_text(encoding="utf-8")
    if START in text and END in text:
        before, _, rest = text.partition(START)
        text = before + section + rest.partition(END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    REPORT.write_text(text, encoding="utf-8")


async def main(quick: bool) -> None:
    peak, grace = (600, 12.0) if quick else (3000, 60.0)
    with tempfile.TemporaryDirectory() as folder:
        results = [
            await run(peak, grace, allowed, cap, Path(folder))
            for allowed, cap in ((False, 0), (True, 10 * peak), (True, peak // 6))
        ]
    section = render(results)
    print(section)
    if not quick:
        write_report(section)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))
