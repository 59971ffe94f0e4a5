"""Slash commands: /start, /menu, /help, /taal (/language) and unknown ones."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import send, user_language
from bot.handlers.tips import offer_tips_once
from bot.screens import menus


async def start(update: Update, context: BotContext) -> None:
    """Welcome, what is stored, the disclaimer and the main menu; keeps existing settings."""
    language = await user_language(update, context, refresh=True)
    user = update.effective_user
    first_name = user.first_name if user is not None else ""
    await send(update, menus.welcome(context.content, language, first_name))
    await offer_tips_once(update, context, language)


async def menu(update: Update, context: BotContext) -> None:
    """The main menu as a new message."""
    language = await user_language(update, context)
    await send(update, menus.main_menu(context.content, language))


async def help_command(update: Update, context: BotContext) -> None:
    """How to use the bot."""
    language = await user_language(update, context)
    await send(update, menus.help_screen(context.content, language))


async def language(update: Update, context: BotContext) -> None:
    """The language picker."""
    current = await user_language(update, context)
    await send(update, menus.language_picker(context.content, current))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not know: say so kindly, with the menu."""
    current = await user_language(update, context)
    await send(update, menus.notice_with_menu(context.content, current, "unknown_command"))
