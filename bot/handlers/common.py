"""Small helpers every handler shares: who is this, in which language, and how to reply."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.content import Texts, Topic
from bot.context import BotContext
from bot.screens import Screen
from bot.services.users import Contact, record_contact, stored_language

log = logging.getLogger(__name__)
LANGUAGE_KEY = "language"
SEEN_KEY = "seen_at"  # when the contact was last recorded (users.last_seen_at)
SEEN_EVERY = timedelta(hours=1)
READ_KEY = "language_read_at"
LANGUAGE_FRESH = timedelta(seconds=5)  # several processes: another's change shows by then
ANSWERED_KEY = "answered_query"


class StaleButton(Exception):
    """A button names something that does not exist (anymore); the user gets the menu."""


def topic_or_stale(context: BotContext, topic_id: str) -> Topic:
    """The topic a button names; a removed or forged id makes the button stale."""
    topic = context.content.topics.get(topic_id)
    if topic is None:
        raise StaleButton(f"unknown topic {topic_id!r}")
    return topic


def the_query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None  # only button handlers call this
    return query


def contact_of(update: Update) -> Contact:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None  # handlers only run for user updates
    return Contact(user_id=user.id, chat_id=chat.id, language_code=user.language_code)


async def user_language(update: Update, context: BotContext, *, refresh: bool = False) -> str:
    """The user's language, kept for LANGUAGE_FRESH (a change made through another bot
    process shows within that), then read again.

    The contact is recorded again (which keeps `last_seen_at` true) when `refresh` asks
    for it (e.g. on /start) or the last time is more than SEEN_EVERY ago: at most one
    write an hour per user, not one per tap.
    """
    data = context.user_data if context.user_data is not None else {}
    cached, seen, read = data.get(LANGUAGE_KEY), data.get(SEEN_KEY), data.get(READ_KEY)
    now = context.now()
    if refresh or cached is None or seen is None or now - seen >= SEEN_EVERY:
        language = await record_contact(
            context.db, contact_of(update), context.services.settings.default_timezone, now
        )
        data[SEEN_KEY] = now
    elif read is not None and now - read < LANGUAGE_FRESH:
        return str(cached)
    else:
        language = await stored_language(context.db, contact_of(update).user_id) or str(cached)
    remember_language(context, language)
    data[READ_KEY] = now
    return language


async def user_texts(update: Update, context: BotContext, *, refresh: bool = False) -> Texts:
    """The content in the user's language (see `user_language`)."""
    return context.content.texts(await user_language(update, context, refresh=refresh))


def remember_language(context: BotContext, language: str) -> None:
    if context.user_data is not None:
        context.user_data[LANGUAGE_KEY] = language


async def send(update: Update, screen: Screen) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(screen.text, reply_markup=screen.keyboard)


async def answer(context: BotContext, query: CallbackQuery, notice: str | None = None) -> None:
    """Stop the button's spinner. A query older than Telegram keeps is not an error.
    Remembered, so the error handler answers only queries that were not answered yet."""
    try:
        await query.answer(notice)
    except BadRequest as exc:
        log.info("callback query could not be answered: %s", exc.message)
    if context.user_data is not None:
        context.user_data[ANSWERED_KEY] = query.id


def was_answered(context: BotContext, query: CallbackQuery) -> bool:
    return context.user_data is not None and context.user_data.get(ANSWERED_KEY) == query.id


async def show_in_place(query: CallbackQuery, screen: Screen) -> None:
    """Replace the tapped message with `screen`, so the chat does not fill up.

    A double tap asks for the text the message already has: "message is not
    modified" is success. A message Telegram no longer lets us edit gets a new one.
    """
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
    except BadRequest as exc:
        if "not modified" in exc.message:
            return
        log.info("message could not be edited (%s); sending a new one", exc.message)
        if query.message is None:
            raise
        await query.message.chat.send_message(screen.text, reply_markup=screen.keyboard)


async def show_buttons(query: CallbackQuery, keyboard: InlineKeyboardMarkup) -> None:
    """New buttons on the tapped message, its text unchanged ("not modified" is fine)."""
    try:
        await query.edit_message_reply_markup(reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            log.info("buttons could not be changed: %s", exc.message)


async def remove_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    """Take the buttons off an earlier message whose question has been answered."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        log.info("buttons could not be removed: %s", exc.message)
