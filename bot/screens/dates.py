"""Times, dates and sets of weekdays as a user reads them, in their language."""

from __future__ import annotations

from datetime import date

from bot.content import Content
from bot.domain.schedule import EVERY_DAY, WEEKDAYS, WEEKEND


def clock_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def day_label(content: Content, day: date, language: str) -> str:
    month = content.text("month_names", language).split(",")[day.month - 1]
    return content.text("date_format", language, day=str(day.day), month=month)


def days_label(content: Content, weekdays: frozenset[int], language: str) -> str:
    presets = {EVERY_DAY: "value_every_day", WEEKDAYS: "value_weekdays", WEEKEND: "value_weekend"}
    if weekdays in presets:
        return content.text(presets[weekdays], language)
    names = content.text("day_names", language).split(",")
    return ", ".join(names[d] for d in sorted(weekdays))
