"""Button taps: decode the data once, then route to the handler for that kind of button.

Stale or forged data — undecodable, or naming a topic, tip, page or setting that
does not exist — is answered with a short notice and the main menu.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.handlers import checkin, navigation, privacy, settings, tips
from bot.handlers.common import StaleButton, answer, show_in_place, user_language
from bot.screens import menus

log = logging.getLogger(__name__)
Route = Callable[[Update, BotContext, Any, str], Awaitable[None]]
ROUTES: dict[type[callbacks.CallbackData], Route] = {
    callbacks.ShowTopic: navigation.show_topic,
    callbacks.ChooseLanguage: navigation.choose_language,
    callbacks.SetLanguage: navigation.set_language,
    callbacks.OpenTopic: tips.open_topic,
    callbacks.RateTip: tips.rate,
    callbacks.AnswerTipOffer: tips.answer_offer,
    callbacks.ShowSettings: settings.show_page,
    callbacks.ChangeSetting: settings.change,
    callbacks.AskTimezone: settings.ask_timezone,
    callbacks.ConfirmDelete: privacy.confirm_delete,
    callbacks.AnswerConsent: checkin.on_consent,
    callbacks.CheckinLevel: checkin.on_step,
    callbacks.CheckinNight: checkin.on_step,
    callbacks.CheckinToggle: checkin.on_step,
    callbacks.CheckinNext: checkin.on_step,
    callbacks.CheckinLater: checkin.on_later,
    callbacks.MorningWoke: checkin.on_morning,
    callbacks.MorningLevel: checkin.on_morning,
}


async def on_button(update: Update, context: BotContext) -> None:
    """Every inline button of the bot arrives here."""
    query = update.callback_query
    assert query is not None
    language = await user_language(update, context)
    try:
        data = callbacks.decode(query.data)
        await ROUTES[type(data)](update, context, data, language)
    except (callbacks.InvalidCallbackData, StaleButton) as exc:
        log.info("stale or forged button rejected: %s", exc)
        await answer(query, context.content.text("stale_button", language))
        await show_in_place(query, menus.main_menu(context.content, language))
