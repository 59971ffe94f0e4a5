"""What the user sees in a check-in: the steps, the morning question, the thank-you."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.domain.changes import Switch
from bot.domain.insights import much_worse_than_usual
from bot.screens import Screen
from bot.screens.dates import day_label, night_label
from bot.screens.keyboards import button, pack_rows
from bot.services.checkins import MAX_NOTE_CHARS, CheckinView


def level_screen(texts: Texts, day: date, *, again: bool, later: bool = False) -> Screen:
    """Step 1: the spasticity NRS. A scheduled check-in also offers "Later" (once)."""
    text = "\n".join([texts("checkin_level", date=day_label(texts, day)), *nrs_question(texts)])
    if again:
        text = f"{text}\n\n<i>{texts('checkin_again')}</i>"
    levels = [button(str(n), callbacks.CheckinLevel(day, n)) for n in range(11)]
    rows = [levels[:6], levels[6:]]
    if later:
        rows.append([button(texts("checkin_later"), callbacks.CheckinLater(day))])
    return Screen(text, InlineKeyboardMarkup(rows))


def nrs_question(texts: Texts) -> list[str]:
    """The level's question and its anchors, wherever a level is asked or shown."""
    return [texts("nrs_question"), texts("nrs_anchors")]


def pause_question(texts: Texts) -> Screen:
    """After three unanswered check-ins in a row: asked once, never nagging."""
    choices = [
        button(texts("checkin_pause_yes"), Switch("checkin", on=False)),
        button(texts("checkin_pause_no"), Switch("checkin", on=True)),
    ]
    return Screen(texts("checkin_pause_question"), InlineKeyboardMarkup([choices]))


def _yes_no(
    texts: Texts, question: str, answer: Callable[[bool], callbacks.CallbackData]
) -> Screen:
    choices = [
        button(texts("checkin_yes"), answer(True)),
        button(texts("checkin_no"), answer(False)),
    ]
    return Screen(question, InlineKeyboardMarkup([choices]))


def night_screen(texts: Texts, day: date) -> Screen:
    question = texts("checkin_night", night=night_label(texts, day))
    return _yes_no(texts, question, lambda yes: callbacks.CheckinNight(day, troubled=yes))


def triggers_screen(texts: Texts, view: CheckinView) -> Screen:
    """Every trigger asked today, and an older answer's legacy trigger when it is stored
    for this day (so it can be seen and switched off)."""
    shown = [
        t for t in texts.content.checkin_triggers.values() if not t.legacy or t.id in view.triggers
    ]
    toggles = [
        button(
            f"✅ {texts.pick(t.label)}" if t.id in view.triggers else texts.pick(t.label),
            callbacks.CheckinToggle(view.day, t.id),
        )
        for t in shown
    ]
    rows = pack_rows(toggles)
    rows.append(
        [
            button(texts("checkin_none"), callbacks.CheckinNext(view.day, "none")),
            button(texts("checkin_done"), callbacks.CheckinNext(view.day, "done")),
        ]
    )
    return Screen(texts("checkin_triggers"), InlineKeyboardMarkup(rows))


def note_screen(texts: Texts, day: date) -> Screen:
    skip = button(texts("checkin_skip"), callbacks.CheckinNext(day, "skip"))
    return Screen(texts("checkin_note", max=str(MAX_NOTE_CHARS)), InlineKeyboardMarkup([[skip]]))


def thanks_screen(texts: Texts, view: CheckinView) -> Screen:
    """Saved; a red-flag line if fever/infection/relapse was ticked; a neutral line when the
    level is much higher than usual; one line (with a button to its topic) per chosen
    trigger — or encouragement when none was chosen."""
    level = str(view.nrs) if view.nrs is not None else "–"
    lines = [texts("checkin_thanks", date=day_label(texts, view.day), level=level)]
    chosen = [t for t in texts.content.checkin_triggers.values() if t.id in view.triggers]
    if any(t.red_flag for t in chosen):
        lines.append(texts("checkin_red_flag"))
    if much_worse_than_usual(view.nrs, view.usual_nrs):
        lines.append(texts("checkin_much_worse"))
    lines += [f"• {texts.pick(t.line)}" for t in chosen]
    if not chosen:
        lines.append(texts("checkin_encouragement"))
    topics = [button(texts.pick(t.label), callbacks.OpenTopic(t.topic)) for t in chosen]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(pack_rows(topics)) if topics else None)


def morning_screen(texts: Texts, day: date) -> Screen:
    question = texts("morning_question", night=night_label(texts, day))
    return _yes_no(texts, question, lambda yes: callbacks.MorningWoke(day, woke=yes))


def morning_level_screen(texts: Texts, day: date) -> Screen:
    levels = [button(str(n), callbacks.MorningLevel(day, n)) for n in range(11)]
    return Screen(texts("morning_level"), InlineKeyboardMarkup([levels[:6], levels[6:]]))
