"""/checkin, every check-in step, "Later", the morning question and the typed note.

Buttons carry the local date they belong to. A button from an earlier day still
records for that day, up to OPEN_DAYS back; older ones say the check-in is closed.
Nothing is stored without current consent (the service checks it on every write).
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import CallbackQuery, Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.domain.notes import MAX_NOTE_CHARS, shorten_note
from bot.domain.urgency import Tier
from bot.handlers import next_text
from bot.handlers.common import (
    StaleButton,
    answer,
    remove_buttons,
    send,
    show_in_place,
    the_query,
    user_texts,
)
from bot.screens import Screen
from bot.screens.checkin import (
    checkin_steps,
    level_screen,
    morning_level_screen,
    night_screen,
    note_screen,
    stopped_screen,
    thanks_screen,
    triggers_screen,
)
from bot.screens.consent import consent_screen
from bot.screens.menus import urgent_first
from bot.services.checkins import (
    Answer,
    CheckinView,
    NoConsent,
    consent_of,
    load_checkin,
    record_answer,
    snooze_checkin,
)
from bot.services.preferences import user_today

OPEN_DAYS = 7
Step = (
    callbacks.CheckinLevel
    | callbacks.CheckinNight
    | callbacks.CheckinToggle
    | callbacks.CheckinNext
)


async def checkin_command(update: Update, context: BotContext) -> None:
    """Today's check-in, or first the consent question."""
    texts = await user_texts(update, context)
    user = update.effective_user
    assert user is not None
    agreement = await consent_of(context.db, user.id)
    if agreement is None or not agreement.is_current(context.content.privacy_version):
        changed = agreement is not None
        await send(update, consent_screen(texts, changed=changed, then_checkin=True))
        return
    today = await user_today(context.db, user.id, context.now())
    await send(update, level_screen(texts, await load_checkin(context.db, user.id, today)))


async def _open_day(context: BotContext, user_id: int, day: date) -> date | None:
    """The day a button (or a note) belongs to; None when it is too old (closed).
    A day in the future is forged: the button is stale."""
    today = await user_today(context.db, user_id, context.now())
    if day > today:
        raise StaleButton(f"check-in date {day} is in the future")
    return day if day >= today - timedelta(days=OPEN_DAYS) else None


async def _open_or_say_closed(
    context: BotContext, query: CallbackQuery, day: date, texts: Texts
) -> date | None:
    """The button's day if it is still open; else the "closed" notice, and None."""
    open_day = await _open_day(context, query.from_user.id, day)
    if open_day is None:
        await answer(context, query, texts("checkin_closed"))
    return open_day


async def on_step(update: Update, context: BotContext, data: Step, texts: Texts) -> None:
    """Every check-in button: store the answer at once, then show the next step."""
    query = the_query(update)
    day = await _open_or_say_closed(context, query, data.day, texts)
    if day is None:
        await show_in_place(query, Screen(texts("checkin_closed")))
        return
    view = await _store(update, context, day, _answer_of(context, data), texts)
    if view is None:
        return
    await answer(context, query)
    if isinstance(data, callbacks.CheckinLevel) and not view.night_asked_in_morning:
        await show_in_place(query, night_screen(texts, view))
    elif isinstance(
        data, callbacks.CheckinLevel | callbacks.CheckinNight | callbacks.CheckinToggle
    ):
        await show_in_place(query, triggers_screen(texts, view))
    elif data.step in ("none", "done"):
        await _ask_note(context, query, view, texts)
    else:
        next_text.forget(context)
        await show_in_place(query, thanks_screen(texts, view))


async def _ask_note(
    context: BotContext, query: CallbackQuery, view: CheckinView, texts: Texts
) -> None:
    """The note step: the next typed text is the note (for this day)."""
    prompt_id = query.message.message_id if query.message is not None else None
    next_text.expect(context, next_text.Purpose.NOTE, day=view.day, prompt_message_id=prompt_id)
    await show_in_place(query, note_screen(texts, view))


