"""A user's choices for daily tips and evening check-ins, and the rules for changing them.

Pure functions: the settings menu turns a button into `apply_change(...)`, and
`next_tip_at(...)` / `next_checkin_at(...)` turn the result into the instants the
scheduler looks for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from scheduler.schedule import EVERY_DAY, WEEKDAYS, WEEKEND, Schedule, next_due

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
class TipSettings:
    enabled: bool = False
    minute_of_day: int = DEFAULT_MINUTE
    weekdays: frozenset[int] = EVERY_DAY
    tags_off: frozenset[str] = frozenset()
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
    current: TipSettings, name: str, value: str, all_tags: tuple[str, ...], today: date
) -> TipSettings:
    """The settings after one button; raises InvalidChange for anything not on offer."""
    try:
        return _apply(current, name, value, all_tags, today)
    except (KeyError, ValueError) as exc:
        raise InvalidChange(f"{name}={value!r}") from exc


def _apply(
    current: TipSettings, name: str, value: str, all_tags: tuple[str, ...], today: date
) -> TipSettings:
    if name == "tips":
        return replace(current, enabled={"on": True, "off": False}[value])
    if name == "silent":
        return replace(current, silent={"on": True, "off": False}[value])
    if name in ("time", "checkin_time", "morning_time"):
        hour, minute = int(value[:2]), int(value[2:])
        if len(value) != 4 or not 0 <= hour < 24 or minute not in QUARTERS:
            raise ValueError(value)
        if name == "time":
            return replace(current, minute_of_day=hour * 60 + minute)
        if name == "morning_time":
            return replace(current, morning_minute=hour * 60 + minute)
        return replace(current, checkin_minute=hour * 60 + minute)
    if name == "days":
        return replace(current, weekdays=DAY_PRESETS[value])
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
        toggled = current.weekdays ^ {day}
        return replace(current, weekdays=toggled or current.weekdays)  # never zero days
    if name == "tag":
        if value not in all_tags:
            raise ValueError(value)
        return replace(current, tags_off=current.tags_off ^ {value})
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


def next_tip_at(settings: TipSettings, now: datetime) -> datetime | None:
    """When the next tip is due (UTC), or None when tips are off."""
    if not settings.enabled:
        return None
    after = now
    if settings.paused_until is not None:
        zone = ZoneInfo(settings.timezone)
        resume = datetime.combine(settings.paused_until, time(0), tzinfo=zone).astimezone(UTC)
        after = max(now, resume - timedelta(microseconds=1))
    schedule = Schedule(settings.minute_of_day, settings.weekdays, settings.timezone)
    return next_due(schedule, after)


def next_checkin_at(settings: TipSettings, now: datetime) -> datetime | None:
    """When the next evening check-in is due (UTC), or None when check-ins are off."""
    if not settings.checkin_enabled:
        return None
    schedule = Schedule(settings.checkin_minute, settings.checkin_weekdays, settings.timezone)
    return next_due(schedule, now)


def next_morning_at(settings: TipSettings, now: datetime) -> datetime | None:
    """When the next morning question is due (UTC), on the check-in days; None when off."""
    if not settings.morning_enabled:
        return None
    schedule = Schedule(settings.morning_minute, settings.checkin_weekdays, settings.timezone)
    return next_due(schedule, now)


def local_today(settings: TipSettings, now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.timezone)).date()
