"""The composition root: `build_application(settings)` is the one place the bot is assembled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.content import LANGUAGES, Content, load_content
from bot.content.operator import for_operator
from bot.context import SERVICES_KEY, BotContext, Services
from bot.db.crypto import keyring_for
from bot.db.session import create_engine, create_sessionmaker
from bot.handlers import COMMANDS, register_handlers
from bot.limits import ReplyLimiter
from bot.settings import Settings
from bot.updates import PerChatProcessor, ReadableUpdatesRequest
from scheduler.job import build_scheduler, schedule_ticks

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_application(
    settings: Settings,
    *,
    content: Content | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> BotApplication:
    """Assemble the bot; the database connects in post_init and closes in post_shutdown."""
    content = for_operator(
        content or load_content(settings.content_dir),
        *settings.require_operator(),
        settings.retention_days,
    )
    application: BotApplication = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.default_timezone)))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(
            ReplyLimiter(
                per_chat=settings.reply_rate_per_chat, chat_burst=settings.reply_burst_per_chat
            )
        )
        .get_updates_request(ReadableUpdatesRequest())
        .concurrent_updates(PerChatProcessor(settings.concurrent_updates))
        .post_init(_connect)
        .post_shutdown(_disconnect)
        .build()
    )
    application.bot_data[SERVICES_KEY] = Services(settings=settings, content=content, clock=clock)
    register_handlers(application)
    return application


def services_of(application: BotApplication) -> Services:
    services: Services = application.bot_data[SERVICES_KEY]
    return services


async def _connect(application: BotApplication) -> None:
    services = services_of(application)
    settings = services.settings
    services.engine = create_engine(settings.database_url, keyring_for(settings))
    services.sessionmaker = create_sessionmaker(services.engine)
    await _register_commands(application, services.content)
    services.scheduler = await build_scheduler(
        settings, services.content, services.sessionmaker, services.clock
    )
    if settings.scheduler_tick_seconds and application.job_queue is not None:
        schedule_ticks(application.job_queue, services.scheduler, settings.scheduler_tick_seconds)


async def _disconnect(application: BotApplication) -> None:
    services = services_of(application)
    if services.scheduler is not None:
        await services.scheduler.close()  # frees the leader lock too
        services.scheduler = None
    if services.engine is not None:
        await services.engine.dispose()
    services.engine = services.sessionmaker = None


async def _register_commands(application: BotApplication, content: Content) -> None:
    """The "/" menu in Telegram, per language; English is also the default for everyone else."""
    for language in LANGUAGES:
        texts = content.texts(language)
        commands = [BotCommand(c.name(language), texts(c.description_key)) for c in COMMANDS]
        await application.bot.set_my_commands(commands, language_code=language)
        if language == "en":
            await application.bot.set_my_commands(commands)


@asynccontextmanager
async def running(application: BotApplication, *, poll_timeout: int = 10) -> AsyncIterator[None]:
    """Start and stop the bot the way `run_polling` does, inside an existing event loop.

    Used by the tests and benchmarks (and any embedding), so they drive the same
    Application as production; pending updates are never dropped.
    """
    assert application.updater is not None
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.updater.start_polling(
        timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
    )
    await application.start()
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()
