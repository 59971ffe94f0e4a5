"""A user's choices for daily tips, evening check-ins and the morning question.

Pure functions: `next_tip_at(...)`, `next_checkin_at(...)` and `next_morning_at(...)`
turn the choices into the instants the scheduler looks for; `bot.domain.changes`
holds what each settings button may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import EVERY_DAY, Schedule, next_due

DEFAULT_MINUTE = 9 * 60
DEFAULT_CHECKIN_MINUTE = 20 * 60
DEFAULT_MORNING_MINUTE = 8 * 60
COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/London",
    "Europe/Berlin",
    "America/Paramaribo",
    "America/Curacao",
)


@dataclass(frozen=True)
class Choices:
    """What one user chose for tips, evening check-ins and the morning question."""

    tips_enabled: bool = False
    tip_minute: int = DEFAULT_MINUTE
    tip_weekdays: frozenset[int] = EVERY_DAY
    tip_tags_off: frozenset[str] = frozenset()
    timezone: str = "Europe/Amsterdam"
    paused_until: date | None = None
    silent: bool = False
    checkin_enabled: bool = False
    checkin_minute: int = DEFAULT_CHECKIN_MINUTE
    checkin_weekdays: frozenset[int] = EVERY_DAY
    morning_enabled: bool = False
    morning_minute: int = DEFAULT_MORNING_MINUTE

    def paused_on(self, today: date) -> bool:
        return self.paused_until is not None and self.paused_until > today


def next_tip_at(choices: Choices, now: datetime) -> datetime | None:
    """When the next tip is due (UTC), or None when tips are off."""
    if not choices.tips_enabled:
        return None
    after = now
    if choices.paused_until is not None:
        zone = ZoneInfo(choices.timezone)
        resume = datetime.combine(choices.paused_until, time(0), tzinfo=zone).astimezone(UTC)
        after = max(now, resume - timedelta(microseconds=1))
    schedule = Schedule(choices.tip_minute, choices.tip_weekdays, choices.timezone)
    return next_due(schedule, after)


def next_checkin_at(choices: Choices, now: datetime) -> datetime | None:
    """When the next evening check-in is due (UTC), or None when check-ins are off."""
    if not choices.checkin_enabled:
        return None
    schedule = Schedule(choices.checkin_minute, choices.checkin_weekdays, choices.timezone)
    return next_due(schedule, now)


def next_morning_at(choices: Choices, now: datetime) -> datetime | None:
    """When the next morning question is due (UTC), on the check-in days; None when off."""
    if not choices.morning_enabled:
        return None
    schedule = Schedule(choices.morning_minute, choices.checkin_weekdays, choices.timezone)
    return next_due(schedule, now)


def local_today(choices: Choices, now: datetime) -> date:
    return now.astimezone(ZoneInfo(choices.timezone)).date()
