"""/afspraak (/appointment): set the next appointment in a few taps (or type the date),
see it, move or cancel it, choose when the reminder comes; type questions for it; what
to remember afterwards. Health data: nothing is stored without current consent.

A text typed after a prompt goes to the one next-text slot; a text typed after the
scheduled reminder or the day-after question (which no tap opened) is found through
the appointment row's `asking` (see `services/appointments.py`).
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import CallbackQuery, Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.domain.appointments import MAX_AHEAD, parse_date, week_days
from bot.domain.urgency import Tier
from bot.handlers import next_text
from bot.handlers.common import StaleButton, answer, send, show_in_place, the_query, user_texts
from bot.screens import Screen
from bot.screens.appointment import (
    cancelled_screen,
    current_screen,
    days_screen,
    none_screen,
    question_prompt,
    question_saved,
    reminder_screen,
    type_date_screen,
    unreadable_date,
    weeks_screen,
    who_screen,
)
from bot.screens.consent import consent_screen
from bot.screens.dates import day_label
from bot.screens.menus import main_menu, urgent_first
from bot.services import appointments
from bot.services.checkins import NoConsent, consent_of
from bot.services.preferences import load_choices, user_today

Flow = (
    callbacks.AppointmentWeeks
    | callbacks.AppointmentWeek
    | callbacks.AppointmentDay
    | callbacks.AppointmentWho
    | callbacks.AppointmentType
    | callbacks.AppointmentRemind
    | callbacks.AppointmentDo
)


async def _consented(context: BotContext, user_id: int) -> bool:
    agreement = await consent_of(context.db, user_id)
    return agreement is not None and agreement.is_current(context.content.privacy_version)


async def _consent_screen(context: BotContext, user_id: int, texts: Texts) -> Screen:
    changed = await consent_of(context.db, user_id) is not None
    return consent_screen(texts, changed=changed, then_checkin=False, then_appointment=True)


async def appointment_command(update: Update, context: BotContext) -> None:
    """The appointment as it stands, or the first step; first the consent question."""
    texts = await user_texts(update, context)
    user = update.effective_user
    assert user is not None
    await send(update, await start_screen(context, user.id, texts))


async def start_screen(context: BotContext, user_id: int, texts: Texts) -> Screen:
    if not await _consented(context, user_id):
        return await _consent_screen(context, user_id, texts)
    today = await user_today(context.db, user_id, context.now())
    view = await appointments.load_appointment(context.db, user_id, today)
    if view is None:
        return weeks_screen(texts, today, has_one=False)
    return current_screen(texts, view, await _tip_minute(context, user_id))


async def _tip_minute(context: BotContext, user_id: int) -> int:
    return (await load_choices(context.db, user_id)).tip_minute


def _check_day(day: date, today: date) -> None:
    """A day button is from tomorrow on and within a year; anything else is forged."""
    if not today < day <= today + MAX_AHEAD:
        raise StaleButton(f"appointment day {day} is not on offer")


async def on_flow(update: Update, context: BotContext, data: Flow, texts: Texts) -> None:
    """Every /afspraak button."""
    query = the_query(update)
    user_id = query.from_user.id
    await answer(context, query)
    now = context.now()
    today = await user_today(context.db, user_id, now)
    if isinstance(data, callbacks.AppointmentDo):
        await _do(update, context, data, texts, today)
        return
    if not await _consented(context, user_id):
        await show_in_place(query, await _consent_screen(context, user_id, texts))
        return
    if isinstance(data, callbacks.AppointmentWeeks):
        has_one = await appointments.load_appointment(context.db, user_id, today) is not None
        await show_in_place(query, weeks_screen(texts, today, has_one=has_one))
    elif isinstance(data, callbacks.AppointmentWeek):
        if not week_days(today, data.weeks):
            raise StaleButton(f"week {data.weeks} has no days left")
        await show_in_place(query, days_screen(texts, today, data.weeks))
    elif isinstance(data, callbacks.AppointmentType):
        prompt_id = query.message.message_id if query.message is not None else None
        next_text.expect(context, next_text.Purpose.APPOINTMENT_DATE, prompt_message_id=prompt_id)
        await show_in_place(query, type_date_screen(texts))
    elif isinstance(data, callbacks.AppointmentDay):
        _check_day(data.day, today - timedelta(days=1))
        await show_in_place(query, who_screen(texts, data.day, today))
    elif isinstance(data, callbacks.AppointmentWho):
        _check_day(data.day, today - timedelta(days=1))
        await _save(context, query, user_id, data, texts)
    else:
        view = await appointments.set_remind_days(context.db, user_id, data.days, now)
        if view is None:
            await show_in_place(query, none_screen(texts))
            return
        await show_in_place(query, current_screen(texts, view, await _tip_minute(context, user_id)))


async def _save(
    context: BotContext,
    query: CallbackQuery,
    user_id: int,
    data: callbacks.AppointmentWho,
    texts: Texts,
) -> None:
    try:
        view = await appointments.set_appointment(
            context.db, user_id, data.day, data.who, context.content.privacy_version, context.now()
        )
    except NoConsent:
        await show_in_place(query, await _consent_screen(context, user_id, texts))
        return
    screen = current_screen(texts, view, await _tip_minute(context, user_id), saved=True)
    await show_in_place(query, screen)


async def _do(
    update: Update,
    context: BotContext,
    data: callbacks.AppointmentDo,
    texts: Texts,
    today: date,
) -> None:
    query = the_query(update)
    user_id = query.from_user.id
    if data.action == "cancel":
        await appointments.cancel_appointment(context.db, user_id)
        await show_in_place(query, cancelled_screen(texts))
        return
    view = await appointments.load_appointment(context.db, user_id, today)
    if data.action in ("done", "skip"):
        asked = await appointments.asked(context.db, user_id, context.now())
        await appointments.stop_asking(context.db, user_id)
        if data.action == "done":
            await show_in_place(query, Screen(texts("appointment_questions_done")))
        elif asked == appointments.QUESTIONS and view is not None:
            # the reminder stays as it was, without its "Skip": Move and Cancel still work
            await show_in_place(query, reminder_screen(texts, view, today, skip=False))
        else:
            await show_in_place(query, Screen(texts("appointment_skipped")))
        return
    if view is None:
        await show_in_place(query, none_screen(texts))
        return
    if data.action == "clear":
        await appointments.clear_questions(context.db, user_id)
        view = await appointments.load_appointment(context.db, user_id, today)
        assert view is not None
    if data.action == "ask" and not view.full:
        prompt_id = query.message.message_id if query.message is not None else None
        next_text.expect(
            context, next_text.Purpose.APPOINTMENT_QUESTION, prompt_message_id=prompt_id
        )
        await show_in_place(query, question_prompt(texts))
        return
    await show_in_place(query, current_screen(texts, view, await _tip_minute(context, user_id)))


async def typed_date(update: Update, context: BotContext, text: str, texts: Texts) -> None:
    """The text after "Typ een datum": the day, then "Met wie?"; unreadable: say so and
    keep listening."""
    user = update.effective_user
    assert user is not None
    today = await user_today(context.db, user.id, context.now())
    day = parse_date(text, today)
    if day is None:
        next_text.expect(context, next_text.Purpose.APPOINTMENT_DATE)
        await send(update, unreadable_date(texts))
        return
    next_text.forget(context)
    await send(update, who_screen(texts, day, today))


async def typed_question(
    update: Update, context: BotContext, text: str, texts: Texts, urgent: Tier | None
) -> None:
    """A question for the appointment (after the reminder, or "Vraag typen"): stored,
    then "Nog een vraag?" until there are three. A question that may mean danger is
    stored too, and the urgent-help text comes first."""
    user = update.effective_user
    assert user is not None
    try:
        added = await appointments.add_question(
            context.db, user.id, text, context.content.privacy_version, context.now()
        )
    except NoConsent:
        next_text.forget(context)
        await send(update, Screen(texts("consent_none")))
        return
    if added is None:
        next_text.forget(context)
        await send(update, none_screen(texts))
        return
    if added.view.full:
        next_text.forget(context)
    else:
        next_text.expect(context, next_text.Purpose.APPOINTMENT_QUESTION)
    await send(
        update, urgent_first(texts, urgent, question_saved(texts, added.question, added.view))
    )


async def typed_after(
    update: Update, context: BotContext, text: str, texts: Texts, urgent: Tier | None
) -> None:
    """What to remember from the appointment: the note of its day."""
    user = update.effective_user
    assert user is not None
    next_text.forget(context)
    try:
        found = await appointments.remember_after(
            context.db, user.id, text, context.content.privacy_version, context.now()
        )
    except NoConsent:
        await send(update, Screen(texts("consent_none")))
        return
    if found is None:
        await send(update, main_menu(texts))
        return
    body = texts("appointment_after_saved", day=day_label(texts, found.day))
    if found.shortened:
        body = f"{body}\n{texts('appointment_after_cut')}"
    await send(update, urgent_first(texts, urgent, Screen(body)))


async def typed_for_scheduled(
    update: Update, context: BotContext, text: str, texts: Texts, urgent: Tier | None
) -> bool:
    """A text after the reminder or the day-after question (no prompt slot open): True
    when it was for one of them."""
    user = update.effective_user
    assert user is not None
    asked = await appointments.asked(context.db, user.id, context.now())
    if asked == appointments.QUESTIONS:
        await typed_question(update, context, text, texts, urgent)
    elif asked == appointments.AFTER:
        await typed_after(update, context, text, texts, urgent)
    else:
        return False
    return True
