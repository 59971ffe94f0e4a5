"""A user's own patterns from their check-ins: plain arithmetic, no Telegram, no database.

Check-in answers are self-reported observations. Everything here describes what the
numbers show ("on days with X your average was …"), never a cause.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MIN_DAYS_FOR_COMPARISON = 5  # with and without a trigger, before comparing averages
USUAL_DAYS = 14  # "your usual level": the average of this many days before the check-in
USUAL_MIN_ANSWERS = 5  # ... once at least this many of them were answered
MUCH_WORSE_POINTS = 3  # this far above the usual level, the thank-you suggests calling
# A change of the period's average of at least this fraction is marked in the report:
# the threshold for a clinically relevant change on the spasticity NRS that the
# MS-Spasticity App trial used (Ehling et al. 2022, docs/content.md). A neutral mark.
MARKED_CHANGE = 0.20
PERIODS = (7, 30)
LONG_PERIOD = 90  # shown too once there are check-ins from before the last 30 days


@dataclass(frozen=True)
class DayRecord:
    """One day's check-in: NRS 0–10 (None if not answered), a troubled night, triggers."""

    day: date
    nrs: int | None
    night: bool | None
    triggers: frozenset[str] = frozenset()
    note: str | None = None
    night_woke: bool | None = None  # the morning question
    night_nrs: int | None = None

    def __post_init__(self) -> None:
        if self.nrs is not None and not 0 <= self.nrs <= 10:
            raise ValueError(f"NRS {self.nrs} is outside 0-10")

    @property
    def troubled_night(self) -> bool:
        """Trouble in the night, from the evening question or the morning one."""
        return bool(self.night or self.night_woke)


@dataclass(frozen=True)
class TriggerComparison:
    trigger: str
    days_with: int
    days_without: int
    average_with: float
    average_without: float


@dataclass(frozen=True)
class PeriodSummary:
    start: date
    end: date  # inclusive
    series: tuple[int | None, ...]  # one value per calendar day; None = no answer (a gap)
    answered_days: int
    average: float | None
    troubled_nights: int
    trigger_counts: tuple[tuple[str, int], ...]  # most frequent first
    comparisons: tuple[TriggerComparison, ...]
    previous_average: float | None  # the period of equal length just before
    night_days: tuple[date, ...] = ()  # days with a troubled night

    @property
    def days(self) -> int:
        return len(self.series)

    @property
    def levels(self) -> list[int]:
        return sorted(v for v in self.series if v is not None)

    @property
    def median(self) -> float | None:
        return statistics.median(self.levels) if self.levels else None

    @property
    def change(self) -> float | None:
        """This period's average minus the previous period's (None if either is missing)."""
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average

    @property
    def change_percent(self) -> float | None:
        """The change as a percentage of the previous average (None when that was 0)."""
        if self.change is None or not self.previous_average:
            return None
        return 100 * self.change / self.previous_average

    @property
    def marked_change(self) -> bool:
        """A change of MARKED_CHANGE or more: worth a neutral mark, never a verdict."""
        percent = self.change_percent
        return percent is not None and abs(percent) >= 100 * MARKED_CHANGE


def _average(values: Iterable[int]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def summarise(records: Sequence[DayRecord], end: date, days: int) -> PeriodSummary:
    """The `days` days up to and including `end`, compared with the `days` before them."""
    start = end - timedelta(days=days - 1)
    by_day = {r.day: r for r in records}
    in_period = [by_day[d] for d in _dates(start, end) if d in by_day]
    answered = [r for r in in_period if r.nrs is not None]
    previous = [
        by_day[d].nrs
        for d in _dates(start - timedelta(days=days), start - timedelta(days=1))
        if d in by_day and by_day[d].nrs is not None
    ]
    counts = Counter(t for r in in_period for t in r.triggers)
    return PeriodSummary(
        start=start,
        end=end,
        series=tuple(by_day[d].nrs if d in by_day else None for d in _dates(start, end)),
        answered_days=len(answered),
        average=_average(r.nrs for r in answered if r.nrs is not None),
        troubled_nights=sum(1 for r in in_period if r.troubled_night),
        trigger_counts=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        comparisons=tuple(compare_triggers(answered)),
        previous_average=_average(v for v in previous if v is not None),
        night_days=tuple(r.day for r in in_period if r.troubled_night),
    )


def report_periods(records: Sequence[DayRecord], today: date) -> tuple[int, ...]:
    """7 and 30 days, and 90 once some check-in is older than the last 30 days."""
    older = today - timedelta(days=PERIODS[-1])
    since = today - timedelta(days=LONG_PERIOD - 1)
    has_older = any(since <= r.day <= older for r in records)
    return (*PERIODS, LONG_PERIOD) if has_older else PERIODS


def usual_level(records: Sequence[DayRecord], day: date) -> float | None:
    """The average level of the USUAL_DAYS before `day` (not `day` itself), or None when
    fewer than USUAL_MIN_ANSWERS of those days have one: too little to call it usual."""
    since = day - timedelta(days=USUAL_DAYS)
    levels = [r.nrs for r in records if since <= r.day < day and r.nrs is not None]
    return _average(levels) if len(levels) >= USUAL_MIN_ANSWERS else None


def much_worse_than_usual(level: int | None, usual: float | None) -> bool:
    """A level at least MUCH_WORSE_POINTS above the user's own usual level. Not a
    diagnosis: the reply only asks whether it feels much worse and names who to call."""
    return level is not None and usual is not None and level >= usual + MUCH_WORSE_POINTS


def compare_triggers(answered: Sequence[DayRecord]) -> list[TriggerComparison]:
    """Average NRS on days with vs without each trigger, only when both sides have at
    least MIN_DAYS_FOR_COMPARISON answered days; largest difference first."""
    found: list[TriggerComparison] = []
    for trigger in sorted({t for r in answered for t in r.triggers}):
        with_ = [r.nrs for r in answered if trigger in r.triggers and r.nrs is not None]
        without = [r.nrs for r in answered if trigger not in r.triggers and r.nrs is not None]
        if len(with_) < MIN_DAYS_FOR_COMPARISON or len(without) < MIN_DAYS_FOR_COMPARISON:
            continue
        found.append(
            TriggerComparison(
                trigger,
                len(with_),
                len(without),
                sum(with_) / len(with_),
                sum(without) / len(without),
            )
        )
    return sorted(found, key=lambda c: -abs(c.average_with - c.average_without))


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
