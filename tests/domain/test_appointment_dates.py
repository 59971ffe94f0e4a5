"""Appointment dates typed in Dutch and English, and when the reminder and the
day-after question are due: examples, and properties over every day and zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.appointments import (
    MAX_AHEAD,
    MAX_QUESTION_CHARS,
    after_due,
    clean_question,
    parse_date,
    reminder_due,
    week_days,
)

THURSDAY = date(2026, 11, 26)
NL_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
)
EN_MONTHS = "January February March April May June July August September October November December"
NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
ZONES = ["Europe/Amsterdam", "Europe/London", "America/Paramaribo", "Asia/Kolkata", "UTC"]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("12 januari", date(2027, 1, 12)),
        ("12 jan", date(2027, 1, 12)),
        ("12 Jan.", date(2027, 1, 12)),
        ("12-1", date(2027, 1, 12)),
        ("12/1", date(2027, 1, 12)),
        ("12-1-2027", date(2027, 1, 12)),
        ("12/01/27", date(2027, 1, 12)),
        ("January 12", date(2027, 1, 12)),
        ("12 January 2027", date(2027, 1, 12)),
        ("3 december", date(2026, 12, 3)),
        ("26 november", THURSDAY),  # today is not in the past
        ("25 november", date(2027, 11, 25)),  # earlier this year: next year
        ("morgen", date(2026, 11, 27)),
        ("Tomorrow", date(2026, 11, 27)),
        ("overmorgen", date(2026, 11, 28)),
        ("vandaag", THURSDAY),
        ("volgende dinsdag", date(2026, 12, 1)),
        ("next Tuesday", date(2026, 12, 1)),
        ("dinsdag", date(2026, 12, 1)),
        ("op dinsdag", date(2026, 12, 1)),
        ("Tuesday", date(2026, 12, 1)),
        ("donderdag", date(2026, 12, 3)),  # a weekday is never today: the next one
        ("  12   januari ", date(2027, 1, 12)),
    ],
)
def test_typed_dates(typed: str, day: date) -> None:
    assert parse_date(typed, THURSDAY) == day


@pytest.mark.parametrize(
    "typed",
    ["", "soon", "32 januari", "12 foo", "13-13", "29-2", "12-1-2026", "12-1-2029", "hallo 12"],
)
def test_unreadable_or_out_of_range_is_none(typed: str) -> None:
    assert parse_date(typed, THURSDAY) is None


@given(today=days, offset=st.integers(0, 364), language=st.sampled_from(["nl", "en"]))
def test_a_named_day_within_a_year_reads_back(today: date, offset: int, language: str) -> None:
    day = today + timedelta(days=offset)
    months = (NL_MONTHS if language == "nl" else EN_MONTHS).split()
    for typed in (
        f"{day.day} {months[day.month - 1]}",
        f"{day.day} {months[day.month - 1][:3]}",
        f"{day.day}-{day.month}",
        f"{day.day}/{day.month}/{day.year}",
    ):
        found = parse_date(typed, today)
        if day.month == 2 and day.day == 29 and "/" not in typed:
            assert found is None or found.month == 2  # a leap day without its year
        else:
            assert found == day, typed


@given(today=days, text=st.text(max_size=30))
def test_never_in_the_past_nor_beyond_a_year(today: date, text: str) -> None:
    found = parse_date(text, today)
    assert found is None or today <= found <= today + MAX_AHEAD


@given(today=days, weekday=st.integers(0, 6), language=st.sampled_from(["nl", "en"]))
def test_a_weekday_is_the_next_one_after_today(today: date, weekday: int, language: str) -> None:
    name = (NL_DAYS if language == "nl" else EN_DAYS)[weekday]
    for typed in (name, f"volgende {name}" if language == "nl" else f"next {name}"):
        found = parse_date(typed, today)
        assert found is not None and found.weekday() == weekday
        assert 1 <= (found - today).days <= 7


@given(today=days, weeks=st.integers(0, 4))
def test_week_buttons_hold_only_days_from_tomorrow(today: date, weeks: int) -> None:
    shown = week_days(today, weeks)
    assert all(d > today for d in shown)
    assert len(shown) == (6 - today.weekday() if weeks == 0 else 7)
    assert len({d.isocalendar()[:2] for d in shown}) <= 1  # one calendar week


@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2036, 12, 31)),
    remind=st.sampled_from([1, 3, 7]),
    minute=st.integers(0, 24 * 60 - 1),
    zone=st.sampled_from(ZONES),
)
def test_the_reminder_is_days_before_at_the_tip_time(
    day: date, remind: int, minute: int, zone: str
) -> None:
    long_before = datetime(2000, 1, 1, tzinfo=UTC)
    due = reminder_due(day, remind, minute, zone, long_before)
    assert due is not None and due.tzinfo is not None
    local = due.astimezone(ZoneInfo(zone))
    assert local.date() == day - timedelta(days=remind)
    # DST: the tip time, or just after a spring-forward gap
    assert (
        timedelta(0)
        <= local - local.replace(hour=minute // 60, minute=minute % 60)
        <= timedelta(hours=1)
    )
    after = after_due(day, minute, zone).astimezone(ZoneInfo(zone))
    assert after.date() == day + timedelta(days=1)


def test_dst_keeps_the_local_time() -> None:
    # 28 March 2027: clocks go forward in Amsterdam; the reminder on the 28th stays 09:00
    due = reminder_due(
        date(2027, 3, 31), 3, 9 * 60, "Europe/Amsterdam", datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert due == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)
    after = after_due(date(2027, 10, 30), 9 * 60, "Europe/Amsterdam")  # 31 Oct: back to winter
    assert after == datetime(2027, 10, 31, 8, 0, tzinfo=UTC)


def test_a_late_reminder_comes_at_the_next_tip_time_before_the_day() -> None:
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    # tomorrow's appointment, 3 days' notice: today at 09:00 local is still ahead
    assert reminder_due(date(2026, 11, 27), 3, 9 * 60, "Europe/Amsterdam", now) == datetime(
        2026, 11, 26, 8, 0, tzinfo=UTC
    )
    later = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00: today's tip time has passed
    assert reminder_due(date(2026, 11, 27), 3, 9 * 60, "Europe/Amsterdam", later) is None
    assert reminder_due(date(2026, 11, 28), 3, 9 * 60, "Europe/Amsterdam", later) == datetime(
        2026, 11, 27, 8, 0, tzinfo=UTC
    )


@given(st.text(max_size=400))
def test_a_question_is_one_short_line(text: str) -> None:
    question = clean_question(text)
    assert len(question) <= MAX_QUESTION_CHARS
    assert "\n" not in question and question == question.strip()
