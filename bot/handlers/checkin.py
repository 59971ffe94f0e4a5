"""/checkin and /privacy: a few taps to note the day, stored only with consent.

Buttons carry the local date they belong to. A button from an earlier day still
records for that day, up to OPEN_DAYS back; older ones say the check-in is closed.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update

from bot import callbacks
from bot.context import BotContext
from bot.handlers import next_text
from bot.handlers.common import (
    StaleButton,
    answer,
    remove_buttons,
    send,
    show_in_place,
    the_query,
    user_language,
)
from bot.screens import Screen
from bot.screens.checkin import (
    consent_screen,
    level_screen,
    morning_level_screen,
    night_screen,
    note_screen,
    privacy_status,
    thanks_screen,
    triggers_screen,
)
from bot.services.checkins import (
    MAX_NOTE_CHARS,
    Answer,
    CheckinView,
    NoConsent,
    consent_of,
    give_consent,
    load_checkin,
    record_answer,
    snooze_checkin,
    withdraw_consent,
)
from bot.services.preferences import user_today

OPEN_DAYS = 7


async def _today(context: BotContext, user_id: int) -> date:
    return await user_today(context.db, user_id, context.now())


async def checkin_command(update: Update, context: BotContext) -> None:
    """Today's check-in, or first the consent question."""
    language = await user_language(update, context)
    user = update.effective_user
    assert user is not None
    consent = await consent_of(context.db, user.id)
    if consent is None or consent.text_version != context.content.privacy_version:
        changed = consent is not None
        await send(
            update, consent_screen(context.content, language, changed=changed, then_checkin=True)
        )
        return
    today = await _today(context, user.id)
    again = await load_checkin(context.db, user.id, today) is not None
    await send(update, level_screen(context.content, today, language, again=again))


async def privacy_command(update: Update, context: BotContext) -> None:
    language = await user_language(update, context)
    user = update.effective_user
    assert user is not None
    consent = await consent_of(context.db, user.id)
    await send(update, privacy_status(context.content, language, consent))


async def on_consent(
    update: Update, context: BotContext, data: callbacks.AnswerConsent, language: str
) -> None:
    query = the_query(update)
    user_id = query.from_user.id
    await answer(query)
    if data.answer == "no":
        await show_in_place(query, Screen(context.content.text("consent_declined", language)))
    elif data.answer == "withdraw":
        await withdraw_consent(context.db, user_id)
        await show_in_place(query, Screen(context.content.text("consent_withdrawn", language)))
    else:
        await give_consent(context.db, user_id, context.content.privacy_version, context.now())
        if data.answer == "yes_checkin":
            today = await _today(context, user_id)
            await show_in_place(query, level_screen(context.content, today, language, again=False))
        else:
            consent = await consent_of(context.db, user_id)
            await show_in_place(query, privacy_status(context.content, language, consent, True))


async def _open_day(context: BotContext, user_id: int, key: str) -> date | None:
    """The date a button belongs to; None when it is too old (closed). Forged → stale."""
    try:
        day = date(int(key[:4]), int(key[4:6]), int(key[6:]))
    except ValueError as exc:
        raise StaleButton(f"bad check-in date {key!r}") from exc
    return await _still_open(context, user_id, day)


async def _still_open(context: BotContext, user_id: int, day: date) -> date | None:
    today = await _today(context, user_id)
    if day > today:
        raise StaleButton(f"check-in date {day} is in the future")
    return day if day >= today - timedelta(days=OPEN_DAYS) else None


async def on_step(
    update: Update,
    context: BotContext,
    data: callbacks.CheckinLevel
    | callbacks.CheckinNight
    | callbacks.CheckinToggle
    | callbacks.CheckinNext,
    language: str,
) -> None:
    """Every check-in button: store the answer at once, then show the next step."""
    query = the_query(update)
    user_id = query.from_user.id
    day = await _open_day(context, user_id, data.day)
    if day is None:
        await answer(query, context.content.text("checkin_closed", language))
        await show_in_place(query, Screen(context.content.text("checkin_closed", language)))
        return
    view = await _store(update, context, day, _answer_of(context, data), language)
    if view is None:
        return
    await answer(query)
    content = context.content
    if isinstance(data, callbacks.CheckinLevel):
        await show_in_place(query, night_screen(content, day, language))
    elif isinstance(data, callbacks.CheckinNight | callbacks.CheckinToggle):
        await show_in_place(query, triggers_screen(content, view, language))
    elif data.step in ("none", "done"):
        prompt_id = query.message.message_id if query.message is not None else None
        next_text.expect(context, next_text.Purpose.NOTE, day=day, prompt_message_id=prompt_id)
        await show_in_place(query, note_screen(content, day, language))
    else:
        next_text.forget(context)
        await show_in_place(query, thanks_screen(content, view, language))


