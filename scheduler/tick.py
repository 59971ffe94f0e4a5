"""The periodic tick: claim who is due (database), send (paced), record what happened.

Runs from python-telegram-bot's JobQueue (APScheduler 3) every
SCHEDULER_TICK_SECONDS; tests call `tick()` directly with an injected clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from scheduler.claims import ClaimBatch, mark_interrupted, record_outcomes
from scheduler.dispatch import Dispatcher
from scheduler.tip_claims import claim_due_tips

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

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@dataclass
class TipScheduler:
    sessionmaker: async_sessionmaker[AsyncSession]
    content: Content
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    grace: timedelta = timedelta(hours=2)
    batch_size: int = 500

    async def tick(self) -> TickReport:
        """One pass over everyone due now, in batches; safe to run from several processes.

        The next batch is claimed while the current one is being sent, and outcomes are
        written while the next is sent, so the database work overlaps the sending.
        """
        now = self.clock()
        report = TickReport(interrupted=await mark_interrupted(self.sessionmaker, now))
        recording: list[asyncio.Task[None]] = []
        claiming: asyncio.Task[ClaimBatch] | None = asyncio.create_task(self._claim(now))
        try:
            while claiming is not None:
                batch = await claiming
                report.missed += batch.missed
                report.skipped += batch.skipped
                report.already_had_one += batch.already_had_one
                more = batch.examined >= self.batch_size
                claiming = asyncio.create_task(self._claim(now)) if more else None
                if batch.claims:
                    outcomes = await self.dispatcher.send_all(batch.claims)
                    recording.append(
                        asyncio.create_task(
                            record_outcomes(self.sessionmaker, outcomes, self.clock())
                        )
                    )
                    for outcome in outcomes:
                        setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        finally:
            await asyncio.gather(*recording)
        if report:
            log.info("tip tick: %s", report)
        return report

    async def _claim(self, now: datetime) -> ClaimBatch:
        return await claim_due_tips(
            self.sessionmaker, self.content, now, self.grace, self.batch_size
        )
