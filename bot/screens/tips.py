"""A daily tip with its buttons, the "no tips left" notice and the offer after /start."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Content, Tip
from bot.screens import Screen, keyboards


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
