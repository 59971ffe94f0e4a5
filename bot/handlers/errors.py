"""The last line of defence: log without secrets, tell the user kindly, show the menu."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.handlers.common import LANGUAGE_KEY, answer, was_answered
from bot.screens import menus
from bot.services.users import language_from_telegram

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the error (type and where, never the user's text) and apologise to the user."""
    error = context.error
    where = update.update_id if isinstance(update, Update) else "a job"
    # the log filter (bot.logging_setup) keeps the traceback, never the exception's message
    log.error("error while handling update %s: %s", where, type(error).__name__, exc_info=error)
    context.services.metrics.handler_failed(update, error)
    if not isinstance(update, Update):
        return
    query = update.callback_query
    if query is not None and not was_answered(context, query):
        with suppress(TelegramError):
            await answer(context, query)  # whatever happened, the spinner stops
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        return
    user = update.effective_user
    cached = context.user_data.get(LANGUAGE_KEY) if context.user_data is not None else None
    language = cached or language_from_telegram(user.language_code if user else None)
    screen = menus.notice_with_menu(context.content.texts(language), "something_went_wrong")
    try:
        await chat.send_message(screen.text, reply_markup=screen.keyboard)
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", type(exc).__name__)
