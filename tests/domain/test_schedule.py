"""The next-due computation: property tests over zones, times and day sets, and DST days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKEND,
    Schedule,
    local_date_of,
    next_due,
)

ZONES = sorted(available_timezones() - {"Factory", "localtime"})
schedules = st.builds(
    Schedule,
    minute_of_day=st.integers(0, 24 * 60 - 1),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    timezone=st.sampled_from(ZONES),
)
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=500)
@given(schedules, instants)
def test_next_due_is_later_on_an_allowed_day_at_the_chosen_time(
    schedule: Schedule, after: datetime
) -> None:
    due = next_due(schedule, after)
    assert due > after
    assert due - after <= timedelta(days=8)
    local = due.astimezone(ZoneInfo(schedule.timezone))
    assert local.weekday() in schedule.weekdays
    chosen = schedule.minute_of_day
    actual = local.hour * 60 + local.minute
    # Equal, unless the chosen time fell in a DST gap: then it is moved forward by the gap.
    assert actual == chosen or 0 < (actual - chosen) % (24 * 60) <= 120


@settings(max_examples=300)
@given(schedules, instants)
def test_following_the_schedule_gives_one_instant_per_local_day(
    schedule: Schedule, after: datetime
) -> None:
    dues = [next_due(schedule, after)]
    for _ in range(20):
        dues.append(next_due(schedule, dues[-1]))
    days = [local_date_of(d, schedule.timezone) for d in dues]
    assert days == sorted(set(days))  # strictly increasing: never two on one local day


def amsterdam(day: date, minute: int) -> datetime:
    return next_due(
        Schedule(minute, EVERY_DAY, "Europe/Amsterdam"),
        datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(hours=3),
    )


def test_nine_o_clock_stays_nine_across_dst_in_amsterdam() -> None:
    assert amsterdam(date(2026, 3, 28), 9 * 60) == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert amsterdam(date(2026, 3, 29), 9 * 60) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert amsterdam(date(2026, 10, 25), 9 * 60) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_a_time_that_does_not_exist_moves_past_the_gap() -> None:
    # 29 March 2026, Amsterdam: clocks jump from 02:00 to 03:00; 02:30 does not exist.
    due = amsterdam(date(2026, 3, 29), 2 * 60 + 30)
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    assert due.astimezone(ZoneInfo("Europe/Amsterdam")).hour == 3


def test_a_time_that_exists_twice_is_sent_once_at_the_first() -> None:
    # 25 October 2026, Amsterdam: 02:30 happens twice (summer time, then winter time).
    schedule = Schedule(2 * 60 + 30, EVERY_DAY, "Europe/Amsterdam")
    first = next_due(schedule, datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    following = next_due(schedule, first)
    assert following == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)  # not 01:30 UTC the same day


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # New York springs forward on 8 March 2026 and falls back on 1 November 2026.
        (datetime(2026, 3, 7, 15, 0, tzinfo=UTC), datetime(2026, 3, 8, 14, 0, tzinfo=UTC)),
        (datetime(2026, 10, 31, 14, 0, tzinfo=UTC), datetime(2026, 11, 1, 15, 0, tzinfo=UTC)),
    ],
)
def test_new_york_dst_days(after: datetime, expected: datetime) -> None:
    assert next_due(Schedule(10 * 60, EVERY_DAY, "America/New_York"), after) == expected


def test_weekdays_and_weekend() -> None:
    friday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    weekday = next_due(Schedule(9 * 60, WEEKDAYS, "Europe/Amsterdam"), friday_noon)
    assert weekday.astimezone(ZoneInfo("Europe/Amsterdam")).date() == date(2026, 11, 30)
    weekend = next_due(Schedule(9 * 60, WEEKEND, "Europe/Amsterdam"), friday_noon)
    assert weekend.astimezone(ZoneInfo("Europe/Amsterdam")).date() == date(2026, 11, 28)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"minute_of_day": 1440, "weekdays": EVERY_DAY, "timezone": "UTC"},
        {"minute_of_day": 60, "weekdays": frozenset(), "timezone": "UTC"},
        {"minute_of_day": 60, "weekdays": frozenset({7}), "timezone": "UTC"},
    ],
)
def test_invalid_schedules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Schedule(**kwargs)  # type: ignore[arg-type]
