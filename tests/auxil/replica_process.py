"""A bot's scheduler as its own process, ticking until killed: one of several replicas.

    python -m tests.auxil.replica_process DATABASE_URL BASE_URL FILE_URL TOKEN ISO_START RATE TICK

Its clock starts at ISO_START and runs at real speed. Prints "leader" when it becomes
the sender, "standby" when it is not, and after every tick that did something the
report's counts as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta

from pydantic import SecretStr

from bot.content import load_content
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import PROJECT_ROOT, Settings
from scheduler.job import build_scheduler


async def main(
    database_url: str, base_url: str, file_url: str, token: str, start: str, rate: str, tick: str
) -> None:
    settings = Settings(
        telegram_bot_token=SecretStr(token),
        telegram_base_url=base_url,
        telegram_base_file_url=file_url,
        database_url=database_url,
        tip_rate_per_second=float(rate),
        _env_file=None,  # type: ignore[call-arg]
    )
    engine = create_engine(database_url)
    moment, began = datetime.fromisoformat(start), time.monotonic()
    scheduler = await build_scheduler(
        settings,
        load_content(PROJECT_ROOT / "content"),
        create_sessionmaker(engine),
        lambda: moment + timedelta(seconds=time.monotonic() - began),
    )
    asyncio.create_task(say_role(lambda: scheduler.leading))  # noqa: RUF006 - runs till killed
    while True:
        report = await scheduler.tick()
        if report:
            print(json.dumps(asdict(report)), flush=True)
        await asyncio.sleep(float(tick))


async def say_role(leading: Callable[[], bool]) -> None:
    """Prints "leader" or "standby" whenever that changes (a tick sets it before sending)."""
    said = ""
    while True:
        role = "leader" if leading() else "standby"
        if role != said:
            print(role, flush=True)
            said = role
        await asyncio.sleep(0.02)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:8]))
