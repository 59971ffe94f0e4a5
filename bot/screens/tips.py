"""A daily tip with its buttons, the "no tips left" notice and the offer after /start."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts, Tip
from bot.screens import Screen
from bot.screens.keyboards import button


def tip_message(texts: Texts, tip: Tip) -> Screen:
    """A daily tip with 👍 / 👎 and a button to the topic it comes from."""
    text = f"{texts('tip_header')}\n\n{texts.pick(tip.text)}"
    rows = [
        [
            button(texts("tip_button_helpful"), callbacks.RateTip(tip.id, "up")),
            button(texts("tip_button_not_for_me"), callbacks.RateTip(tip.id, "down")),
        ],
        [button(texts("tip_button_more"), callbacks.OpenTopic(tip.topic))],
    ]
    return Screen(text, InlineKeyboardMarkup(rows))


def no_tips_left(texts: Texts) -> Screen:
    return Screen(texts("no_tips_left"))


def tip_offer(texts: Texts) -> Screen:
    """The one-tap question after /start; tips are only ever turned on by a choice."""
    choices = [
        button(texts("tip_offer_yes"), callbacks.AnswerTipOffer(accepted=True)),
        button(texts("tip_offer_no"), callbacks.AnswerTipOffer(accepted=False)),
    ]
    return Screen(texts("tip_offer"), InlineKeyboardMarkup([choices]))
