"""The periodic tick: claim who is due (database), send (paced), record what happened.

Kinds, in order: daily tips, evening check-ins, check-ins postponed with "Later",
and the optional morning question about the night. With RETENTION_DAYS set, the tick
also deletes check-ins past it, at most once a day per process.

Runs from python-telegram-bot's JobQueue (APScheduler 3) every
SCHEDULER_TICK_SECONDS; tests call `tick()` directly with an injected clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.services.retention import delete_checkins_before
from scheduler.checkin_claims import CHECKINS, LATER_CHECKINS, MORNINGS
from scheduler.claims import ClaimBatch, ScheduledKind, mark_interrupted, record_outcomes
from scheduler.dispatch import Dispatcher
from scheduler.tip_claims import TIPS

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    sent: int = 0
    failed: int = 0
    unknown: int = 0  # timed out: maybe delivered, never resent
    missed: int = 0  # more than the grace late (the bot was down): skipped
    skipped: int = 0  # nothing eligible and the user was already told
    already_had_one: int = 0  # that local day already has a delivery
    interrupted: int = 0  # claims a crash left without outcome, now marked unknown
    expired: int = 0  # check-ins older than RETENTION_DAYS, deleted

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


# The one list of what is scheduled, in the order a tick sends it.
SCHEDULED: tuple[ScheduledKind, ...] = (TIPS, CHECKINS, LATER_CHECKINS, MORNINGS)


@dataclass
class Scheduler:
    """Sends everything scheduled: daily tips, evening check-ins, their snoozes and the
    morning question."""

    sessionmaker: async_sessionmaker[AsyncSession]
    content: Content
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    grace: timedelta = timedelta(hours=2)
    batch_size: int = 500
    retention: timedelta | None = None  # RETENTION_DAYS; None keeps check-ins
    _expired_at: datetime | None = field(default=None, init=False)

    async def tick(self) -> TickReport:
        """One pass over everyone due now, per kind and in batches; safe to run from several
        processes. The next batch is claimed while the current one is being sent, and
        outcomes are written while the next is sent, so database work overlaps sending."""
        now = self.clock()
        report = TickReport(interrupted=await mark_interrupted(self.sessionmaker, now))
        recording: list[asyncio.Task[None]] = []
        try:
            for kind in SCHEDULED:
                await self._run(kind, now, report, recording)
        finally:
            await asyncio.gather(*recording)
        report.expired = await self._expire(now)
        if report:
            log.info("scheduler tick: %s", report)
        return report

    async def _expire(self, now: datetime) -> int:
        """Delete check-ins past the retention, at most once per 24 hours: the setting
        counts in days, so a daily pass is enough, and the other ticks cost nothing."""
        if self.retention is None:
            return 0
        if self._expired_at is not None and now - self._expired_at < timedelta(days=1):
            return 0
        self._expired_at = now
        return await delete_checkins_before(self.sessionmaker, (now - self.retention).date())

    async def _run(
        self,
        kind: ScheduledKind,
        now: datetime,
        report: TickReport,
        recording: list[asyncio.Task[None]],
    ) -> None:
        def claim() -> asyncio.Task[ClaimBatch]:
            return asyncio.create_task(
                kind.claim(kind, self.sessionmaker, self.content, now, self.grace, self.batch_size)
            )

        claiming: asyncio.Task[ClaimBatch] | None = claim()
        while claiming is not None:
            batch = await claiming
            report.missed += batch.missed
            report.skipped += batch.skipped
            report.already_had_one += batch.already_had_one
            claiming = claim() if batch.examined >= self.batch_size else None
            if batch.claims:
                outcomes = await self.dispatcher.send_all(batch.claims)
                recording.append(
                    asyncio.create_task(record_outcomes(self.sessionmaker, outcomes, self.clock()))
                )
                for outcome in outcomes:
                    setattr(report, outcome.status, getattr(report, outcome.status) + 1)
