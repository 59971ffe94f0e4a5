"""What Telegram shows of the bot before anyone writes, per language, from content/: the
"/" menu of commands, the description (the empty chat's "What can this bot do?") and
the short description (the profile page, and when the bot is shared). `spasmbot run`
sets the commands at every start; `spasmbot setup-bot` sets all three."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.content import LANGUAGES, Content
from bot.handlers import COMMANDS

DEFAULT_LANGUAGE = "en"  # also what everyone whose Telegram is in another language sees


async def set_commands(bot: Bot, content: Content) -> None:
    for language in LANGUAGES:
        texts = content.texts(language)
        commands = [BotCommand(c.name(language), texts(c.description_key)) for c in COMMANDS]
        await bot.set_my_commands(commands, language_code=language)
        if language == DEFAULT_LANGUAGE:
            await bot.set_my_commands(commands)


async def set_descriptions(bot: Bot, content: Content) -> None:
    for language in LANGUAGES:
        texts = content.texts(language)
        codes = [language, None] if language == DEFAULT_LANGUAGE else [language]
        for code in codes:
            await bot.set_my_description(texts("bot_description"), language_code=code)
            await bot.set_my_short_description(texts("bot_short_description"), language_code=code)
