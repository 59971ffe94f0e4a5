"""A daily tip with its buttons, the "no tips left" notice and the offer after /start."""

from __future__ import annotations

from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts, Tip
from bot.screens import Screen
from bot.screens.keyboards import button

Verdict = Literal["up", "down"]


def tip_message(texts: Texts, tip: Tip, *, daily: bool = True) -> Screen:
    """A tip with 👍 / 👎 and a button to the topic it comes from; the scheduled one is
    "Tip van de dag", one asked for with /tip is not."""
    header = texts("tip_header" if daily else "tip_header_now")
    return Screen(f"{header}\n\n{texts.pick(tip.text)}", tip_buttons(texts, tip, None))


def tip_buttons(texts: Texts, tip: Tip, verdict: Verdict | None) -> InlineKeyboardMarkup:
    """👍 and 👎; the chosen one is marked ✅ and a second tap on it undoes the choice."""

    def rating(label: str, mine: Verdict) -> InlineKeyboardButton:
        if verdict == mine:
            return button(f"✅ {label}", callbacks.RateTip(tip.id, "clear"))
        return button(label, callbacks.RateTip(tip.id, mine))

    rows = [
        [
            rating(texts("tip_button_helpful"), "up"),
            rating(texts("tip_button_not_for_me"), "down"),
        ],
        [button(texts("tip_button_more"), callbacks.OpenTopic(tip.topic))],
    ]
    return InlineKeyboardMarkup(rows)


def no_tips_left(texts: Texts) -> Screen:
    return Screen(texts("no_tips_left"))


def tip_offer(texts: Texts) -> Screen:
    """The one-tap question after /start; tips are only ever turned on by a choice."""
    choices = [
        button(texts("tip_offer_yes"), callbacks.AnswerTipOffer(accepted=True)),
        button(texts("tip_offer_no"), callbacks.AnswerTipOffer(accepted=False)),
    ]
    return Screen(texts("tip_offer"), InlineKeyboardMarkup([choices]))
