"""The bot's Prometheus metrics, in a registry that belongs to one Application.

Not prometheus-client's global default registry: tests build several Applications in
one process, and each must count only its own updates. `GET /metrics` (bot.health)
renders this registry after filling the gauges that come from the database.

Labels are only ever fixed words — an update type, an outcome, an exception class, a
scheduled kind — never a user id, a chat id or anything a user wrote.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from telegram import Update

from scheduler.planner import PeakLoad

log = logging.getLogger(__name__)

UPDATE_TYPES = (
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "inline_query",
    "channel_post",
)
# Handler latency: a menu tap should take well under a second; a PDF report a few.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
PEAK_EVERY = timedelta(minutes=5)  # the peak gauges are worked out again at most this often
PEAK_TIMEOUT = 5.0  # seconds: a slower peak computation keeps the last numbers


def update_type(update: object) -> str:
    """The kind of update, as a label: one of UPDATE_TYPES, "empty" or "other"."""
    if not isinstance(update, Update):
        return "other"
    for name in Update.ALL_TYPES:
        if getattr(update, name, None) is not None:
            return str(name) if name in UPDATE_TYPES else "other"
    return "empty"  # an update that could not be read, skipped by id (bot.updates)


class _Readings(Collector):
    """Counters that live elsewhere as plain numbers, read at scrape time."""

    def __init__(self) -> None:
        self.sources: dict[str, tuple[str, Callable[[], float]]] = {}

    def collect(self) -> list[CounterMetricFamily]:
        return [
            CounterMetricFamily(name, documentation, value=read())
            for name, (documentation, read) in self.sources.items()
        ]


class Metrics:
    """Everything the bot counts; `registry` is what /metrics renders."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "spasmbot_updates",
            "Updates handled, by type and outcome (ok, error)",
            ["type", "outcome"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "spasmbot_update_handling_seconds",
            "Time to handle one update (after waiting for its chat's turn)",
            ["type"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.errors = Counter(
            "spasmbot_errors",
            "Errors in handlers and jobs, by exception class",
            ["type"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "spasmbot_telegram_rate_limited",
            "Answers 429 (Too Many Requests) from Telegram, by sender (replies, scheduler)",
            ["sender"],
            registry=registry,
        )
        self.rate_limited_seconds = Counter(
            "spasmbot_telegram_rate_limited_seconds",
            "Seconds Telegram asked us to wait after a 429, by sender",
            ["sender"],
            registry=registry,
        )
        self.scheduled = Gauge(
            "spasmbot_scheduled_messages_24h",
            "Scheduled messages claimed in the last 24 hours, by kind and outcome "
            "(sent, failed, unknown, missed, skipped; claimed and sending: not finished yet)",
            ["kind", "outcome"],
            registry=registry,
        )
        self.backlog = Gauge(
            "spasmbot_scheduler_backlog",
            "Users for whom a scheduled message is due now and not yet claimed, by kind",
            ["kind"],
            registry=registry,
        )
        self.lag = Gauge(
            "spasmbot_scheduler_lag_seconds",
            "Now minus the oldest due, unsent scheduled message, by kind (0: none due)",
            ["kind"],
            registry=registry,
        )
        self.users = Gauge(
            "spasmbot_users",
            "Users by state (active; inactive = blocked the bot or deleted their account)",
            ["state"],
            registry=registry,
        )
        self.users_seen = Gauge(
            "spasmbot_users_seen",
            "Active users who used the bot within the period (24h, 7d, 30d)",
            ["within"],
            registry=registry,
        )
        self.database_up = Gauge(
            "spasmbot_database_up",
            "1 when the database answered the last scrape's queries, else 0",
            registry=registry,
        )
        self.pool_in_use = Gauge(
            "spasmbot_database_connections_in_use",
            "Database connections checked out of the pool now",
            registry=registry,
        )
        self.peak = PeakGauges(registry)
        self._readings = _Readings()
        registry.register(self._readings)
        self._failed: set[int] = set()  # ids of updates whose handler failed

    def read_counter(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        """Expose a number kept elsewhere (e.g. updates skipped) as counter `name`_total."""
        self._readings.sources[name] = (documentation, read)

    def handler_failed(self, update: object, error: BaseException | None) -> None:
        """Called by the error handler: counts the error and marks the update's outcome."""
        self.errors.labels(type(error).__name__ if error is not None else "unknown").inc()
        if isinstance(update, Update):
            self._failed.add(update.update_id)

    def update_handled(self, update: object, seconds: float) -> None:
        failed = False
        if isinstance(update, Update) and update.update_id in self._failed:
            self._failed.discard(update.update_id)
            failed = True
        kind = update_type(update)
        self.updates.labels(kind, "error" if failed else "ok").inc()
        self.update_seconds.labels(kind).observe(seconds)

    def telegram_asked_to_wait(self, sender: str, seconds: float) -> None:
        self.rate_limited.labels(sender).inc()
        self.rate_limited_seconds.labels(sender).inc(max(seconds, 0.0))


class PeakGauges:
    """The scheduler's peak warning (`Scheduler.peak_load()`, as in /stats and the start-up
    log line) as gauges: the busiest minute of the next 24 hours, its due count, how long
    it takes at the rate, how long it may take and how many would be missed. Counting it
    is a range count per kind over a day, so it is cached for PEAK_EVERY."""

    def __init__(self, registry: CollectorRegistry) -> None:
        def gauge(name: str, documentation: str) -> Gauge:
            return Gauge(f"spasmbot_scheduler_peak_{name}", documentation, registry=registry)

        self.minute = gauge(
            "minute_timestamp_seconds",
            "Start of the busiest minute of the next 24 hours, Unix time (0: nothing due)",
        )
        self.due = gauge("due", "Scheduled messages (all kinds) due in the busiest minute")
        self.needed = gauge(
            "needed_seconds", "Seconds the busiest minute's messages take at the configured rate"
        )
        self.allowed = gauge(
            "allowed_seconds", "Seconds they may take: the grace, plus the spread for tips"
        )
        self.would_miss = gauge(
            "would_miss", "Of those, how many would be past the grace and missed (0: it fits)"
        )
        self.computed = gauge(
            "computed_timestamp_seconds", "When these peak numbers were worked out, Unix time"
        )
        self._at: datetime | None = None

    def show(self, peak: PeakLoad, at: datetime) -> None:
        self.minute.set(peak.minute.timestamp() if peak.minute is not None else 0)
        self.due.set(peak.due)
        self.needed.set(peak.seconds_needed)
        self.allowed.set(peak.window_seconds)
        self.would_miss.set(peak.would_miss)
        self.computed.set(at.timestamp())
        self._at = at

    async def refresh(self, compute: Callable[[], Awaitable[PeakLoad]], now: datetime) -> None:
        """Work the peak out again (`compute`: `Scheduler.peak_load`) unless the numbers
        are less than PEAK_EVERY old; on failure the last numbers stay."""
        if self._at is not None and timedelta(0) <= now - self._at < PEAK_EVERY:
            return
        try:
            async with asyncio.timeout(PEAK_TIMEOUT):
                peak = await compute()
        except Exception as exc:  # the kind of failure only: a message may hold a URL
            log.warning("metrics: the scheduler's peak could not be read (%s)", type(exc).__name__)
            return
        self.show(peak, now)
