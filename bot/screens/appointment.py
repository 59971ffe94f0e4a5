"""/afspraak (/appointment): choosing the day and with whom, the appointment as it
stands, and the two scheduled messages (the reminder, the day-after question)."""

from __future__ import annotations

import html
from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.domain.appointments import (
    MAX_QUESTION_CHARS,
    MAX_QUESTIONS,
    REMIND_CHOICES,
    WEEKS_AHEAD,
    WITH_WHOM,
    week_days,
)
from bot.screens import Screen
from bot.screens.dates import clock_time, day_label, short_day, weekday_date
from bot.screens.keyboards import button, main_menu_row, pack_rows
from bot.services.appointments import AppointmentView


def whom(texts: Texts, with_whom: str) -> str:
    return texts(f"appointment_whom_{with_whom}")


def _week_label(texts: Texts, weeks: int) -> str:
    if weeks < 2:
        return texts(f"appointment_week_{weeks}")
    return texts("appointment_week_n", weeks=str(weeks))


def weeks_screen(texts: Texts, today: date, *, has_one: bool) -> Screen:
    """Step 1: this week (if it has days left after today), next week, in 2 … 4 weeks,
    or type a date. Back: the appointment (when moving one) or the main menu."""
    weeks = [
        button(_week_label(texts, n), callbacks.AppointmentWeek(n))
        for n in range(WEEKS_AHEAD + 1)
        if week_days(today, n)
    ]
    rows = pack_rows(weeks)
    rows.append([button(texts("appointment_type_date"), callbacks.AppointmentType())])
    rows.append(_back_row(texts, has_one))
    return Screen(texts("appointment_when"), InlineKeyboardMarkup(rows))


def _back_row(texts: Texts, has_one: bool) -> list[InlineKeyboardButton]:
    if has_one:
        return [
            button(texts("button_back"), callbacks.AppointmentDo("show")),
            *main_menu_row(texts),
        ]
    return main_menu_row(texts)


def days_screen(texts: Texts, today: date, weeks: int) -> Screen:
    """Step 2: the days of that week, from tomorrow on."""
    days = [
        button(short_day(texts, d), callbacks.AppointmentDay(d)) for d in week_days(today, weeks)
    ]
    rows = [days[i : i + 2] for i in range(0, len(days), 2)]
    rows.append([button(texts("button_back"), callbacks.AppointmentWeeks()), *main_menu_row(texts)])
    return Screen(
        f"{texts('appointment_pick_day')}\n{_week_label(texts, weeks)}", InlineKeyboardMarkup(rows)
    )


def type_date_screen(texts: Texts) -> Screen:
    back = button(texts("button_back"), callbacks.AppointmentWeeks())
    return Screen(texts("appointment_type_prompt"), InlineKeyboardMarkup([[back]]))


def unreadable_date(texts: Texts) -> Screen:
    back = button(texts("button_back"), callbacks.AppointmentWeeks())
    return Screen(texts("appointment_date_unreadable"), InlineKeyboardMarkup([[back]]))


def who_screen(texts: Texts, day: date, today: date) -> Screen:
    """Step 3: with whom. Back: the days of that day's week (or the weeks, for a typed
    date further ahead)."""
    choices = [
        button(texts(f"appointment_who_{who}"), callbacks.AppointmentWho(day, who))
        for who in WITH_WHOM
    ]
    weeks = (day - today + timedelta(days=today.weekday())).days // 7
    back: callbacks.CallbackData = (
        callbacks.AppointmentWeek(weeks)
        if 0 <= weeks <= WEEKS_AHEAD and day > today
        else callbacks.AppointmentWeeks()
    )
    rows = [*pack_rows(choices), [button(texts("button_back"), back), *main_menu_row(texts)]]
    body = texts("appointment_with_whom", day=weekday_date(texts, day))
    return Screen(body, InlineKeyboardMarkup(rows))


def _reminder_line(texts: Texts, view: AppointmentView, tip_minute: int) -> str:
    if view.reminder_day is None:
        return texts("appointment_reminder_none")
    return texts(
        "appointment_reminder_on",
        day=weekday_date(texts, view.reminder_day),
        time=clock_time(tip_minute),
    )


def _questions(texts: Texts, view: AppointmentView) -> str:
    if not view.questions:
        return ""
    listed = "\n".join("• " + html.escape(q) for q in view.questions)
    return "\n\n" + texts("appointment_questions_list", questions=listed)


