"""Registers every handler, in the order python-telegram-bot tries them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
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
    admin,
    appointment,
    broadcast,
    buttons,
    checkin,
    commands,
    consent,
    errors,
    flood,
    membership,
    messages,
    next_text,
    patterns,
    privacy,
    settings,
    tips,
)
from bot.services.handled_updates import first_time

log = logging.getLogger(__name__)
GUARD_GROUP = -1
NEW_MESSAGES = filters.UpdateType.MESSAGE
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Command:
    """One slash command: its Dutch and English name, what it does, and the text that
    describes it in Telegram's "/" menu."""

    nl: str
    en: str
    callback: Callback
    description_key: str

    def name(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


# The one list of commands, in the order of the "/" menu.
COMMANDS = (
    Command("start", "start", commands.start, "command_start"),
    Command("menu", "menu", commands.menu, "command_menu"),
    Command("checkin", "checkin", checkin.checkin_command, "command_checkin"),
    Command("overzicht", "overview", patterns.overview, "command_overview"),
    Command("export", "export", patterns.export, "command_export"),
    Command("afspraak", "appointment", appointment.appointment_command, "command_appointment"),
    Command("tip", "tip", tips.tip_command, "command_tip"),
    Command("instellingen", "settings", settings.settings_command, "command_settings"),
    Command("taal", "language", commands.language, "command_language"),
    Command("privacy", "privacy", consent.privacy_command, "command_privacy"),
    Command("mijngegevens", "mydata", privacy.my_data, "command_my_data"),
    Command("verwijderen", "delete", privacy.delete_command, "command_delete"),
    Command("help", "help", commands.help_command, "command_help"),
)


async def guard(update: Update, context: BotContext) -> None:
    """Runs before everything else. Groups, channels and taps outside our chat (inline
    buttons) stop here; so does a message beyond what a flood gets answered; a command
    or a button tap ends any open "type your answer" prompt. With a webhook, an update
    that was handled already (Telegram sent it again, or to another process) stops here."""
    if context.services.settings.webhook_url and not await first_time(
        context.db, update.update_id, context.now()
    ):
        log.info("update %d arrived again and was skipped", update.update_id)
        raise ApplicationHandlerStop
    chat = update.effective_chat
    inline_tap = update.callback_query is not None and update.callback_query.message is None
    if inline_tap or (chat is not None and chat.type != chat.PRIVATE):
        await messages.outside_private_chat(update, context)
        raise ApplicationHandlerStop
    if update.message is not None:
        verdict = flood.on_message(context, update.message.date)
        if verdict is not flood.Verdict.ANSWER:
            await messages.flooded(update, context, tell=verdict is flood.Verdict.TELL_ONCE)
            raise ApplicationHandlerStop
    if update.callback_query is not None or filters.COMMAND.check_update(update):
        next_text.forget(context)


def register_handlers(application: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    application.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)
    application.add_handlers(
        [
            ChatMemberHandler(membership.on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
            MessageHandler(filters.UpdateType.EDITED, messages.edited),
            *(
                CommandHandler(sorted({c.nl, c.en}), c.callback, filters=NEW_MESSAGES)
                for c in COMMANDS
            ),
            CommandHandler("stats", admin.stats, filters=NEW_MESSAGES),  # not in COMMANDS
            CommandHandler("broadcast", broadcast.broadcast_command, filters=NEW_MESSAGES),
            MessageHandler(filters.COMMAND & NEW_MESSAGES, commands.unknown_command),
            CallbackQueryHandler(buttons.on_button),
            MessageHandler(filters.TEXT & NEW_MESSAGES, messages.question),
            MessageHandler(NEW_MESSAGES, messages.not_text),
        ]
    )
    application.add_error_handler(errors.on_error)
