"""/privacy and the consent question: check-ins are stored only after "I agree"."""

from __future__ import annotations

import html

from telegram import Update

from bot import callbacks
from bot.callbacks import ShowSettings
from bot.content import Texts
from bot.context import BotContext
from bot.domain.choices import local_today
from bot.domain.consent import report_name_of
from bot.handlers import next_text
from bot.handlers.appointment import start_screen
from bot.handlers.common import answer, send, show_in_place, the_query, user_texts
from bot.screens import Screen
from bot.screens.checkin import level_screen
from bot.screens.consent import (
    consent_screen,
    privacy_status,
    report_name_prompt,
    withdraw_question,
)
from bot.screens.settings import settings_page
from bot.services.checkins import (
    NoConsent,
    consent_of,
    count_checkins,
    give_consent,
    load_checkin,
    set_report_name,
    withdraw_consent,
)
from bot.services.preferences import load_choices, user_today


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
        await withdraw_consent(context.db, user_id, context.now())
        await show_in_place(query, Screen(texts("consent_withdrawn")))
    elif data.answer == "withdraw_no":
        await show_in_place(query, privacy_status(texts, await consent_of(context.db, user_id)))
    else:
        await give_consent(context.db, user_id, context.content.privacy_version, context.now())
        if data.answer == "yes_appointment":
            await show_in_place(query, await start_screen(context, user_id, texts))
        elif data.answer == "yes_checkin":
            today = await user_today(context.db, user_id, context.now())
            await show_in_place(
                query, level_screen(texts, await load_checkin(context.db, user_id, today))
            )
        else:
            agreement = await consent_of(context.db, user_id)
            await show_in_place(query, privacy_status(texts, agreement, saved=True))


async def on_report_name(
    update: Update, context: BotContext, data: callbacks.ReportName, texts: Texts
) -> None:
    """The name on the doctor's report is health-adjacent data: only with consent."""
    query = the_query(update)
    await answer(context, query)
    agreement = await consent_of(context.db, query.from_user.id)
    if agreement is None or not agreement.is_current(context.content.privacy_version):
        changed = agreement is not None
        await show_in_place(query, consent_screen(texts, changed=changed, then_checkin=False))
        return
    if data.clear:
        await _store_report_name(update, context, texts, None, edit=True)
        return
    message_id = query.message.message_id if query.message is not None else None
    next_text.expect(context, next_text.Purpose.REPORT_NAME, prompt_message_id=message_id)
    await show_in_place(query, report_name_prompt(texts, agreement))


async def typed_report_name(update: Update, context: BotContext, text: str, texts: Texts) -> None:
    next_text.forget(context)
    await _store_report_name(update, context, texts, report_name_of(text), edit=False)


async def _store_report_name(
    update: Update, context: BotContext, texts: Texts, name: str | None, *, edit: bool
) -> None:
    """Store it and show the check-in settings again, saying what the report will show."""
    user = update.effective_user
    assert user is not None
    try:
        await set_report_name(context.db, user.id, name, context.content.privacy_version)
    except NoConsent:
        screen = consent_screen(texts, changed=False, then_checkin=False)
    else:
        choices = await load_choices(context.db, user.id)
        page = settings_page(
            texts, ShowSettings("checkin"), choices, local_today(choices, context.now())
        )
        said = (
            texts("report_name_saved", name=html.escape(name))
            if name
            else texts("report_name_none")
        )
        screen = Screen(f"{said}\n\n{page.text}", page.keyboard)
    if edit and update.callback_query is not None:
        await show_in_place(update.callback_query, screen)
    else:
        await send(update, screen)
