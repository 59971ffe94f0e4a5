"""Button taps: every inline button of the bot arrives here as callback data."""

from __future__ import annotations

import logging

from telegram import Update

from bot import callbacks, screens
from bot.context import BotContext
from bot.handlers.common import (
    answer,
    contact_of,
    remember_language,
    show_in_place,
    user_language,
)
from bot.services.users import record_contact

log = logging.getLogger(__name__)


async def on_button(update: Update, context: BotContext) -> None:
    """Decode the tapped button and show its screen in place of the tapped message."""
    query = update.callback_query
    assert query is not None
    language = await user_language(update, context)
    try:
        data = callbacks.decode(query.data)
    except callbacks.InvalidCallbackData as exc:
        log.info("stale or forged button data rejected: %s", exc)
        await _stale(update, context, language)
        return
    if isinstance(data, callbacks.ShowTopic):
        topic = context.content.topics.get(data.topic_id)
        if topic is None:
            log.info("button for unknown topic %r", data.topic_id)
            await _stale(update, context, language)
            return
        await answer(query)
        await show_in_place(query, screens.topic_screen(context.content, topic, language))
    elif isinstance(data, callbacks.ChooseLanguage):
        await answer(query)
        await show_in_place(query, screens.language_picker(context.content, language))
    else:
        await _set_language(update, context, data.language)


async def _set_language(update: Update, context: BotContext, language: str) -> None:
    query = update.callback_query
    assert query is not None
    settings = context.services.settings
    await record_contact(
        context.db, contact_of(update), settings.default_timezone, context.now(), language
    )
    remember_language(context, language)
    await answer(query, context.content.text("language_saved", language))
    await show_in_place(query, screens.main_menu(context.content, language))


async def _stale(update: Update, context: BotContext, language: str) -> None:
    query = update.callback_query
    assert query is not None
    await answer(query, context.content.text("stale_button", language))
    await show_in_place(query, screens.main_menu(context.content, language))
