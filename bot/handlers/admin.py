"""Commands for the operator (ADMIN_IDS only). To anyone else they are unknown commands:
nothing reveals that they exist (they are not in /help or Telegram's "/" menu)."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import BotContext
from bot.handlers import commands
from bot.handlers.common import send, user_texts
from bot.screens.admin import Peak, stats_screen
from bot.services.stats import service_stats


def is_admin(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids


async def stats(update: Update, context: BotContext) -> None:
    """/stats: users, messages by kind and outcome today and in 7 days, consents, the
    queue, and the busiest minute of the next 24 hours (`Scheduler.peak_load`)."""
    if not is_admin(update, context):
        await commands.unknown_command(update, context)
        return
    texts = await user_texts(update, context)
    now = context.now()
    local_now = now.astimezone(ZoneInfo(context.services.settings.default_timezone))
    today = local_now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    counts = await service_stats(
        context.db, today, today - timedelta(days=6), context.content.privacy_version
    )
    scheduler = context.services.scheduler
    waiting = await scheduler.backlog() if scheduler is not None else None
    due = waiting.due if waiting is not None else None
    lag = waiting.lag(now) if waiting is not None else None
    peak = None
    if scheduler is not None and (load := await scheduler.peak_load()).minute is not None:
        at = load.minute.astimezone(local_now.tzinfo)
        peak = Peak(at, load.due, timedelta(seconds=load.seconds_needed), load.would_miss)
    await send(update, stats_screen(texts, counts, local_now, due, lag, peak))
