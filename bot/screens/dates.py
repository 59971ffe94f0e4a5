"""Times, dates and sets of weekdays as a user reads them, in their language."""

from __future__ import annotations

from datetime import date, timedelta

from bot.content import Texts
from bot.domain.changes import DAY_PRESETS, DayPreset

PRESET_LABELS: dict[DayPreset, str] = {
    "every": "value_every_day",
    "weekdays": "value_weekdays",
    "weekend": "value_weekend",
}


def clock_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def day_label(texts: Texts, day: date) -> str:
    month = texts.words("month_names")[day.month - 1]
    return texts("date_format", day=str(day.day), month=month)


def weekday_date(texts: Texts, day: date) -> str:
    """A day named in words: "dinsdag 12 januari"."""
    weekday = texts.words("weekday_names")[day.weekday()]
    return texts("weekday_date_format", weekday=weekday, date=day_label(texts, day))


def full_date(texts: Texts, day: date) -> str:
    """With the year, for documents that outlive the week: "26 november 2026"."""
    month = texts.words("month_names")[day.month - 1]
    return texts("date_format_year", day=str(day.day), month=month, year=str(day.year))


def short_day(texts: Texts, day: date) -> str:
    """For a table of days: "ma 30-11"."""
    return f"{texts.words('day_names')[day.weekday()]} {day:%d-%m}"


def night_label(texts: Texts, day: date) -> str:
    """The night before `day`, by its weekdays: "de nacht van maandag op dinsdag"."""
    names = texts.words("weekday_names")
    before = day - timedelta(days=1)
    return texts("night_of", before=names[before.weekday()], day=names[day.weekday()])


def days_label(texts: Texts, weekdays: frozenset[int]) -> str:
    preset = next((name for name, days in DAY_PRESETS.items() if days == weekdays), None)
    if preset is not None:
        return texts(PRESET_LABELS[preset])
    names = texts.words("day_names")
    return ", ".join(names[d] for d in sorted(weekdays))
