"""What the user sees: each screen is a text plus its keyboard, rendered from content."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot import callbacks, keyboards
from bot.content import Content, Tip, Topic


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


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


def tip_message(content: Content, tip: Tip, language: str) -> Screen:
    """A daily tip with 👍 / 👎 and a button to the topic it comes from."""
    text = f"{content.text('tip_header', language)}\n\n{tip.text[language]}"
    rows = [
        [
            keyboards.button(
                content.text("tip_button_helpful", language), callbacks.RateTip(tip.id, "up")
            ),
            keyboards.button(
                content.text("tip_button_not_for_me", language), callbacks.RateTip(tip.id, "down")
            ),
        ],
        [
            keyboards.button(
                content.text("tip_button_more", language), callbacks.OpenTopic(tip.topic)
            )
        ],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def no_tips_left(content: Content, language: str) -> Screen:
    return Screen(content.text("no_tips_left", language))


def tip_offer(content: Content, language: str) -> Screen:
    """The one-tap question after /start; tips are only ever turned on by a choice."""
    choices = [
        keyboards.button(content.text("tip_offer_yes", language), callbacks.AnswerTipOffer("yes")),
        keyboards.button(content.text("tip_offer_no", language), callbacks.AnswerTipOffer("no")),
    ]
    return Screen(content.text("tip_offer", language), InlineKeyboardMarkup([choices]))
