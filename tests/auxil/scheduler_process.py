"""One scheduler tick as its own process, so a test can kill -9 it mid-dispatch.

    python -m tests.auxil.scheduler_process DATABASE_URL BASE_URL FILE_URL TOKEN ISO_NOW RATE

Prints "ticking" once the scheduler is built, then the tick's report when done.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from pydantic import SecretStr

from bot.content import load_content
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import PROJECT_ROOT, Settings
from scheduler.job import build_scheduler


async def main(
    database_url: str, base_url: str, file_url: str, token: str, now: str, rate: str
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
    moment = datetime.fromisoformat(now)
    scheduler = await build_scheduler(
        settings,
        load_content(PROJECT_ROOT / "content"),
        create_sessionmaker(engine),
        lambda: moment,
    )
    print("ticking", flush=True)
    print(await scheduler.tick(), flush=True)
    await scheduler.close()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:7]))
