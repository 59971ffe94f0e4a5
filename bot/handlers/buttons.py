"""Button taps: decode the data once, then route to the handler for that kind of button.

Stale or forged data — undecodable, or naming a topic, tip, page or setting that
does not exist — is answered with a short notice and the main menu.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.domain import changes
from bot.handlers import (
    appointment,
    broadcast,
    checkin,
    commands,
    consent,
    navigation,
    patterns,
    privacy,
    settings,
    tips,
)
from bot.handlers.common import StaleButton, answer, show_in_place, the_query, user_texts
from bot.screens import menus

log = logging.getLogger(__name__)
Route = Callable[[Update, BotContext, Any, Texts], Awaitable[None]]
ACTIONS: dict[callbacks.Action, Callable[[Update, BotContext], Awaitable[None]]] = {
    "checkin": checkin.checkin_command,
    "overview": patterns.overview,
    "export": patterns.export,
    "settings": settings.settings_command,
    "help": commands.help_command,
    "appointment": appointment.appointment_command,
}


async def run_action(
    update: Update, context: BotContext, data: callbacks.RunAction, texts: Texts
) -> None:
    """A main-menu action button does what its slash command does, in a new message."""
    await answer(context, the_query(update))
    await ACTIONS[data.action](update, context)


ROUTES: dict[type[callbacks.CallbackData], Route] = {
    callbacks.ShowTopic: navigation.show_topic,
    callbacks.RunAction: run_action,
    callbacks.ChooseLanguage: navigation.choose_language,
    callbacks.SetLanguage: navigation.set_language,
    callbacks.OpenTopic: tips.open_topic,
    callbacks.RateTip: tips.rate,
    callbacks.AnswerTipOffer: tips.answer_offer,
    **dict.fromkeys(
        [callbacks.ShowSettings, callbacks.PickPart, callbacks.PickHour, callbacks.PickMinute],
        settings.show_page,
    ),
    **dict.fromkeys(typing.get_args(changes.Change), settings.change),
    callbacks.AskTimezone: settings.ask_timezone,
    callbacks.ConfirmDelete: privacy.confirm_delete,
    callbacks.AnswerConsent: consent.on_consent,
    callbacks.ReportName: consent.on_report_name,
    **dict.fromkeys(typing.get_args(checkin.Step), checkin.on_step),
    callbacks.CheckinBack: checkin.on_back,
    callbacks.CheckinStop: checkin.on_stop,
    callbacks.CheckinLater: checkin.on_later,
    callbacks.MorningWoke: checkin.on_morning,
    callbacks.MorningLevel: checkin.on_morning,
    **dict.fromkeys(typing.get_args(appointment.Flow), appointment.on_flow),
    callbacks.BroadcastAnswer: broadcast.on_answer,
    callbacks.BroadcastProgress: broadcast.on_progress,
    callbacks.AdminMessages: broadcast.on_admin_messages,
}


async def on_button(update: Update, context: BotContext) -> None:
    """Every inline button of the bot arrives here."""
    query = update.callback_query
    assert query is not None
    texts = await user_texts(update, context)
    try:
        data = callbacks.decode(query.data)
        await ROUTES[type(data)](update, context, data, texts)
    except (callbacks.InvalidCallbackData, StaleButton) as exc:
        log.info("stale or forged button rejected: %s", exc)
        await answer(context, query, texts("stale_button"))
        await show_in_place(query, menus.main_menu(texts))
