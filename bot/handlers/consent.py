"""/privacy and the consent question: check-ins are stored only after "I agree"."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.handlers.common import answer, send, show_in_place, the_query, user_texts
from bot.screens import Screen
from bot.screens.checkin import level_screen
from bot.screens.consent import privacy_status, withdraw_question
from bot.services.checkins import (
    consent_of,
    count_checkins,
    give_consent,
    load_checkin,
    withdraw_consent,
)
from bot.services.preferences import user_today


async def privacy_command(update: Update, context: BotContext) -> None:
    texts = await user_texts(update, context)
    user = update.effective_user
    assert user is not None
    await send(update, privacy_status(texts, await consent_of(context.db, user.id)))


async def on_consent(
    update: Update, context: BotContext, data: callbacks.AnswerConsent, texts: Texts
) -> None:
    query = the_query(update)
    user_id = query.from_user.id
    await answer(context, query)
    if data.answer == "no":
        await show_in_place(query, Screen(texts("consent_declined")))
    elif data.answer == "withdraw" and (checkins := await count_checkins(context.db, user_id)):
        await show_in_place(query, withdraw_question(texts, checkins))
    elif data.answer in ("withdraw", "withdraw_yes"):
        await withdraw_consent(context.db, user_id)
        await show_in_place(query, Screen(texts("consent_withdrawn")))
    elif data.answer == "withdraw_no":
        await show_in_place(query, privacy_status(texts, await consent_of(context.db, user_id)))
    else:
        await give_consent(context.db, user_id, context.content.privacy_version, context.now())
        if data.answer == "yes_checkin":
            today = await user_today(context.db, user_id, context.now())
            await show_in_place(
                query, level_screen(texts, await load_checkin(context.db, user_id, today))
            )
        else:
            agreement = await consent_of(context.db, user_id)
            await show_in_place(query, privacy_status(texts, agreement, saved=True))