async def on_back(
    update: Update, context: BotContext, data: callbacks.CheckinBack, texts: Texts
) -> None:
    """One step back: that step again, with what is stored for the day."""
    query = the_query(update)
    day = await _open_or_say_closed(context, query, data.day, texts)
    if day is None:
        return
    await answer(context, query)
    next_text.forget(context)
    view = await load_checkin(context.db, query.from_user.id, day)
    # A step this check-in does not have (the night, once the morning question asks it)
    # comes from an older message: start at the first step instead.
    to = data.to if data.to in checkin_steps(view) else "level"
    if to == "note":
        await _ask_note(context, query, view, texts)
        return
    screens = {"level": level_screen, "night": night_screen, "triggers": triggers_screen}
    await show_in_place(query, screens[to](texts, view))


async def on_stop(
    update: Update, context: BotContext, data: callbacks.CheckinStop, texts: Texts
) -> None:
    """ "Stoppen": the check-in ends here; what was answered stays stored."""
    query = the_query(update)
    await answer(context, query)
    next_text.forget(context)
    view = await load_checkin(context.db, query.from_user.id, data.day)
    await show_in_place(query, stopped_screen(texts, view))


async def _store(
    update: Update, context: BotContext, day: date, step: Answer, texts: Texts
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
        await answer(context, query)
        await show_in_place(query, consent_screen(texts, changed=True, then_checkin=True))
        return None


def _answer_of(context: BotContext, data: Step) -> Answer:
    if isinstance(data, callbacks.CheckinLevel):
        return Answer(nrs=data.level)
    if isinstance(data, callbacks.CheckinNight):
        return Answer(night=data.troubled)
    if isinstance(data, callbacks.CheckinToggle):
        if data.trigger not in context.content.checkin_triggers:
            raise StaleButton(f"unknown trigger {data.trigger!r}")
        return Answer(toggle_trigger=data.trigger)
    return Answer(clear_triggers=data.step == "none")


async def on_later(
    update: Update, context: BotContext, data: callbacks.CheckinLater, texts: Texts
) -> None:
    """ "Later": the same check-in again in an hour, once a day."""
    query = the_query(update)
    day = await _open_or_say_closed(context, query, data.day, texts)
    if day is None:
        return
    snoozed = await snooze_checkin(context.db, query.from_user.id, day, context.now())
    key = "checkin_later_set" if snoozed else "checkin_later_once"
    await answer(context, query, texts(key))
    if snoozed:
        await show_in_place(query, Screen(texts(key)))


async def on_morning(
    update: Update,
    context: BotContext,
    data: callbacks.MorningWoke | callbacks.MorningLevel,
    texts: Texts,
) -> None:
    """The morning question: woken by spasms? If so, how bad. Stored only with consent."""
    query = the_query(update)
    day = await _open_or_say_closed(context, query, data.day, texts)
    if day is None:
        return
    if isinstance(data, callbacks.MorningLevel):
        step, woke = Answer(night_nrs=data.level), False
    else:
        step, woke = Answer(night_woke=data.woke), data.woke
    if await _store(update, context, day, step, texts) is None:
        return
    await answer(context, query)
    if woke:
        await show_in_place(query, morning_level_screen(texts, day))
    else:
        await show_in_place(query, Screen(texts("morning_thanks")))


async def typed_note(
    update: Update,
    context: BotContext,
    text: str,
    slot: next_text.NextText,
    texts: Texts,
    urgent: Tier | None,
) -> None:
    """The text after the note question: stored (its first part, if too long), then the
    thank-you.

    The prompt stays open until the note is stored, so a note typed while the database
    is down can simply be sent again; then the prompt's "Skip" button is removed. A note
    that may mean danger is stored too, and the urgent-help text comes first."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and slot.day is not None
    typed_length = len(text) if len(text) > MAX_NOTE_CHARS else None
    day = await _open_day(context, user.id, slot.day)
    if day is None:
        next_text.forget(context)
        await send(update, Screen(texts("checkin_closed")))
        return
    try:
        view = await record_answer(
            context.db,
            user.id,
            day,
            Answer(note=shorten_note(text)),
            context.content.privacy_version,
            context.now(),
        )
    except NoConsent:
        next_text.forget(context)
        await send(update, Screen(texts("consent_none")))
        return
    next_text.forget(context)
    if slot.prompt_message_id is not None:
        await remove_buttons(context, chat.id, slot.prompt_message_id)
    thanks = thanks_screen(texts, view, typed_length=typed_length)
    await send(update, urgent_first(texts, urgent, thanks))
