"""What the user sees in a check-in: the steps, the morning question, the thank-you.

Every step names its day and its place ("Stap 2 van 4"), echoes the answer before it,
and ends with "⬅️ Terug" (one step back) and "✋ Stoppen"; what was answered stays
stored. The night step is left out when the morning question asks about the night.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.domain.changes import Switch
from bot.domain.insights import much_worse_than_usual
from bot.domain.notes import MAX_NOTE_CHARS
from bot.screens import Screen
from bot.screens.dates import day_label, night_label
from bot.screens.keyboards import button, pack_rows
from bot.services.checkins import CheckinView

LEVELS_PER_ROW = 4  # big enough for stiff fingers: 0–3, 4–7, 8–10


def nrs_question(texts: Texts) -> list[str]:
    """The level's question and its anchors, wherever a level is asked or shown."""
    return [texts("nrs_question"), texts("nrs_anchors")]


def checkin_steps(view: CheckinView) -> list[callbacks.CheckinStep]:
    if view.night_asked_in_morning:
        return ["level", "triggers", "note"]
    return ["level", "night", "triggers", "note"]


def _header(texts: Texts, view: CheckinView, step: callbacks.CheckinStep) -> str:
    steps = checkin_steps(view)
    return texts(
        "checkin_step",
        date=day_label(texts, view.day),
        step=str(steps.index(step) + 1),
        steps=str(len(steps)),
    )


def _back_and_stop(
    texts: Texts, view: CheckinView, step: callbacks.CheckinStep
) -> list[InlineKeyboardButton]:
    steps = checkin_steps(view)
    row = [button(texts("checkin_stop"), callbacks.CheckinStop(view.day))]
    at = steps.index(step)
    if at > 0:
        back = callbacks.CheckinBack(view.day, steps[at - 1])
        row.insert(0, button(texts("checkin_back"), back))
    return row