async def _store(
    update: Update, context: BotContext, day: date, step: Answer, language: str
) -> CheckinView | None:
    """Record one answer; without current consent, show the consent question instead."""
    query = the_query(update)
    try:
        return await record_answer(
            context.db,
            query.from_user.id,
            day,
            step,
            context.content.privacy_version,
            context.now(),
        )
    except NoConsent:
        await answer(query)
        await show_in_place(
            query, consent_screen(context.content, language, changed=True, then_checkin=True)
        )
        return None


def _answer_of(
    context: BotContext,
    data: callbacks.CheckinLevel
    | callbacks.CheckinNight
    | callbacks.CheckinToggle
    | callbacks.CheckinNext,
) -> Answer:
    if isinstance(data, callbacks.CheckinLevel):
        return Answer(nrs=int(data.level))
    if isinstance(data, callbacks.CheckinNight):
        return Answer(night=data.answer == "yes")
    if isinstance(data, callbacks.CheckinToggle):
        if data.trigger not in context.content.checkin_triggers:
            raise StaleButton(f"unknown trigger {data.trigger!r}")
        return Answer(toggle_trigger=data.trigger)
    return Answer(clear_triggers=data.step == "none")


async def on_later(
    update: Update, context: BotContext, data: callbacks.CheckinLater, language: str
) -> None:
    """ "Later": the same check-in again in an hour, once a day."""
    query = the_query(update)
    day = await _open_day(context, query.from_user.id, data.day)
    if day is None:
        await answer(query, context.content.text("checkin_closed", language))
        return
    snoozed = await snooze_checkin(context.db, query.from_user.id, day, context.now())
    key = "checkin_later_set" if snoozed else "checkin_later_once"
    await answer(query, context.content.text(key, language))
    if snoozed:
        await show_in_place(query, Screen(context.content.text(key, language)))


async def on_morning(
    update: Update,
    context: BotContext,
    data: callbacks.MorningWoke | callbacks.MorningLevel,
    language: str,
) -> None:
    """The morning question: woken by spasms? If so, how bad. Stored only with consent."""
    query = the_query(update)
    day = await _open_day(context, query.from_user.id, data.day)
    if day is None:
        await answer(query, context.content.text("checkin_closed", language))
        return
    woke = isinstance(data, callbacks.MorningWoke) and data.answer == "yes"
    step = (
        Answer(night_nrs=int(data.level))
        if isinstance(data, callbacks.MorningLevel)
        else Answer(night_woke=woke)
    )
    if await _store(update, context, day, step, language) is None:
        return
    await answer(query)
    if woke:
        await show_in_place(query, morning_level_screen(context.content, day, language))
    else:
        await show_in_place(query, Screen(context.content.text("morning_thanks", language)))


async def typed_note(
    update: Update, context: BotContext, text: str, slot: next_text.NextText, language: str
) -> None:
    """The text after the note question: stored (if short enough), then the thank-you.

    The prompt stays open until the note is stored, so a note typed while the database
    is down can simply be sent again; then the prompt's "Skip" button is removed."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and slot.day is not None
    if len(text) > MAX_NOTE_CHARS:
        await send(
            update,
            Screen(
                context.content.text(
                    "checkin_note_too_long",
                    language,
                    length=str(len(text)),
                    max=str(MAX_NOTE_CHARS),
                )
            ),
        )
        return
    day = await _still_open(context, user.id, slot.day)
    if day is None:
        next_text.forget(context)
        await send(update, Screen(context.content.text("checkin_closed", language)))
        return
    try:
        view = await record_answer(
            context.db,
            user.id,
            day,
            Answer(note=text),
            context.content.privacy_version,
            context.now(),
        )
    except NoConsent:
        next_text.forget(context)
        await send(update, Screen(context.content.text("consent_none", language)))
        return
    next_text.forget(context)
    if slot.prompt_message_id is not None:
        await remove_buttons(context, chat.id, slot.prompt_message_id)
    await send(update, thanks_screen(context.content, view, language))
