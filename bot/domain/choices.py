"""A user's choices for daily tips and evening check-ins, and the rules for changing them.

Pure functions: the choices menu turns a button into `apply_change(...)`, and
`next_tip_at(...)` / `next_checkin_at(...)` turn the result into the instants the
scheduler looks for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.schedule import EVERY_DAY, WEEKDAYS, WEEKEND, Schedule, next_due

DEFAULT_MINUTE = 9 * 60
DEFAULT_CHECKIN_MINUTE = 20 * 60
DEFAULT_MORNING_MINUTE = 8 * 60
PAUSE_DAYS = (1, 3, 7, 14)
QUARTERS = (0, 15, 30, 45)
COMMON_ZONES = (
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/London",
    "Europe/Berlin",
    "America/Paramaribo",
    "America/Curacao",
)
DAY_PRESETS = {"every": EVERY_DAY, "weekdays": WEEKDAYS, "weekend": WEEKEND}


class InvalidChange(ValueError):
    """The requested change is not allowed (forged button data, unknown zone, ...)."""


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


def zone_key(zone: str) -> str:
    """A zone name as it can travel in button data: `Europe/Amsterdam` → `europe__amsterdam`."""
    return zone.lower().replace("/", "__")


def find_zone(typed: str) -> str | None:
    """The IANA zone a user typed, forgiving case and spaces; None when there is none."""
    wanted = typed.strip().replace(" ", "_").lower()
    return next((z for z in sorted(available_timezones()) if z.lower() == wanted), None)


def apply_change(
    current: Choices, name: str, value: str, all_tags: tuple[str, ...], today: date
) -> Choices:
    """The choices after one button; raises InvalidChange for anything not on offer."""
    try:
        return _apply(current, name, value, all_tags, today)
    except (KeyError, ValueError) as exc:
        raise InvalidChange(f"{name}={value!r}") from exc


def _apply(
    current: Choices, name: str, value: str, all_tags: tuple[str, ...], today: date
) -> Choices:
    if name == "tips":
        return replace(current, tips_enabled={"on": True, "off": False}[value])
    if name == "silent":
        return replace(current, silent={"on": True, "off": False}[value])
    if name in ("time", "checkin_time", "morning_time"):
        hour, minute = int(value[:2]), int(value[2:])
        if len(value) != 4 or not 0 <= hour < 24 or minute not in QUARTERS:
            raise ValueError(value)
        if name == "time":
            return replace(current, tip_minute=hour * 60 + minute)
        if name == "morning_time":
            return replace(current, morning_minute=hour * 60 + minute)
        return replace(current, checkin_minute=hour * 60 + minute)
    if name == "days":
        return replace(current, tip_weekdays=DAY_PRESETS[value])
    if name == "checkin":
        return replace(current, checkin_enabled={"on": True, "off": False}[value])
    if name == "morning":
        return replace(current, morning_enabled={"on": True, "off": False}[value])
    if name == "checkin_days":
        return replace(current, checkin_weekdays=DAY_PRESETS[value])
    if name == "day":
        day = int(value)
        if not 0 <= day < 7:
            raise ValueError(value)
        toggled = current.tip_weekdays ^ {day}
        return replace(current, tip_weekdays=toggled or current.tip_weekdays)  # never zero days
    if name == "tag":
        if value not in all_tags:
            raise ValueError(value)
        return replace(current, tip_tags_off=current.tip_tags_off ^ {value})
    if name == "zone":
        zone = {zone_key(z): z for z in COMMON_ZONES}[value]
        return replace(current, timezone=zone)
    if name == "pause":
        days = int(value)
        if days not in PAUSE_DAYS:
            raise ValueError(value)
        return replace(current, paused_until=today + timedelta(days=days))
    if name == "resume":
        return replace(current, paused_until=None)
    raise KeyError(name)


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
