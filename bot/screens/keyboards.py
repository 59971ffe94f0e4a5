"""Inline keyboards, built from the content tree, never by hand per screen.

Big, clear buttons: short labels share a row in pairs, long labels get a row of
their own, and every screen below the main menu ends with Back and Main menu.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import LANGUAGES, ROOT_TOPIC, Content, Topic

PAIR_MAX_CHARS = 16  # labels up to this length may share a row on a phone


def button(label: str, data: callbacks.CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.encode(data))


def pack_rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Short labels share a row in pairs; a long label gets a row of its own."""
    rows: list[list[InlineKeyboardButton]] = []
    for item in buttons:
        last = rows[-1] if rows else None
        if (
            last is not None
            and len(last) == 1
            and len(last[0].text) <= PAIR_MAX_CHARS
            and len(item.text) <= PAIR_MAX_CHARS
        ):
            last.append(item)
        else:
            rows.append([item])
    return rows


def topic_buttons(topics: Sequence[Topic], language: str) -> list[InlineKeyboardButton]:
    return [button(t.title[language], callbacks.ShowTopic(t.id)) for t in topics]


def navigation_row(content: Content, topic: Topic, language: str) -> list[InlineKeyboardButton]:
    """Back to the parent, and Main menu when the parent is not the main menu itself."""
    row = [
        button(
            content.text("button_back", language), callbacks.ShowTopic(topic.parent or ROOT_TOPIC)
        )
    ]
    if topic.parent not in (None, ROOT_TOPIC):
        row.append(button(content.text("button_main", language), callbacks.ShowTopic(ROOT_TOPIC)))
    return row


def topic_keyboard(content: Content, topic: Topic, language: str) -> InlineKeyboardMarkup:
    children = [content.topics[child] for child in topic.children]
    rows = pack_rows(topic_buttons(children, language))
    if topic.id == ROOT_TOPIC:
        rows.append([button(content.text("button_language", language), callbacks.ChooseLanguage())])
    else:
        rows.append(navigation_row(content, topic, language))
    return InlineKeyboardMarkup(rows)


def main_menu_button(content: Content, language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[button(content.text("button_main", language), callbacks.ShowTopic(ROOT_TOPIC))]]
    )


def search_keyboard(
    content: Content, found: Sequence[Topic], language: str
) -> InlineKeyboardMarkup:
    rows = [[b] for b in topic_buttons(found, language)]
    rows.append([button(content.text("button_main", language), callbacks.ShowTopic(ROOT_TOPIC))])
    return InlineKeyboardMarkup(rows)


def language_keyboard(content: Content, language: str) -> InlineKeyboardMarkup:
    choices = [
        button(content.text(f"language_name_{code}", language), callbacks.SetLanguage(code))
        for code in LANGUAGES
    ]
    back = button(content.text("button_back", language), callbacks.ShowTopic(ROOT_TOPIC))
    return InlineKeyboardMarkup([choices, [back]])
