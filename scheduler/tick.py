"""The periodic tick: claim who is due (database), send (paced), record what happened.

Kinds: daily tips, evening check-ins, check-ins postponed with "Later", the
optional morning question about the night, and the appointment reminder and day-after
question. With RETENTION_DAYS set, the tick also
deletes check-ins past it, at most once a day per process.

Runs from python-telegram-bot's JobQueue (APScheduler 3) every
SCHEDULER_TICK_SECONDS; tests call `tick()` directly with an injected clock.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.domain.kinds import TIP
from bot.services.retention import delete_checkins_before
from scheduler.appointment_claims import AFTER_APPOINTMENTS, APPOINTMENTS
from scheduler.backlog import Backlog, backlog
from scheduler.broadcast_claims import BROADCAST_REPORTS, BROADCASTS
from scheduler.checkin_claims import CHECKINS, LATER_CHECKINS, MORNINGS
from scheduler.claims import Claim, ScheduledKind, due_times
from scheduler.dispatch import Dispatcher
from scheduler.leader import AlwaysLeader, Leadership
from scheduler.ledger import Ledger
from scheduler.peak import DueAhead, minute_loads, overdue
from scheduler.planner import PeakLoad, early_horizon, peak_load
from scheduler.resume import resume_claims
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
    resumed: int = 0  # claims an interrupted run never attempted, sent now
    interrupted: int = 0  # `sending` rows an interrupted run left, now marked unknown
    expired: int = 0  # check-ins older than RETENTION_DAYS, deleted

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


CLAIM_SECONDS = 4  # a claim holds about this many seconds of sends
PLAN_SECONDS = 15  # how long an early-start horizon is used before it is worked out again


def claim_size(rate: float | None, most: int) -> int:
    """Rows claimed at a time: about CLAIM_SECONDS of sends at `rate` (per second; None or
    0 is unlimited), at most `most` (SCHEDULER_BATCH_SIZE). Small claims strand little
    when a process dies, and leave due users for a second process to claim."""
    if not rate:
        return most
    return max(1, min(most, math.ceil(rate * CLAIM_SECONDS)))


# The one list of what is scheduled.
SCHEDULED: tuple[ScheduledKind, ...] = (
    TIPS,
    CHECKINS,
    LATER_CHECKINS,
    MORNINGS,
    APPOINTMENTS,
    AFTER_APPOINTMENTS,
    BROADCASTS,
    BROADCAST_REPORTS,
)


@dataclass
class Scheduler:
    """Sends everything scheduled: daily tips, evening check-ins, their snoozes and the
    morning question."""

    sessionmaker: async_sessionmaker[AsyncSession]
    content: Content
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    grace: timedelta = timedelta(hours=2)
    batch_size: int = 500  # rows claimed at a time: see claim_size()
    retention: timedelta | None = None  # RETENTION_DAYS; None keeps check-ins
    leader: Leadership = field(default_factory=AlwaysLeader)  # PostgreSQL: one sender per bot
    rate: float | None = None  # TIP_RATE_PER_SECOND, for planning (None: unlimited)
    spread: timedelta = timedelta(0)  # TIP_SPREAD_MINUTES: how early tips may start
    leading: bool = field(default=False, init=False)  # this process sent at its last tick
    _horizon: tuple[datetime, datetime] | None = field(default=None, init=False)
    _ahead: DueAhead | None = field(default=None, init=False)  # tips due soon, per minute
    _peak_checked: bool = field(default=False, init=False)
    _expired_at: datetime | None = field(default=None, init=False)
    _started: datetime | None = field(default=None, init=False)  # this process's first tick

    async def tick(self) -> TickReport:
        """One pass over everyone due now, claim by claim group; safe to run from several
        processes. What an earlier run left open is dealt with first; more claims are
        made while the last ones are sent, and outcomes are written as they come."""
        if self.dispatcher.stopping:
            return TickReport()  # the process is stopping: the next run sends it
        now = self.clock()
        if not self._peak_checked:
            self._peak_checked = True
            await self.check_peak()
        if not await self.leader.lead():
            self.leading = False
            return TickReport()  # another process is the leader: stand by
        if not self.leading:
            # Just became the sender: whatever is open now was left by a run that is over
            # (this process's earlier life, or a leader that died), so it is taken over.
            # A new leader first waits a little: the one before may have sent a second's
            # worth just before it died (the rate is the bot's), and its last writes may
            # still be on their way to the database.
            await asyncio.sleep(self.leader.handover)
            now = self.clock()
            self._started, self.leading = now, True
        report = TickReport()
        ledger = Ledger(self.sessionmaker, self.clock)
        left = await ledger.open_rows(self._started or now)
        report.interrupted = left.interrupted
        resumed = await resume_claims(
            self.sessionmaker, SCHEDULED, left.claimed, self.content, now, self.grace
        )
        report.resumed, report.missed, report.skipped = (
            len(resumed.claims),
            resumed.missed,
            resumed.skipped,
        )
        rounds = _Rounds(self, now, report)
        for outcome in await self.dispatcher.run(resumed.claims, rounds.next, ledger):
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        if not self.dispatcher.stopping:
            report.expired = await self._expire(now)
        if report:
            log.info("scheduler tick: %s", report)
        return report

    async def backlog(self) -> Backlog:
        """Messages due now and not claimed yet, and the oldest due time (for /stats)."""
        return await backlog(self.sessionmaker, SCHEDULED, self.clock())

    async def peak_load(self) -> PeakLoad:
        """The busiest minute of the next 24 hours (every kind, as the due columns hold
        them now), how long it takes at the rate, and how many would be missed: the
        numbers for /stats and metrics. Two index-range counts per kind."""
        now = self.clock()
        async with self.sessionmaker() as session:
            minutes = await minute_loads(session, SCHEDULED, TIP, now, now + timedelta(days=1))
        return peak_load(minutes, self.rate, self.grace, self.spread)

    async def check_peak(self) -> PeakLoad:
        """`peak_load()`, with a warning in the log (numbers only) when it does not fit."""
        peak = await self.peak_load()
        if not peak.fits:
            log.warning("scheduler: the peak does not fit in the grace: %s", peak.describe())
        return peak

    async def horizon(self, now: datetime) -> datetime:
        """Tips due by this moment may be claimed now (`planner.early_horizon`); worked
        out again at most every PLAN_SECONDS."""
        if not self.rate or self.spread <= timedelta(0):
            return now
        if self._horizon is not None:
            at, horizon = self._horizon
            if timedelta(0) <= now - at < timedelta(seconds=PLAN_SECONDS):
                return max(now, horizon)
        if self._ahead is None:
            self._ahead = DueAhead(self.spread)
        async with self.sessionmaker() as session:
            backlog = await overdue(session, SCHEDULED, now)
            upcoming = await self._ahead.upcoming(session, SCHEDULED, now)
        horizon = early_horizon(now, self.rate, self.spread, backlog, upcoming)
        self._horizon = (now, horizon)
        return horizon

    def stop(self, within: float) -> None:
        """SIGTERM: no new claims or sends; what is in flight gets `within` seconds and
        is recorded, claims never attempted are released (`Dispatcher.stop`)."""
        self.dispatcher.stop(within)

    async def close(self) -> None:
        """Give up the leadership (a standby takes over at its next tick) and the Bot."""
        await self.leader.close()
        await self.dispatcher.bot.shutdown()

    async def _expire(self, now: datetime) -> int:
        """Delete check-ins past the retention, at most once per 24 hours: the setting
        counts in days, so a daily pass is enough, and the other ticks cost nothing."""
        if self.retention is None:
            return 0
        if self._expired_at is not None and now - self._expired_at < timedelta(days=1):
            return 0
        self._expired_at = now
        return await delete_checkins_before(self.sessionmaker, (now - self.retention).date())


@dataclass
class _Rounds:
    """Claims for one tick, a group at a time, as the dispatcher asks for more. Every
    kind is served in one due-time order: a group holds the earliest due of all kinds
    (check-ins due at 20:00 do not wait behind the tips due at 20:00)."""

    scheduler: Scheduler
    now: datetime
    report: TickReport

    async def next(self) -> list[Claim] | None:
        s = self.scheduler
        if not await s.leader.still_leading():
            return None  # lost the leader's connection: a standby may be sending now
        now = max(self.now, s.clock())  # a long dispatch also claims what fell due meanwhile
        horizon = await s.horizon(now)
        until = {kind.name: horizon if kind.early else now for kind in SCHEDULED}
        shares = await self._shares(s.batch_size, until)
        claims: list[Claim] = []
        examined = 0
        for kind in SCHEDULED:
            if not (limit := shares[kind.name]):
                continue
            batch = await kind.claim(
                kind, s.sessionmaker, s.content, now, s.grace, limit, until[kind.name]
            )
            self.report.missed += batch.missed
            self.report.skipped += batch.skipped
            self.report.already_had_one += batch.already_had_one
            examined += batch.examined
            claims.extend(batch.claims)
        return claims if examined else None  # nothing claimable (or another process has it)

    async def _shares(self, size: int, until: dict[str, datetime]) -> Counter[str]:
        """How many of the next `size` due messages, in due order, are of each kind (each
        kind due by its `until`)."""
        async with self.scheduler.sessionmaker() as session:
            kinds = [(kind, until[kind.name]) for kind in SCHEDULED]
            due = await due_times(session, kinds, size)
        return Counter(SCHEDULED[position].name for _, position in heapq.nsmallest(size, due))
