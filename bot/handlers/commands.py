"""Slash commands: /start, /menu, /help, /taal (/language) and unknown ones."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import send, user_texts
from bot.handlers.tips import offer_tips_once
from bot.screens import menus
from bot.services.checkins import consent_of


async def start(update: Update, context: BotContext) -> None:
    """Welcome, what is stored, the disclaimer and the main menu; keeps existing settings."""
    texts = await user_texts(update, context, refresh=True)
    user = update.effective_user
    assert user is not None
    # A consent row, current or from an older privacy text, means check-ins are kept.
    stores_checkins = await consent_of(context.db, user.id) is not None
    await send(update, menus.welcome(texts, user.first_name, stores_checkins=stores_checkins))
    await offer_tips_once(update, context, texts)


async def menu(update: Update, context: BotContext) -> None:
    """The main menu as a new message."""
    await send(update, menus.main_menu(await user_texts(update, context)))


async def help_command(update: Update, context: BotContext) -> None:
    """How to use the bot."""
    await send(update, menus.help_screen(await user_texts(update, context)))


async def language(update: Update, context: BotContext) -> None:
    """The language picker."""
    await send(update, menus.language_picker(await user_texts(update, context)))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not know: say so kindly, with the menu."""
    texts = await user_texts(update, context)
    await send(update, menus.notice_with_menu(texts, "unknown_command"))
