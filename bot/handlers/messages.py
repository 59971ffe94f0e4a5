"""Everything that is not a command or a button: questions, media, edits, groups."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update

from bot.context import BotContext
from bot.domain.urgency import urgency_of
from bot.handlers import appointment, broadcast, checkin, consent, next_text, settings
from bot.handlers.common import answer, send, user_texts
from bot.screens import menus
from bot.services.search import search_topics, small_talk
from bot.services.users import language_from_telegram

log = logging.getLogger(__name__)
GROUP_QUIET = timedelta(hours=1)
GROUP_TOLD_KEY = "told_private_only_at"
SMALL_TALK_KEYS = {"greeting": "greeting_reply", "thanks": "thanks_reply"}


async def question(update: Update, context: BotContext) -> None:
    """Free text: the best matching topics as buttons, or the menu when nothing matches."""
    message = update.effective_message
    assert message is not None and message.text is not None
    texts = await user_texts(update, context)
    urgent = urgency_of(message.text, context.content.urgent_phrases)
    if urgent is not None:
        log.info("urgent help shown first (%s)", urgent.value)
    slot = next_text.pending(context)
    if slot is not None and slot.purpose in broadcast.STEPS:
        if await broadcast.typed_text(update, context, message.text, slot, texts):
            return
        slot = None
    if slot is not None and slot.purpose is next_text.Purpose.NOTE:
        await checkin.typed_note(update, context, message.text, slot, texts, urgent)
        return
    if slot is not None and slot.purpose is next_text.Purpose.TIMEZONE and urgent is None:
        await settings.typed_timezone(update, context, message.text, texts)
        return
    if slot is not None and slot.purpose is next_text.Purpose.REPORT_NAME and urgent is None:
        await consent.typed_report_name(update, context, message.text, texts)
        return
    if slot is not None and slot.purpose is next_text.Purpose.APPOINTMENT_DATE and urgent is None:
        await appointment.typed_date(update, context, message.text, texts)
        return
    if slot is not None and slot.purpose is next_text.Purpose.APPOINTMENT_QUESTION:
        await appointment.typed_question(update, context, message.text, texts, urgent)
        return
    if slot is None and await appointment.typed_for_scheduled(
        update, context, message.text, texts, urgent
    ):
        return
    found = search_topics(context.content, message.text)
    chat = small_talk(context.content, message.text) if urgent is None else None
    if chat is not None and not found.topics:
        await send(update, menus.main_menu(texts, texts(SMALL_TALK_KEYS[chat])))
        return
    await send(update, menus.search_results(texts, found.topics, urgent, clear=found.clear))


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice and other media: a friendly pointer to the menu."""
    texts = await user_texts(update, context)
    await send(update, menus.notice_with_menu(texts, "media_not_understood"))


async def edited(update: Update, context: BotContext) -> None:
    """An edited message is not answered again; the user gets a pointer instead."""
    texts = await user_texts(update, context)
    await send(update, menus.notice_with_menu(texts, "edited_message"))


async def outside_private_chat(update: Update, context: BotContext) -> None:
    """Groups, channels and inline buttons: the bot works in a private chat only; nothing
    is stored. A tap always gets its answer; a group gets the line at most once an hour,
    so a busy group never takes the bot's time from private chats."""
    chat, user = update.effective_chat, update.effective_user
    log.info("update from a %s chat ignored", chat.type if chat else "inline")
    language = language_from_telegram(user.language_code if user else None)
    text = context.content.text("private_chat_only", language, bot_username=context.bot.username)
    if update.callback_query is not None:
        await answer(context, update.callback_query, text)
        return
    if chat is None or chat.type == chat.CHANNEL or update.effective_message is None:
        return  # a channel post has no person to answer
    told_at = context.chat_data.get(GROUP_TOLD_KEY) if context.chat_data is not None else None
    if told_at is not None and context.now() - told_at < GROUP_QUIET:
        return
    if context.chat_data is not None:
        context.chat_data[GROUP_TOLD_KEY] = context.now()
    await update.effective_message.reply_text(text)


async def flooded(update: Update, context: BotContext, *, tell: bool) -> None:
    """Many messages in a minute: one calm line, then quiet until the minute has passed."""
    log.info("flood: message %s", "answered with one line" if tell else "not answered")
    if tell:
        texts = await user_texts(update, context)
        await send(update, menus.notice_with_menu(texts, "flood_notice"))
