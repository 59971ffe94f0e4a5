"""The counts the planner needs, from the due columns (`scheduler/planner.py` decides).

Both count due users per minute over a range of each kind's due column (`GROUP BY`
the minute), reading that column's index only: no join, no row. So they count users
whose switch is off only if their due column is still set (it is cleared when a kind
is switched off) and users who blocked the bot (rare): an upper bound, which may start
a peak a little earlier than needed, never later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from scheduler.claims import ScheduledKind
from scheduler.planner import DueCount

Minutes = dict[datetime, tuple[int, datetime]]  # minute → (how many due, the latest due)
RECOUNT = timedelta(minutes=5)  # how long DueAhead's counts are topped up before a recount


def _minute(
    session: AsyncSession, column: InstrumentedAttribute[datetime | None]
) -> ColumnElement[Any]:
    """The due time's minute as a grouping key (SQLite stores 'YYYY-MM-DD HH:MM:SS…')."""
    if session.bind.dialect.name == "postgresql":
        return func.date_trunc("minute", column)
    return func.substr(column, 1, 16)


async def overdue(session: AsyncSession, kinds: Sequence[ScheduledKind], now: datetime) -> int:
    """Messages of every kind due by `now` (few when idle: a claim moves the due on), in
    one round trip: a count per kind, each FROM the due column's own table."""
    counts = [select(func.count()).where(kind.due <= now).scalar_subquery() for kind in kinds]
    return sum(int(n or 0) for n in (await session.execute(select(*counts))).one())


async def per_minute(
    session: AsyncSession, kinds: Sequence[ScheduledKind], after: datetime, until: datetime
) -> Minutes:
    """Messages of every kind due in each minute of (after, until], with the latest, in
    one round trip (a UNION ALL of one GROUP BY per kind)."""
    parts = []
    for kind in kinds:
        bucket = _minute(session, kind.due)
        parts.append(
            select(bucket, func.count(), func.max(kind.due))
            .where(kind.due > after, kind.due <= until)
            .group_by(bucket)
        )
    merged: Minutes = {}
    for _, count, latest in await session.execute(union_all(*parts)):
        if latest is not None:
            _add(merged, {latest.replace(second=0, microsecond=0): (int(count), latest)})
    return merged


def _add(into: Minutes, more: Minutes) -> None:
    for minute, (count, last) in more.items():
        had, latest = into.get(minute, (0, last))
        into[minute] = (had + count, max(last, latest))


@dataclass
class DueAhead:
    """The per-minute counts of the next TIP_SPREAD_MINUTES, kept between plans: each
    plan counts only the minutes that came into the window since the last one (a
    tick's worth, not the whole window: at 1M users the window holds ~12,500 index
    entries, and PostgreSQL checks each one's row while the visibility map is stale),
    and everything again every RECOUNT. Between recounts a count can only be too high
    (users claimed meanwhile), which starts a peak a little early, never late; a user
    who chose a time inside the counted window is seen at the next recount."""

    spread: timedelta
    counted: Minutes = field(default_factory=dict)
    until: datetime | None = None  # counted up to here
    recounted: datetime | None = None

    async def upcoming(
        self, session: AsyncSession, kinds: Sequence[ScheduledKind], now: datetime
    ) -> list[DueCount]:
        """(the latest due time of a minute, how many due then) for each minute of
        (now, now + spread], in time order, for `early_horizon`."""
        end, until = now + self.spread, self.until
        if (
            until is None
            or until < now
            or self.recounted is None
            or not timedelta(0) <= now - self.recounted < RECOUNT
        ):
            self.counted, self.recounted = await per_minute(session, kinds, now, end), now
        elif end > until:  # the minutes new in the window; the first may be counted in part
            _add(self.counted, await per_minute(session, kinds, until, end))
        self.until = max(end, until or end)
        self.counted = {m: c for m, c in self.counted.items() if c[1] > now}
        return sorted((latest, count) for count, latest in self.counted.values())


async def minute_loads(
    session: AsyncSession,
    kinds: Sequence[ScheduledKind],
    tips: str,
    start: datetime,
    end: datetime,
) -> list[tuple[datetime, int, int]]:
    """(minute, due of every kind, of which tips) for each minute of (start, end]."""
    totals: dict[datetime, list[int]] = defaultdict(lambda: [0, 0])
    for kind in kinds:
        for minute, (count, _) in (await per_minute(session, [kind], start, end)).items():
            totals[minute][0] += count
            if kind.name == tips:
                totals[minute][1] += count
    return sorted((minute, all_due, of_tips) for minute, (all_due, of_tips) in totals.items())
