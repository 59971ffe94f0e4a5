"""The typed context every handler receives: `context.content`, `context.db`, ...

Dependencies reach handlers through the Application's bot_data (filled once in
`bot.app.build_application`), never through module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.content import Content
from bot.metrics import Metrics
from bot.settings import Settings

if TYPE_CHECKING:
    from scheduler.tick import Scheduler

SERVICES_KEY = "services"


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
