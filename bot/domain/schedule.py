"""When is a user's next tip (or check-in) due? Plain `zoneinfo` arithmetic, no Telegram.

A schedule is a local time of day, a set of weekdays and an IANA time zone. The
next due instant is stored in UTC in the database and recomputed after every send
and every change, so the scheduler only has to ask "who is due before now?".

Daylight-saving time: 09:00 local stays 09:00 local. A local time that does not
exist on a spring-forward day (02:30 in Amsterdam on the last Sunday of March) is
moved forward by the length of the gap (03:30), and a local time that exists
twice on a fall-back day is taken at its first occurrence — exactly one instant
per local day either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Schedule:
    minute_of_day: int  # 0 … 1439, local wall-clock time
    weekdays: frozenset[int]  # 0 = Monday … 6 = Sunday
    timezone: str

    def __post_init__(self) -> None:
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY:
            raise ValueError(f"minute of day {self.minute_of_day} is out of range")
        if not self.weekdays or not self.weekdays <= EVERY_DAY:
            raise ValueError(f"weekdays {sorted(self.weekdays)} must be a non-empty subset of 0-6")
        ZoneInfo(self.timezone)  # raises for unknown zones


def local_instant(day: date, minute_of_day: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `day` at `minute_of_day` local time, DST gaps and folds resolved."""
    wall = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), tzinfo=zone)
    # fold=0: first occurrence of a repeated time; a time inside a gap gets the
    # offset from before the change, which lands it just after the gap.
    return wall.astimezone(UTC)


def next_due(schedule: Schedule, after: datetime) -> datetime:
    """The first due instant strictly after `after` (an aware datetime), in UTC."""
    zone = ZoneInfo(schedule.timezone)
    start = after.astimezone(zone).date() - timedelta(days=1)  # a gap may pull an instant back
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() in schedule.weekdays:
            due = local_instant(day, schedule.minute_of_day, zone)
            if due > after:
                return due
    raise AssertionError("unreachable: a non-empty weekday set recurs within a week")


def local_date_of(instant: datetime, timezone: str) -> date:
    """The user's calendar date at `instant`: the key for "one per local day"."""
    return instant.astimezone(ZoneInfo(timezone)).date()
