"""The question before deleting everything about a user."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Content
from bot.screens import Screen
from bot.screens.keyboards import button


def delete_question(content: Content, language: str) -> Screen:
    text = content.text
    choices = [
        button(text("delete_yes", language), callbacks.ConfirmDelete("yes")),
        button(text("delete_no", language), callbacks.ConfirmDelete("no")),
    ]
    return Screen(text("delete_confirm", language), InlineKeyboardMarkup([choices]))
