"""The operator's /stats: counts in the admin's language; nothing about one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.content import Texts
from bot.screens import Screen
from bot.screens.dates import clock_time, full_date
from bot.services.hourly_counts import CONSENT_GIVEN, CONSENT_WITHDRAWN, RATE_LIMITED
from bot.services.stats import ServiceStats

STATUSES = ("sent", "failed", "missed", "unknown")


def _minutes(lag: timedelta) -> str:
    return str(int(lag.total_seconds() // 60))


@dataclass(frozen=True)
class Peak:
    """The busiest minute ahead (local time), how many are due then, how long they take."""

    at: datetime
    due: int
    needed: timedelta
    missed: int


def _today_week(stats: ServiceStats, name: str) -> str:
    return f"{stats.events_today[name]} · {stats.events_week[name]}"


def stats_screen(
    texts: Texts,
    stats: ServiceStats,
    local_now: datetime,
    due: int | None,
    lag: timedelta | None,
    peak: Peak | None = None,
) -> Screen:
    kinds = sorted({kind for kind, _ in stats.week})
    lines = [
        texts(
            "stats_header",
            date=full_date(texts, local_now.date()),
            time=clock_time(local_now.hour * 60 + local_now.minute),
        ),
        texts(
            "stats_users",
            users=str(stats.users),
            active=str(stats.active),
            blocked=str(stats.users - stats.active),
        ),
        texts(
            "stats_consents",
            consents=str(stats.consents),
            current=str(stats.consents_current),
            checkins=str(stats.checkins_since_today),
        ),
        texts(
            "stats_events",
            given=_today_week(stats, CONSENT_GIVEN),
            withdrawn=_today_week(stats, CONSENT_WITHDRAWN),
            waits=_today_week(stats, RATE_LIMITED),
        ),
        texts("stats_sent_heading"),
    ]
    for kind in kinds:
        today, week = (
            [str(counts[(kind, status)]) for status in STATUSES]
            for counts in (stats.today, stats.week)
        )
        lines.append(texts("stats_kind", kind=kind, today=" / ".join(today), week=" / ".join(week)))
    if not kinds:
        lines.append(texts("stats_nothing_sent"))
    if due is not None and lag is not None:
        lines.append(texts("stats_backlog", count=due, minutes=_minutes(lag)))
    if peak is not None:
        lines.append(
            texts(
                "stats_peak",
                time=clock_time(peak.at.hour * 60 + peak.at.minute),
                count=peak.due,
                minutes=str(max(1, round(peak.needed.total_seconds() / 60))),
                missed=str(peak.missed),
            )
        )
    lines.append(texts("stats_footer"))
    return Screen("\n".join(lines))
