"""The next appointment: who it is with, a date typed in Dutch or English, and when the
reminder and the day-after question are due. Plain Python, no Telegram, no database.

A typed date is read relative to the user's local today and is never in the past: a
day and month earlier this year mean next year; a weekday means the first one after
today. Nothing more than a year ahead is accepted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from bot.domain.notes import shorten_note
from bot.domain.schedule import local_instant

WithWhom = Literal["neurologist", "ms_nurse", "rehab_doctor", "physio", "gp"]
WITH_WHOM: tuple[WithWhom, ...] = get_args(WithWhom)
REMIND_CHOICES = (1, 3, 7)  # days before the appointment
DEFAULT_REMIND_DAYS = 3
MAX_QUESTIONS = 3
MAX_QUESTION_CHARS = 200
WEEKS_AHEAD = 4  # buttons: this week, next week, in 2, 3 and 4 weeks
MAX_AHEAD = timedelta(days=366)  # a typed date up to a year ahead
ASKING_FOR = timedelta(hours=12)  # a text after the reminder is taken as a question

MONTHS: dict[str, int] = {}
for number, names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("maart", "march", "mrt", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augustus", "august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    MONTHS.update(dict.fromkeys(names, number))

WEEKDAYS: dict[str, int] = {}
for number, names in enumerate(
    (
        ("maandag", "monday", "ma", "mon"),
        ("dinsdag", "tuesday", "di", "tue", "tues"),
        ("woensdag", "wednesday", "wo", "wed"),
        ("donderdag", "thursday", "do", "thu", "thur", "thurs"),
        ("vrijdag", "friday", "vr", "fri"),
        ("zaterdag", "saturday", "za", "sat"),
        ("zondag", "sunday", "zo", "sun"),
    )
):
    WEEKDAYS.update(dict.fromkeys(names, number))

RELATIVE = {
    "vandaag": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "overmorgen": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}
NEXT_WORDS = ("volgende ", "komende ", "aanstaande ", "next ", "this coming ", "coming ")
LEAD_WORDS = ("op ", "on ", "a.s. ")
NUMERIC = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{2}|\d{4}))?")
WORDS = re.compile(r"(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?")
WORDS_EN = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")


def parse_date(text: str, today: date) -> date | None:
    """The day `text` names ("12 januari", "12-1", "12/1/2027", "morgen", "next Tuesday",
    "dinsdag"), from `today` on and at most a year ahead; None when it is unreadable."""
    words = " ".join(text.lower().replace(",", " ").split()).rstrip(".!?")
    for lead in LEAD_WORDS:
        words = words.removeprefix(lead)
    if words in RELATIVE:
        return today + timedelta(days=RELATIVE[words])
    weekday = words
    for prefix in NEXT_WORDS:
        weekday = weekday.removeprefix(prefix)
    if weekday in WEEKDAYS:
        ahead = (WEEKDAYS[weekday] - today.weekday() - 1) % 7 + 1  # 1 … 7 days
        return today + timedelta(days=ahead)
    if found := NUMERIC.fullmatch(words):
        day, month, year = found.groups()
        return _ahead(today, int(day), int(month), _year(year))
    if found := WORDS.fullmatch(words):
        day, month_name, year = found.groups()
        month = _month(month_name)
        return None if month is None else _ahead(today, int(day), month, _year(year))
    if found := WORDS_EN.fullmatch(words):
        month_name, day, year = found.groups()
        month = _month(month_name)
        return None if month is None else _ahead(today, int(day), month, _year(year))
    return None


def _month(name: str) -> int | None:
    """A month by its name or short name, or by the start of it (3 letters or more) when
    that names one month only ("maa", "sept", "octo")."""
    if name in MONTHS:
        return MONTHS[name]
    if len(name) < 3:
        return None
    found = {number for word, number in MONTHS.items() if word.startswith(name)}
    return found.pop() if len(found) == 1 else None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _ahead(today: date, day: int, month: int, year: int | None) -> date | None:
    """That day and month: in `year`, or else the first time from today on."""
    candidates = [year] if year is not None else [today.year, today.year + 1]
    for candidate in candidates:
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if today <= found <= today + MAX_AHEAD:
            return found
    return None


def week_days(today: date, weeks_ahead: int) -> list[date]:
    """The days of the week (Monday to Sunday) `weeks_ahead` weeks from this one, from
    tomorrow on: this week may have fewer than seven, or none (on a Sunday)."""
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return [d for d in (monday + timedelta(days=n) for n in range(7)) if d > today]


def reminder_due(
    day: date, remind_days: int, minute_of_day: int, timezone: str, now: datetime
) -> datetime | None:
    """When the reminder is due (UTC): `remind_days` before `day` at the user's tip time.
    If that moment has passed, the next tip time, as long as it is before the appointment
    day; None when there is no such time left."""
    zone = ZoneInfo(timezone)
    planned = local_instant(day - timedelta(days=remind_days), minute_of_day, zone)
    if planned > now:
        return planned
    today = now.astimezone(zone).date()
    for candidate in (today, today + timedelta(days=1)):
        if candidate >= day:
            break
        moment = local_instant(candidate, minute_of_day, zone)
        if moment > now:
            return moment
    return None


def after_due(day: date, minute_of_day: int, timezone: str) -> datetime:
    """When the day-after question is due (UTC): the day after `day`, at the tip time."""
    return local_instant(day + timedelta(days=1), minute_of_day, ZoneInfo(timezone))


def clean_question(text: str) -> str:
    """One question as stored: on one line, without control characters, at most
    MAX_QUESTION_CHARS (cut at a word near the end)."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return shorten_note(flat, MAX_QUESTION_CHARS)
