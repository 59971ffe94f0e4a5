"""The menus: topic screens, the main menu, welcome, help, language and search."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.content import Content, Topic
from bot.screens import Screen, keyboards


def topic_screen(content: Content, topic: Topic, language: str) -> Screen:
    text = f"<b>{topic.title[language]}</b>\n\n{topic.body[language]}"
    return Screen(text, keyboards.topic_keyboard(content, topic, language))


def main_menu(content: Content, language: str, intro: str | None = None) -> Screen:
    """The main menu, optionally after a line that explains why it is shown."""
    screen = topic_screen(content, content.root, language)
    if intro is None:
        return screen
    return Screen(f"{intro}\n\n{screen.text}", screen.keyboard)


def welcome(content: Content, language: str, first_name: str) -> Screen:
    intro = "\n\n".join(
        [
            content.text("welcome", language, name=html.escape(first_name)),
            content.text("privacy_short", language),
        ]
    )
    return Screen(intro, keyboards.topic_keyboard(content, content.root, language))


def help_screen(content: Content, language: str) -> Screen:
    return Screen(content.text("help", language), keyboards.main_menu_button(content, language))


def language_picker(content: Content, language: str) -> Screen:
    return Screen(
        content.text("language_prompt", language), keyboards.language_keyboard(content, language)
    )


def search_results(content: Content, found: Sequence[Topic], language: str) -> Screen:
    if not found:
        return main_menu(content, language, content.text("search_nothing", language))
    return Screen(
        content.text("search_results", language),
        keyboards.search_keyboard(content, found, language),
    )


def notice_with_menu(content: Content, language: str, key: str) -> Screen:
    """A one-line notice (unknown command, sticker, error...) followed by the main menu."""
    return main_menu(content, language, content.text(key, language))
