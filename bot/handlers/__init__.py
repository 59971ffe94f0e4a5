"""Registers every handler, in the order python-telegram-bot tries them."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import BotContext
from bot.handlers import (
    buttons,
    checkin,
    commands,
    consent,
    errors,
    membership,
    messages,
    next_text,
    patterns,
    privacy,
    settings,
    tips,
)

GUARD_GROUP = -1
NEW_MESSAGES = filters.UpdateType.MESSAGE


async def guard(update: Update, context: BotContext) -> None:
    """Runs before everything else: updates from groups and channels stop here, and a
    command or a button tap ends any open "type your answer" prompt."""
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        await messages.outside_private_chat(update, context)
        raise ApplicationHandlerStop
    if update.callback_query is not None or filters.COMMAND.check_update(update):
        next_text.forget(context)


def register_handlers(application: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)
    application.add_handlers(
        [
            ChatMemberHandler(membership.on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
            MessageHandler(filters.UpdateType.EDITED, messages.edited),
            CommandHandler("start", commands.start, filters=NEW_MESSAGES),
            CommandHandler("menu", commands.menu, filters=NEW_MESSAGES),
            CommandHandler("help", commands.help_command, filters=NEW_MESSAGES),
            CommandHandler(["taal", "language"], commands.language, filters=NEW_MESSAGES),
            CommandHandler(
                ["instellingen", "settings"], settings.settings_command, filters=NEW_MESSAGES
            ),
            CommandHandler("tip", tips.tip_command, filters=NEW_MESSAGES),
            CommandHandler("checkin", checkin.checkin_command, filters=NEW_MESSAGES),
            CommandHandler("privacy", consent.privacy_command, filters=NEW_MESSAGES),
            CommandHandler(["overzicht", "overview"], patterns.overview, filters=NEW_MESSAGES),
            CommandHandler("export", patterns.export, filters=NEW_MESSAGES),
            CommandHandler(["mijngegevens", "mydata"], privacy.my_data, filters=NEW_MESSAGES),
            CommandHandler(["verwijderen", "delete"], privacy.delete_command, filters=NEW_MESSAGES),
            MessageHandler(filters.COMMAND & NEW_MESSAGES, commands.unknown_command),
            CallbackQueryHandler(buttons.on_button),
            MessageHandler(filters.TEXT & NEW_MESSAGES, messages.question),
            MessageHandler(NEW_MESSAGES, messages.not_text),
        ]
    )
    application.add_error_handler(errors.on_error)
