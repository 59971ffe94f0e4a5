"""The question before deleting everything about a user."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.screens import Screen
from bot.screens.keyboards import button


def delete_question(texts: Texts) -> Screen:
    choices = [
        button(texts("delete_yes"), callbacks.ConfirmDelete(confirmed=True)),
        button(texts("delete_no"), callbacks.ConfirmDelete(confirmed=False)),
    ]
    return Screen(texts("delete_confirm"), InlineKeyboardMarkup([choices]))
