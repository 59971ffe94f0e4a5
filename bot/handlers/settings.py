"""/instellingen (/settings): every page is buttons; only a typed time zone is text."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.domain.changes import Change, InvalidChange
from bot.domain.choices import Choices, local_today
from bot.handlers import next_text
from bot.handlers.common import StaleButton, answer, send, show_in_place, the_query, user_texts
from bot.screens import Screen
from bot.screens.settings import SettingsPage, page_after, settings_page, zone_choice
from bot.services.preferences import change_choices, change_timezone, load_choices
from bot.services.zone_names import MAX_CHOICES, find_zones

MAIN = callbacks.ShowSettings("main")


def _page(
    context: BotContext, texts: Texts, page: SettingsPage, choices: Choices, saved: bool = False
) -> Screen:
    return settings_page(texts, page, choices, local_today(choices, context.now()), saved)


async def settings_command(update: Update, context: BotContext) -> None:
    """The settings overview as a new message."""
    texts = await user_texts(update, context)
    user = update.effective_user
    assert user is not None
    choices = await load_choices(context.db, user.id)
    await send(update, _page(context, texts, MAIN, choices))


async def show_page(update: Update, context: BotContext, data: SettingsPage, texts: Texts) -> None:
    query = the_query(update)
    choices = await load_choices(context.db, query.from_user.id)
    await answer(context, query)
    await show_in_place(query, _page(context, texts, data, choices))


async def change(update: Update, context: BotContext, data: Change, texts: Texts) -> None:
    """Store one change at once and confirm it on screen."""
    query = the_query(update)
    try:
        changed = await change_choices(
            context.db, query.from_user.id, data, context.content.tip_tags, context.now()
        )
    except InvalidChange as exc:
        raise StaleButton(str(exc)) from exc
    await answer(context, query)  # "✅ Opgeslagen" is on the page: once, not also as a toast
    await show_in_place(query, _page(context, texts, page_after(data), changed, saved=True))


async def ask_timezone(
    update: Update, context: BotContext, _: callbacks.AskTimezone, texts: Texts
) -> None:
    query = the_query(update)
    next_text.expect(context, next_text.Purpose.TIMEZONE)
    await answer(context, query)
    await show_in_place(query, Screen(texts("zone_prompt")))


async def typed_timezone(update: Update, context: BotContext, text: str, texts: Texts) -> None:
    """The text after "Type it": a city or country with one zone is stored; one with a
    few zones asks which; a country with many asks for a city; nothing found asks again."""
    zones = find_zones(text)
    user = update.effective_user
    assert user is not None
    if len(zones) == 1:
        changed = await change_timezone(context.db, user.id, zones[0], context.now())
        next_text.forget(context)
        await send(update, _page(context, texts, MAIN, changed, saved=True))
        return
    choices = await load_choices(context.db, user.id)
    if 1 < len(zones) <= MAX_CHOICES:
        next_text.forget(context)
        await send(update, zone_choice(texts, zones, choices.timezone))
        return
    page = _page(context, texts, callbacks.ShowSettings("zone"), choices)
    why = texts("zone_unknown" if not zones else "zone_many")
    await send(update, Screen(f"{why}\n\n{page.text}", page.keyboard))