def _manage_rows(texts: Texts, view: AppointmentView) -> list[list[InlineKeyboardButton]]:
    remind = [
        button(
            ("✅ " if days == view.remind_days else "") + texts(f"appointment_remind_{days}"),
            callbacks.AppointmentRemind(days),
        )
        for days in REMIND_CHOICES
    ]
    rows = [
        [
            button(texts("appointment_move"), callbacks.AppointmentWeeks()),
            button(texts("appointment_cancel"), callbacks.AppointmentDo("cancel")),
        ],
        remind,
    ]
    if not view.full:
        rows.append([button(texts("appointment_ask"), callbacks.AppointmentDo("ask"))])
    if view.questions:
        rows.append([button(texts("appointment_clear"), callbacks.AppointmentDo("clear"))])
    rows.append(main_menu_row(texts))
    return rows


def current_screen(
    texts: Texts, view: AppointmentView, tip_minute: int, *, saved: bool = False
) -> Screen:
    """The appointment as it stands: the day in words, with whom, when the reminder
    comes, the questions; move, cancel, the reminder's days (✅ on the chosen one)."""
    key = "appointment_saved" if saved else "appointment_current"
    body = texts(
        key,
        day=weekday_date(texts, view.day),
        whom=whom(texts, view.with_whom),
        reminder=_reminder_line(texts, view, tip_minute),
    )
    return Screen(body + _questions(texts, view), InlineKeyboardMarkup(_manage_rows(texts, view)))


def cancelled_screen(texts: Texts) -> Screen:
    rows = [[button(texts("appointment_new"), callbacks.AppointmentWeeks())], main_menu_row(texts)]
    return Screen(texts("appointment_cancelled"), InlineKeyboardMarkup(rows))


def none_screen(texts: Texts) -> Screen:
    rows = [[button(texts("appointment_new"), callbacks.AppointmentWeeks())], main_menu_row(texts)]
    return Screen(texts("appointment_none"), InlineKeyboardMarkup(rows))


def _when(texts: Texts, days: int) -> str:
    if days <= 0:
        return texts("appointment_today")
    if days == 1:
        return texts("appointment_tomorrow")
    return texts("appointment_in_days", days=str(days))


def reminder_screen(
    texts: Texts, view: AppointmentView, today: date, *, skip: bool = True
) -> Screen:
    """The scheduled reminder: the appointment, the overview and the files one tap away
    (the scheduler sends text, the buttons run /overzicht and /export), the question
    "Wat wil je bespreken?", and Verplaatsen / Afzeggen."""
    body = texts(
        "appointment_reminder",
        when=_when(texts, (view.day - today).days),
        day=weekday_date(texts, view.day),
        whom=whom(texts, view.with_whom),
        max=str(MAX_QUESTIONS),
    )
    rows = [
        [button(texts("action_overview"), callbacks.RunAction("overview"))],
        [button(texts("action_export"), callbacks.RunAction("export"))],
        *([[button(texts("appointment_skip"), callbacks.AppointmentDo("skip"))]] if skip else []),
        [
            button(texts("appointment_move"), callbacks.AppointmentWeeks()),
            button(texts("appointment_cancel"), callbacks.AppointmentDo("cancel")),
        ],
    ]
    return Screen(body + _questions(texts, view), InlineKeyboardMarkup(rows))


def after_screen(texts: Texts, view: AppointmentView) -> Screen:
    """The day after: anything to remember? Stored as the note of the appointment's day."""
    body = texts(
        "appointment_after", whom=whom(texts, view.with_whom), day=day_label(texts, view.day)
    )
    skip = button(texts("appointment_skip"), callbacks.AppointmentDo("skip"))
    return Screen(body, InlineKeyboardMarkup([[skip]]))


def question_prompt(texts: Texts) -> Screen:
    done = button(texts("appointment_done"), callbacks.AppointmentDo("done"))
    return Screen(
        texts("appointment_question_prompt", max=str(MAX_QUESTION_CHARS)),
        InlineKeyboardMarkup([[done]]),
    )


def question_saved(texts: Texts, question: str, view: AppointmentView) -> Screen:
    if view.full:
        body = texts(
            "appointment_questions_full", question=html.escape(question), max=str(MAX_QUESTIONS)
        )
        return Screen(body, InlineKeyboardMarkup([main_menu_row(texts)]))
    done = button(texts("appointment_done"), callbacks.AppointmentDo("done"))
    return Screen(
        texts("appointment_question_saved", question=html.escape(question)),
        InlineKeyboardMarkup([[done]]),
    )


def overview_line(texts: Texts, view: AppointmentView) -> str:
    """Under the overview chart: "📅 Volgende afspraak: dinsdag 12 januari (neuroloog)"."""
    return texts(
        "overview_appointment", day=weekday_date(texts, view.day), whom=whom(texts, view.with_whom)
    )
