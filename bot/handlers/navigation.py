"""Buttons that move through the menus and pick the language."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.handlers.common import (
    answer,
    contact_of,
    remember_language,
    show_in_place,
    the_query,
    topic_or_stale,
)
from bot.screens import menus
from bot.services.users import record_contact


async def show_topic(
    update: Update, context: BotContext, data: callbacks.ShowTopic, texts: Texts
) -> None:
    """Open a topic screen in place of the tapped message."""
    topic = topic_or_stale(context, data.topic_id)
    query = the_query(update)
    await answer(context, query)
    await show_in_place(query, menus.topic_screen(texts, topic))


async def choose_language(
    update: Update, context: BotContext, _: callbacks.ChooseLanguage, texts: Texts
) -> None:
    query = the_query(update)
    await answer(context, query)
    await show_in_place(query, menus.language_picker(texts))


async def set_language(
    update: Update, context: BotContext, data: callbacks.SetLanguage, _: Texts
) -> None:
    """Store the language and show the main menu in it."""
    query = the_query(update)
    settings = context.services.settings
    await record_contact(
        context.db, contact_of(update), settings.default_timezone, context.now(), data.language
    )
    remember_language(context, data.language)
    texts = context.content.texts(data.language)
    await answer(context, query, texts("language_saved"))
    await show_in_place(query, menus.main_menu(texts))
