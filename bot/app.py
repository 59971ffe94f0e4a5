"""The composition root: `build_application(settings)` is the one place the bot is assembled."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.content import Content, load_content
from bot.content.operator import for_operator
from bot.context import SERVICES_KEY, BotContext, Services
from bot.db.crypto import keyring_for
from bot.db.session import create_engine, create_sessionmaker
from bot.handlers import register_handlers
from bot.health import HealthServer
from bot.limits import ReplyLimiter
from bot.metrics import Metrics
from bot.settings import Settings
from bot.telegram_profile import set_commands
from bot.updates import PerChatProcessor, ReadableUpdatesRequest
from bot.webhook import WebhookServer
from scheduler.claims import Claim, Outcome
from scheduler.job import build_scheduler, schedule_ticks
from scheduler.ledger import RETRY
from scheduler.sender import Turn
from scheduler.tick import Scheduler

log = logging.getLogger(__name__)
STOP_MARGIN = 2.0  # seconds of the shutdown timeout kept for closing the database
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
    metrics = Metrics()
    updates_request = ReadableUpdatesRequest()
    metrics.read_counter(
        "spasmbot_updates_unreadable",
        "Updates python-telegram-bot could not read, skipped by id (polling)",
        lambda: updates_request.unreadable,
    )
    services = Services(settings=settings, content=content, clock=clock, metrics=metrics)
    application: BotApplication = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.default_timezone)))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(
            ReplyLimiter(
                per_chat=settings.reply_rate_per_chat,
                chat_burst=settings.reply_burst_per_chat,
                on_retry_after=lambda seconds: services.telegram_asked_to_wait("replies", seconds),
            )
        )
        .get_updates_request(updates_request)
        .concurrent_updates(PerChatProcessor(settings.concurrent_updates, metrics=metrics))
        .post_init(_connect)
        .post_shutdown(_disconnect)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
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
    await set_commands(application.bot, services.content)
    services.scheduler = await build_scheduler(
        settings, services.content, services.sessionmaker, services.clock
    )
    count_scheduler_waits(services.scheduler, services)
    count_paid_broadcast(services.scheduler, services.metrics)
    if settings.scheduler_tick_seconds and application.job_queue is not None:
        schedule_ticks(application.job_queue, services.scheduler, settings.scheduler_tick_seconds)
    if settings.health_port:
        health = HealthServer(services)
        await health.start()
        services.health = health


async def _disconnect(application: BotApplication) -> None:
    services = services_of(application)
    if services.health is not None:
        await services.health.stop()
        services.health = None
    if services.scheduler is not None:
        await services.scheduler.close()  # frees the leader lock too
        services.scheduler = None
    if services.engine is not None:
        await services.engine.dispose()
    services.engine = services.sessionmaker = None


def count_scheduler_waits(scheduler: Scheduler, services: Services) -> None:
    """Count the scheduler's 429s where it learns of them (its sender hands back a
    `RETRY` outcome with Telegram's wait), without a change inside scheduler/."""
    sender = scheduler.dispatcher.sender
    send = sender.send

    async def counted(claim: Claim, wait_turn: Turn, *, paid: bool = False) -> Outcome:
        outcome = await send(claim, wait_turn, paid=paid)
        if outcome.status == RETRY:
            services.telegram_asked_to_wait("scheduler", outcome.wait)
        return outcome

    setattr(sender, "send", counted)  # noqa: B010 - mypy forbids assigning to a method


def count_paid_broadcast(scheduler: Scheduler, metrics: Metrics) -> None:
    """The paid broadcast's counters, read at scrape time (0 while it is off)."""
    paid = scheduler.dispatcher.paid
    metrics.read_counter(
        "spasmbot_scheduler_paid_sends",
        "Scheduled messages Telegram accepted as paid broadcasts (each billed in Stars)",
        lambda: paid.sent if paid else 0,
    )
    metrics.read_counter(
        "spasmbot_scheduler_paid_capped",
        "Scheduled messages at risk of being missed that the day's paid cap left unpaid",
        lambda: paid.capped if paid else 0,
    )


def count_webhook(server: WebhookServer, metrics: Metrics) -> None:
    metrics.read_counter(
        "spasmbot_webhook_refused",
        "Webhook requests refused (403) for a missing or wrong secret token",
        lambda: server.refused,
    )
    metrics.read_counter(
        "spasmbot_webhook_unreadable",
        "Updates posted to the webhook that python-telegram-bot could not read, skipped",
        lambda: server.unreadable,
    )


@asynccontextmanager
async def running(application: BotApplication, *, poll_timeout: int = 10) -> AsyncIterator[None]:
    """Start and stop the bot the way `run_polling` does, inside an existing event loop;
    with WEBHOOK_URL set, as a webhook instead (`bot.webhook`).

    Used by `spasmbot run`, the tests and benchmarks (and any embedding), so they drive
    the same Application as production; pending updates are never dropped. The stop:
    /readyz turns 503, the scheduler sends nothing new (`Scheduler.stop`), no new
    updates are taken, those taken are handled, all within SHUTDOWN_TIMEOUT_SECONDS.
    """
    webhook = services_of(application).settings.webhook()
    updater = application.updater
    assert updater is not None
    await application.initialize()
    server: WebhookServer | None = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        if webhook is None:
            await updater.start_polling(
                timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
            )
        else:
            server = WebhookServer(application, webhook)
            count_webhook(server, services_of(application).metrics)
            await server.start()  # listening before Telegram is told where to call
            await application.bot.set_webhook(
                webhook.url,
                secret_token=webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=webhook.max_connections,
                drop_pending_updates=False,
            )
        await application.start()
        try:
            yield
        finally:
            services = services_of(application)
            services.stopping = True
            deadline = Deadline(services.settings.shutdown_timeout_seconds)
            if (scheduler := services.scheduler) is not None:
                scheduler.stop(within=deadline.left() - STOP_MARGIN)
            if server is not None:
                await server.stop()  # the webhook stays set: Telegram keeps updates meanwhile
                server = None
            else:
                await updater.stop()  # confirms the updates fetched: all are on the queue
            await _stop_within(application, deadline)
    finally:
        if server is not None:  # it started, but setWebhook or the start failed
            await server.stop()
        if updater.running:
            await updater.stop()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()


class Deadline:
    """SHUTDOWN_TIMEOUT_SECONDS from the moment the stop began."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())


async def _stop_within(application: BotApplication, deadline: Deadline) -> None:
    """`application.stop()`: the updates on the queue and the handlers in flight are
    finished, and the scheduler's tick (told to stop) ends. Whatever is still running
    at the deadline is cut off, so the process exits in time; a handler cut off never
    committed, and its update was confirmed, so it is the one loss, and it is logged."""
    try:
        async with asyncio.timeout(max(0.1, deadline.left() - STOP_MARGIN / 2)):
            await application.stop()
    except TimeoutError:
        log.warning(
            "stopping took longer than SHUTDOWN_TIMEOUT_SECONDS=%s: the rest was cut off",
            services_of(application).settings.shutdown_timeout_seconds,
        )


async def serve(application: BotApplication) -> None:
    """`spasmbot run`: poll (or serve the webhook) until SIGTERM or SIGINT (Ctrl-C), then
    stop within SHUTDOWN_TIMEOUT_SECONDS (`running`)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        async with running(application):
            await stop.wait()
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signal_number)
