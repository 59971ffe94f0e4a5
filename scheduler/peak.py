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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from scheduler.claims import ScheduledKind
from scheduler.planner import DueCount

Minutes = dict[datetime, tuple[int, datetime]]  # minute → (how many due, the latest due)


def _minute(
    session: AsyncSession, column: InstrumentedAttribute[datetime | None]
) -> ColumnElement[Any]:
    """The due time's minute as a grouping key (SQLite stores 'YYYY-MM-DD HH:MM:SS…')."""
    if session.bind.dialect.name == "postgresql":
        return func.date_trunc("minute", column)
    return func.substr(column, 1, 16)


async def _per_minute(
    session: AsyncSession, kind: ScheduledKind, after: datetime, until: datetime
) -> Minutes:
    """How many of `kind` are due in each minute of (after, until]."""
    bucket = _minute(session, kind.due)
    query = (
        select(bucket, func.count(), func.max(kind.due))
        .where(kind.due > after, kind.due <= until)
        .group_by(bucket)
    )
    found: Minutes = {}
    for _, count, latest in await session.execute(query):
        if latest is not None:
            found[latest.replace(second=0, microsecond=0)] = (int(count), latest)
    return found


async def _overdue(session: AsyncSession, kind: ScheduledKind, now: datetime) -> int:
    query = select(func.count()).where(kind.due <= now)  # FROM the due column's own table
    return int(await session.scalar(query) or 0)


async def due_ahead(
    session: AsyncSession, kinds: Sequence[ScheduledKind], now: datetime, spread: timedelta
) -> tuple[int, list[DueCount]]:
    """(messages of every kind due by `now`, then per minute up to `now + spread`:
    (the latest due time that minute, how many due then)), for `early_horizon`."""
    backlog = 0
    counts: dict[datetime, int] = defaultdict(int)
    latest: dict[datetime, datetime] = {}
    for kind in kinds:
        backlog += await _overdue(session, kind, now)
        for minute, (count, last) in (await _per_minute(session, kind, now, now + spread)).items():
            counts[minute] += count
            latest[minute] = max(last, latest.get(minute, last))
    return backlog, sorted((latest[minute], count) for minute, count in counts.items())


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
        for minute, (count, _) in (await _per_minute(session, kind, start, end)).items():
            totals[minute][0] += count
            if kind.name == tips:
                totals[minute][1] += count
    return sorted((minute, all_due, of_tips) for minute, (all_due, of_tips) in totals.items())
