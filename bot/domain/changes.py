"""What each settings button may change, one small type per kind of change.

A change is plain data (it travels in button data, see `bot.callbacks`) that knows
how to apply itself: `change.apply(choices, rules)` returns the new choices or raises
InvalidChange for anything not on offer (a forged button, a removed subject).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

from bot.domain.choices import Choices
from bot.domain.schedule import EVERY_DAY, MINUTES_PER_DAY, WEEKDAYS, WEEKEND
from bot.domain.zones import zone_of_key

PAUSE_DAYS = (1, 3, 7, 14)
QUARTERS = (0, 15, 30, 45)
DayPreset = Literal["every", "weekdays", "weekend"]
DAY_PRESETS: dict[DayPreset, frozenset[int]] = {
    "every": EVERY_DAY,
    "weekdays": WEEKDAYS,
    "weekend": WEEKEND,
}
DayPart = Literal["morning", "afternoon", "evening", "night"]
DAY_PARTS: dict[DayPart, range] = {
    "morning": range(6, 12),
    "afternoon": range(12, 18),
    "evening": range(18, 24),
    "night": range(0, 6),
}
TimeTarget = Literal["tips", "checkin", "morning"]  # whose time of day is being chosen
Switchable = Literal["tips", "silent", "checkin", "morning"]
_SWITCHES = {
    "tips": "tips_enabled",
    "silent": "silent",
    "checkin": "checkin_enabled",
    "morning": "morning_enabled",
}
_TIMES = {"tips": "tip_minute", "checkin": "checkin_minute", "morning": "morning_minute"}
_DAYS = {"tips": "tip_weekdays", "checkin": "checkin_weekdays"}


class InvalidChange(ValueError):
    """The requested change is not allowed (forged button data, unknown zone, ...)."""


@dataclass(frozen=True)
class Rules:
    """What a change is checked against: the subjects on offer and the user's local time."""

    all_tags: tuple[str, ...]
    local_now: datetime

    @property
    def today(self) -> date:
        return self.local_now.date()


@dataclass(frozen=True)
class Switch:
    """Tips, silent delivery, check-ins or the morning question on or off."""

    what: Switchable
    on: bool

    def apply(self, current: Choices, rules: Rules) -> Choices:
        changed: dict[str, Any] = {_SWITCHES[self.what]: self.on}
        return replace(current, **changed)


@dataclass(frozen=True)
class SetTime:
    """A time of day (minutes after midnight, on a quarter) for tips, check-in or morning."""

    target: TimeTarget
    minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.minute < MINUTES_PER_DAY or self.minute % 60 not in QUARTERS:
            raise InvalidChange(f"time {self.minute}")

    def apply(self, current: Choices, rules: Rules) -> Choices:
        changed: dict[str, Any] = {_TIMES[self.target]: self.minute}
        return replace(current, **changed)


@dataclass(frozen=True)
class SetDays:
    """Every day, weekdays or the weekend, for tips or check-ins."""

    target: Literal["tips", "checkin"]
    preset: DayPreset

    def apply(self, current: Choices, rules: Rules) -> Choices:
        changed: dict[str, Any] = {_DAYS[self.target]: DAY_PRESETS[self.preset]}
        return replace(current, **changed)


@dataclass(frozen=True)
class ToggleDay:
    """One weekday of the tips on or off (0 = Monday); the last day cannot go."""

    day: int

    def __post_init__(self) -> None:
        if not 0 <= self.day < 7:
            raise InvalidChange(f"day {self.day}")

    def apply(self, current: Choices, rules: Rules) -> Choices:
        toggled = current.tip_weekdays ^ {self.day}
        return replace(current, tip_weekdays=toggled or current.tip_weekdays)


@dataclass(frozen=True)
class ToggleTag:
    """One subject of the tips on or off."""

    tag: str

    def apply(self, current: Choices, rules: Rules) -> Choices:
        if self.tag not in rules.all_tags:
            raise InvalidChange(f"subject {self.tag!r}")
        return replace(current, tip_tags_off=current.tip_tags_off ^ {self.tag})


@dataclass(frozen=True)
class SetZone:
    """A time zone, by its key (`europe__london`): from the short list, or one of the
    zones a typed city or country name stands for."""

    key: str

    def apply(self, current: Choices, rules: Rules) -> Choices:
        zone = zone_of_key(self.key)
        if zone is None:
            raise InvalidChange(f"zone {self.key!r}")
        return replace(current, timezone=zone)


@dataclass(frozen=True)
class Pause:
    """No tips for a few days, from the first day whose tip is still to come (today before
    the tip time, else tomorrow: "1 dag" chosen in the evening skips tomorrow's tip). The
    pause ends by itself."""

    days: int

    def __post_init__(self) -> None:
        if self.days not in PAUSE_DAYS:
            raise InvalidChange(f"pause {self.days}")

    def apply(self, current: Choices, rules: Rules) -> Choices:
        minute = rules.local_now.hour * 60 + rules.local_now.minute
        first = rules.today + timedelta(days=0 if minute < current.tip_minute else 1)
        return replace(current, paused_until=first + timedelta(days=self.days))


@dataclass(frozen=True)
class Resume:
    """End a pause now."""

    def apply(self, current: Choices, rules: Rules) -> Choices:
        return replace(current, paused_until=None)


Change = Switch | SetTime | SetDays | ToggleDay | ToggleTag | SetZone | Pause | Resume
