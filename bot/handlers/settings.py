"""/instellingen (/settings): every page is buttons; only a typed time zone is text."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.domain.choices import Choices, InvalidChange, find_zone, local_today
from bot.handlers import next_text
from bot.handlers.common import StaleButton, answer, send, show_in_place, the_query, user_language
from bot.screens import Screen
from bot.screens.settings import settings_page
from bot.services.preferences import change_choices, change_timezone, load_choices


def _page(
    context: BotContext, page: str, choices: Choices, language: str, saved: bool = False
) -> Screen:
    today = local_today(choices, context.now())
    try:
        return settings_page(context.content, page, choices, language, today, saved)
    except (KeyError, ValueError, IndexError) as exc:
        raise StaleButton(f"unknown settings page {page!r}") from exc


async def settings_command(update: Update, context: BotContext) -> None:
    """The settings overview as a new message."""
    language = await user_language(update, context)
    user = update.effective_user
    assert user is not None
    choices = await load_choices(context.db, user.id)
    await send(update, _page(context, "main", choices, language))


async def show_page(
    update: Update, context: BotContext, data: callbacks.ShowSettings, language: str
) -> None:
    query = the_query(update)
    choices = await load_choices(context.db, query.from_user.id)
    screen = _page(context, data.page, choices, language)
    await answer(query)
    await show_in_place(query, screen)


async def change(
    update: Update, context: BotContext, data: callbacks.ChangeSetting, language: str
) -> None:
    """Store one change at once and confirm it on screen."""
    query = the_query(update)
    try:
        changed = await change_choices(
            context.db,
            query.from_user.id,
            (data.name, data.value),
            context.content.tip_tags,
            context.now(),
        )
    except InvalidChange as exc:
        raise StaleButton(str(exc)) from exc
    stay_on = {
        "day": "pickdays",
        "tag": "tags",
        "checkin": "checkin",
        "checkin_time": "checkin",
        "checkin_days": "checkin",
        "morning": "checkin",
        "morning_time": "checkin",
    }.get(data.name, "main")
    await answer(query, context.content.text("settings_saved", language))
    await show_in_place(query, _page(context, stay_on, changed, language, saved=True))


async def ask_timezone(
    update: Update, context: BotContext, _: callbacks.AskTimezone, language: str
) -> None:
    query = the_query(update)
    next_text.expect(context, next_text.Purpose.TIMEZONE)
    await answer(query)
    await show_in_place(query, Screen(context.content.text("zone_prompt", language)))


async def typed_timezone(update: Update, context: BotContext, text: str, language: str) -> None:
    """The text after "Type it": a known zone is stored; otherwise ask again kindly."""
    zone = find_zone(text)
    user = update.effective_user
    assert user is not None
    if zone is None:
        choices = await load_choices(context.db, user.id)
        unknown = context.content.text("zone_unknown", language)
        page = _page(context, "zone", choices, language)
        await send(update, Screen(f"{unknown}\n\n{page.text}", page.keyboard))
        return
    changed = await change_timezone(context.db, user.id, zone, context.now())
    next_text.forget(context)
    await send(update, _page(context, "main", changed, language, saved=True))
