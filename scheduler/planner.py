"""Planning the peak: how early tips may start, and whether tomorrow's peak fits.

Pure Python on counts (no database, no clock): `scheduler/peak.py` fetches the
counts, the tick applies the result.

Telegram lets a bot send about 30 messages a second, so 100,000 tips due at 09:00
take over an hour at 25/s. Tips are not time-critical to the minute: with
TIP_SPREAD_MINUTES the scheduler may start them up to that long before they are due,
but only when the messages due by some moment could not all be sent by then at the
rate (`early_horizon`). Messages are still sent in due order, and anything already
due goes before any early tip, so starting early only uses time the sender would
otherwise have spent idle: no message is ever later for it. Check-ins, "Later" and
the morning question are never early (the tick only applies the horizon to tips).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DueCount = tuple[datetime, int]  # (the latest due time of a group, how many are due by then)


def early_horizon(
    now: datetime,
    rate: float | None,
    spread: timedelta,
    backlog: int,
    upcoming: Iterable[DueCount],
) -> datetime:
    """Tips due at or before the returned moment may be claimed at `now`.

    `backlog`: messages (of every kind) already due and not yet sent; `upcoming`:
    (due, count) of messages due after `now`, in due order. A moment x within the
    spread is *at risk* when the messages due by x exceed what the rate can send
    from now until x (one now, then one every 1/rate seconds); the horizon is the
    latest moment at risk, or `now` when there is none (the rate suffices: nothing
    is early). None or 0 rate: `now`.
    """
    if not rate or spread <= timedelta(0):
        return now
    horizon, total, last = now, backlog, now + spread
    for due, count in upcoming:
        if due > last:
            break
        total += count
        if due > now and total > rate * (due - now).total_seconds() + 1:
            horizon = due
    return horizon


@dataclass(frozen=True)
class PeakLoad:
    """The busiest minute ahead and whether it can be sent in time at the rate.

    `due`: messages (all kinds) due in that minute; `seconds_needed`: how long they
    take at `rate`; `window_seconds`: the time they may take (the grace, plus the
    spread for tips); `would_miss`: how many would be past the grace (0: it fits).
    """

    minute: datetime | None
    due: int
    rate: float | None
    seconds_needed: float
    window_seconds: float
    would_miss: int

    @property
    def fits(self) -> bool:
        return self.would_miss == 0

    def describe(self) -> str:
        """Numbers only: for the log line, /stats and metrics."""
        when = self.minute.strftime("%H:%M UTC") if self.minute else "none"
        return (
            f"peak minute {when}: {self.due} due, {self.seconds_needed:.0f} s at "
            f"{self.rate or 0:g}/s, {self.window_seconds:.0f} s allowed, {self.would_miss} "
            "would be missed"
        )


def peak_load(
    minutes: Sequence[tuple[datetime, int, int]],
    rate: float | None,
    grace: timedelta,
    spread: timedelta,
) -> PeakLoad:
    """The peak of `minutes` ((minute, all due, of which tips)): the minute with the most
    due. Its messages may take the grace (tips also the spread, as they may start early);
    what the rate cannot send in that time would be recorded as missed."""
    window = grace.total_seconds()
    if not minutes:
        return PeakLoad(None, 0, rate, 0.0, window, 0)
    minute, due, tips = max(minutes, key=lambda m: (m[1], -m[0].timestamp()))
    if not rate:
        return PeakLoad(minute, due, rate, 0.0, window, 0)
    early = spread.total_seconds() if tips else 0.0
    # Others first (never early, due order is kept): they use the grace; tips get the rest
    # of the grace plus the spread.
    others = due - tips
    sendable_others = min(others, int(rate * window))
    sendable_tips = min(tips, int(rate * (window + early)) - sendable_others)
    would_miss = due - sendable_others - max(0, sendable_tips)
    return PeakLoad(minute, due, rate, due / rate, window + early, max(0, would_miss))
