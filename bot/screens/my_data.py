"""/mijngegevens (/mydata): everything stored about the user, complete but readable —
times as "21:30", weekdays as names, trigger and subject codes with their labels — and a
short summary to read in the chat. The format is described in docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.screens.dates import clock_time, full_date
from bot.services.preferences import mask_to_weekdays

Row = dict[str, Any]
Tables = dict[str, list[Row]]


def _weekday_names(texts: Texts, mask: int) -> list[str]:
    names = texts.words("day_names")
    return [names[day] for day in sorted(mask_to_weekdays(mask))]


def _labelled(label: Callable[[str], str], codes: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "label": label(code)} for code in codes]


def _trigger_label(texts: Texts, code: str) -> str:
    trigger = texts.content.checkin_triggers.get(code)
    return code if trigger is None else plain_text(texts.pick(trigger.label))


def _readable_value(texts: Texts, column: str, value: Any) -> tuple[str, Any]:
    """(key, value) as the file shows it; columns not named here stay as stored."""
    if value is None:
        return column, value
    if column.endswith("_minute"):  # minutes after midnight
        return column.removesuffix("_minute") + "_time", clock_time(int(value))
    if column in ("tip_days", "checkin_days"):  # a bit per weekday, Monday first
        return column, _weekday_names(texts, int(value))
    if column == "tip_tags_off":
        return "tip_subjects_off", _labelled(lambda tag: texts(f"tip_tag_{tag}"), value)
    if column == "triggers":
        return column, _labelled(lambda code: _trigger_label(texts, code), value)
    return column, value


def readable_export(texts: Texts, tables: Tables) -> Tables:
    return {
        name: [dict(_readable_value(texts, column, v) for column, v in row.items()) for row in rows]
        for name, rows in tables.items()
    }


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def my_data_summary(texts: Texts, tables: Tables) -> str:
    """A few lines: since when, the daily tip, check-ins, messages sent, tips rated."""
    user = tables["users"][0]
    prefs = tables.get("preferences") or [{}]
    tips = texts("value_off")
    if prefs[0].get("tips_enabled"):
        days = ", ".join(_weekday_names(texts, int(prefs[0]["tip_days"])))
        tips = texts("my_data_tips_on", time=clock_time(int(prefs[0]["tip_minute"])), days=days)
    days_checked = sorted(_day(str(row["local_date"])) for row in tables.get("checkins", []))
    checkins = texts("value_none")
    if days_checked:
        checkins = texts(
            "my_data_checkins",
            number=str(len(days_checked)),
            first=full_date(texts, days_checked[0]),
            last=full_date(texts, days_checked[-1]),
        )
    return texts(
        "my_data_summary",
        since=full_date(texts, _day(str(user["created_at"]))),
        tips=tips,
        checkins=checkins,
        sent=str(sum(1 for row in tables.get("deliveries", []) if row["status"] == "sent")),
        rated=str(len(tables.get("tip_feedback", []))),
    )
