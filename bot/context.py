"""The typed context every handler receives: `context.content`, `context.db`, ...

Dependencies reach handlers through the Application's bot_data (filled once in
`bot.app.build_application`), never through module globals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.content import Content
from bot.metrics import Metrics
from bot.services import hourly_counts
from bot.settings import Settings

if TYPE_CHECKING:
    from scheduler.tick import Scheduler

SERVICES_KEY = "services"
log = logging.getLogger(__name__)


class Stoppable(Protocol):
    """A server of the process (bot.health), stopped before the database closes."""

    async def stop(self) -> None: ...


@dataclass
class Services:
    """Everything a handler may need; the database parts are set in post_init."""

    settings: Settings
    content: Content
    clock: Callable[[], datetime]
    engine: AsyncEngine | None = None
    sessionmaker: async_sessionmaker[AsyncSession] | None = None
    scheduler: Scheduler | None = None
    metrics: Metrics = field(default_factory=Metrics)  # this Application's own registry
    health: Stoppable | None = None  # bot.health: /healthz, /readyz, /metrics (HEALTH_PORT)
    stopping: bool = False  # SIGTERM came: /readyz says 503 so a balancer sends no more
    background: set[asyncio.Task[None]] = field(default_factory=set)  # 429 counts on their way

    def telegram_asked_to_wait(self, sender: str, seconds: float) -> None:
        """A 429 (replies or scheduler): the metric at once, and /stats' hourly count in
        the background, so a reply never waits for it (with the database down that one
        count is lost; the metric still has it)."""
        self.metrics.telegram_asked_to_wait(sender, seconds)
        if self.sessionmaker is not None:
            count = _count_rate_limited(self.sessionmaker, self.clock())
            task = asyncio.get_running_loop().create_task(count)
            self.background.add(task)
            task.add_done_callback(self.background.discard)


async def _count_rate_limited(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime
) -> None:
    try:
        async with sessionmaker.begin() as session:
            await hourly_counts.add(session, hourly_counts.RATE_LIMITED, now)
    except Exception as exc:  # the metric has it; a lost count is no reason to fail
        log.warning("a 429 was not counted for /stats: %s", type(exc).__name__)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services: Services = self.bot_data[SERVICES_KEY]
        return services

    @property
    def content(self) -> Content:
        return self.services.content

    @property
    def db(self) -> async_sessionmaker[AsyncSession]:
        if self.services.sessionmaker is None:
            raise RuntimeError("the database is not connected yet (post_init has not run)")
        return self.services.sessionmaker

    def now(self) -> datetime:
        return self.services.clock()