def _level_buttons(levels: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [levels[i : i + LEVELS_PER_ROW] for i in range(0, len(levels), LEVELS_PER_ROW)]


def level_screen(texts: Texts, view: CheckinView, *, later: bool = False) -> Screen:
    """Step 1: the spasticity NRS. A check-in already stored for the day says what is
    kept and what a new answer replaces. A scheduled one also offers "Later" (once)."""
    lines = [_header(texts, view, "level")]
    if view.stored:
        lines.append(f"<i>{texts('checkin_again', stored=stored_summary(texts, view))}</i>")
    lines += nrs_question(texts)
    levels = [button(str(n), callbacks.CheckinLevel(view.day, n)) for n in range(11)]
    rows = _level_buttons(levels)
    if later:
        rows.append([button(texts("checkin_later"), callbacks.CheckinLater(view.day))])
    rows.append(_back_and_stop(texts, view, "level"))
    return Screen("\n".join(lines), InlineKeyboardMarkup(rows))


def stored_summary(texts: Texts, view: CheckinView) -> str:
    """What is stored for the day, in a few words: "niveau 5, nacht: ja, 2 triggers"."""
    parts = []
    if view.nrs is not None:
        parts.append(texts("checkin_part_level", level=str(view.nrs)))
    if view.night is not None:
        parts.append(texts("checkin_part_night", answer=texts(_yes_no_key(view.night))))
    parts.append(texts("checkin_part_triggers", triggers=_chosen_names(texts, view)))
    if view.note:
        parts.append(texts("checkin_part_note"))
    return ", ".join(parts)


def _yes_no_key(value: bool) -> str:
    return "value_yes" if value else "value_no"


def _chosen_names(texts: Texts, view: CheckinView) -> str:
    known = texts.content.checkin_triggers
    names = [texts.pick(known[t].label) for t in sorted(view.triggers) if t in known]
    return ", ".join(names) or texts("value_none")


def pause_question(texts: Texts) -> Screen:
    """After three unanswered check-ins in a row: asked once, never nagging."""
    choices = [
        button(texts("checkin_pause_yes"), Switch("checkin", on=False)),
        button(texts("checkin_pause_no"), Switch("checkin", on=True)),
    ]
    return Screen(texts("checkin_pause_question"), InlineKeyboardMarkup([choices]))


def _yes_no(
    texts: Texts, answer: Callable[[bool], callbacks.CallbackData]
) -> list[InlineKeyboardButton]:
    return [
        button(texts("checkin_yes"), answer(True)),
        button(texts("checkin_no"), answer(False)),
    ]


def night_screen(texts: Texts, view: CheckinView) -> Screen:
    lines = [
        _header(texts, view, "night"),
        texts("checkin_you_chose", level=str(view.nrs if view.nrs is not None else "–")),
        texts("checkin_night", night=night_label(texts, view.day)),
    ]
    rows = [
        _yes_no(texts, lambda yes: callbacks.CheckinNight(view.day, troubled=yes)),
        _back_and_stop(texts, view, "night"),
    ]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def triggers_screen(texts: Texts, view: CheckinView) -> Screen:
    """Every trigger asked today, and an older answer's legacy trigger when it is stored
    for this day (so it can be seen and switched off)."""
    shown = [
        t for t in texts.content.checkin_triggers.values() if not t.legacy or t.id in view.triggers
    ]
    toggles = [
        button(
            f"{'✅' if t.id in view.triggers else '⬜'} {texts.pick(t.label)}",
            callbacks.CheckinToggle(view.day, t.id),
        )
        for t in shown
    ]
    echo = texts("checkin_you_chose", level=str(view.nrs if view.nrs is not None else "–"))
    if view.night is not None:
        echo += " " + texts("checkin_part_night", answer=texts(_yes_no_key(view.night))) + "."
    rows = pack_rows(toggles)
    rows.append(
        [
            button(texts("checkin_none"), callbacks.CheckinNext(view.day, "none")),
            button(texts("checkin_done"), callbacks.CheckinNext(view.day, "done")),
        ]
    )
    rows.append(_back_and_stop(texts, view, "triggers"))
    lines = [_header(texts, view, "triggers"), echo, texts("checkin_triggers")]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def note_screen(texts: Texts, view: CheckinView) -> Screen:
    lines = [
        _header(texts, view, "note"),
        texts("checkin_chose_triggers", triggers=_chosen_names(texts, view)),
        texts("checkin_note", max=str(MAX_NOTE_CHARS)),
    ]
    if view.note:
        lines.append(f"<i>{texts('checkin_note_stored')}</i>")
    skip = button(texts("checkin_skip"), callbacks.CheckinNext(view.day, "skip"))
    rows = [[skip], _back_and_stop(texts, view, "note")]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(rows))


def stopped_screen(texts: Texts, view: CheckinView | None) -> Screen:
    """After "✋ Stoppen": what stays stored for the day (every answer is kept)."""
    if view is None or not view.stored:
        return Screen(texts("checkin_stopped_nothing"))
    return Screen(texts("checkin_stopped", stored=stored_summary(texts, view)))


def thanks_screen(texts: Texts, view: CheckinView, *, typed_length: int | None = None) -> Screen:
    """Saved (and, for a note that was too long, where it was cut); a red-flag line if
    fever/infection/relapse was ticked; a neutral line when the level is much higher than
    usual; one line (with a button to its topic) per chosen trigger — or encouragement."""
    level = str(view.nrs) if view.nrs is not None else "–"
    lines = [texts("checkin_thanks", date=day_label(texts, view.day), level=level)]
    if typed_length is not None and view.note:
        ending = html.escape(view.note[-40:].split(" ", 1)[-1], quote=False)  # typed text
        lines.append(
            texts(
                "checkin_note_cut", length=str(typed_length), kept=str(len(view.note)), end=ending
            )
        )
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
    choices = _yes_no(texts, lambda yes: callbacks.MorningWoke(day, woke=yes))
    return Screen(question, InlineKeyboardMarkup([choices]))


def morning_level_screen(texts: Texts, day: date) -> Screen:
    levels = [button(str(n), callbacks.MorningLevel(day, n)) for n in range(11)]
    return Screen(texts("morning_level"), InlineKeyboardMarkup(_level_buttons(levels)))
