"""Builds the tip scheduler for a running bot and puts its tick on the JobQueue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.ext import CallbackContext, JobQueue
from telegram.request import HTTPXRequest

from bot.content import Content
from bot.settings import Settings
from scheduler.dispatch import Dispatcher
from scheduler.leader import leadership_for
from scheduler.limiter import WINDOW, SendPacer
from scheduler.paid import paid_broadcast_for
from scheduler.tick import Scheduler, claim_size


async def build_scheduler(
    settings: Settings,
    content: Content,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
) -> Scheduler:
    """A scheduler with its own Bot and connection pool, so broadcasts never queue menu taps."""
    bot = Bot(
        settings.require_token(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
        request=HTTPXRequest(
            connection_pool_size=settings.dispatch_concurrency + 2,
            read_timeout=settings.dispatch_timeout_seconds,
            write_timeout=settings.dispatch_timeout_seconds,
        ),
    )
    await bot.initialize()
    pacer = SendPacer(settings.tip_rate_per_second or None, window=WINDOW)
    grace = timedelta(minutes=settings.tip_grace_minutes)
    paid = paid_broadcast_for(
        settings.allow_paid_broadcast,
        settings.paid_broadcast_max_per_day,
        sessionmaker,
        clock,
        grace,
    )
    dispatcher = Dispatcher(bot, pacer, concurrency=settings.dispatch_concurrency, paid=paid)
    return Scheduler(
        sessionmaker,
        content,
        dispatcher,
        clock,
        grace=grace,
        batch_size=claim_size(settings.tip_rate_per_second, settings.scheduler_batch_size),
        retention=timedelta(days=settings.retention_days) if settings.retention_days else None,
        leader=leadership_for(settings.database_url, settings.require_token()),
        rate=settings.tip_rate_per_second or None,
        spread=timedelta(minutes=settings.tip_spread_minutes),
    )


def schedule_ticks(job_queue: JobQueue[Any], scheduler: Scheduler, every_seconds: float) -> None:
    """Tick every `every_seconds`. APScheduler 3 would silently skip a tick that starts more
    than a second late (misfire_grace_time=1); None runs it however late, and coalescing
    plus max_instances=1 means late ticks never pile up or overlap."""

    async def tick(_: CallbackContext[Any, Any, Any, Any]) -> None:
        await scheduler.tick()

    job_queue.run_repeating(
        tick,
        interval=every_seconds,
        first=1.0,
        name="tip-tick",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
