"""Paid broadcast (issue 13): the part of a peak that would otherwise be missed goes out
above Telegram's free ~30/s with `allow_paid_broadcast` (up to 1000/s, billed per
message in Telegram Stars), at most PAID_BROADCAST_MAX_PER_DAY a day. Off unless
ALLOW_PAID_BROADCAST=true and the cap is above 0 (`paid_broadcast_for`).

Which sends are paid. A claim is *at risk* when its lateness (now - due) has come
within PAID_MARGIN of the grace: it is then the oldest part of a backlog the free rate
is not draining, and the unclaimed messages behind it, due no earlier, are about to be
recorded `missed` when they are claimed. Only those sends are paid; a claim sent in
time at the free rate (or early, in a planned peak) never is. The dispatcher serves
the queue in due order, so the oldest go paid first, the backlog drains, and once the
lateness falls back below the threshold sending is free again. Paying for the head of
the queue instead of predicting which later messages would be missed keeps it local
(no counting of the backlog) and costs at most a margin's worth of free-rate sends
more than the strict minimum per peak (15 s × 25/s = 375 messages).

Paid sends have their own pacer (PAID_RATE), so they do not take the free rate's
tokens, and the free sender goes on beside them. Telegram's per-chat limit (about one
message a second) is not lifted by paying: the dispatcher's chat spacing applies to
both. A bot-wide 429 pauses both pacers (`Dispatcher.pause`).

The cap is hard, per UTC day, and counted in the database: a send is marked paid
(`deliveries.paid_at`) in the same transaction that marks it `sending`, before its
HTTP call, and that transaction counts the day's paid rows and takes back what is
over the cap. So sends in flight are counted, a restart counts what the day already
paid, and on PostgreSQL an advisory transaction lock makes two processes count one
after the other (on SQLite the first UPDATE takes the database's write lock). A paid
attempt counts whatever its outcome, so Stars spent never exceed the cap; a send
that Telegram refused (429) and that goes again unpaid still counts (one row once).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy import text as sql_text  # not `text(...)`: that name is the texts lookup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Delivery
from scheduler.claims import Claim, Outcome
from scheduler.limiter import WINDOW, SendPacer
from scheduler.sender import Sender, Turn

log = logging.getLogger(__name__)
# Telegram allows 1000/s with allow_paid_broadcast; the free sender's ≤ 30/s may go in
# the same second, and a request's way there can bunch starts: 900 stays under 1000.
PAID_RATE = 900.0
# How close to the grace a claim's lateness comes before it is paid: above the time a
# claim group waits in the queue and is claimed (a few seconds), small against the grace.
PAID_MARGIN = timedelta(seconds=15)
LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"spasmbot paid broadcast").digest()[:8], "big", signed=True
)


def paid_from(grace: timedelta) -> timedelta:
    """The lateness from which a claim is paid: PAID_MARGIN before the grace (at most
    half the grace before it, for a very short grace)."""
    return grace - min(PAID_MARGIN, grace / 2)


def day_start(moment: datetime) -> datetime:
    """Midnight UTC of `moment`'s day: the cap's day."""
    return datetime.combine(moment.astimezone(UTC).date(), time(0), tzinfo=UTC)


@dataclass
class PaidBroadcast:
    """Decides which claims go paid, marks them within the day's cap, sends them with
    their own pacer, and counts them (`sent`, `capped`) for metrics."""

    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    grace: timedelta
    cap: int  # PAID_BROADCAST_MAX_PER_DAY
    pacer: SendPacer = field(default_factory=lambda: SendPacer(PAID_RATE, window=WINDOW))
    sent: int = 0  # paid sends Telegram accepted (billed), by this process
    capped: int = 0  # sends at risk that the day's cap left to the free rate
    _spent: date | None = field(default=None, init=False)  # the cap was reached this day

    def at_risk(self, claim: Claim, now: datetime) -> bool:
        return now - claim.due >= paid_from(self.grace)

    async def take(self, claims: Sequence[Claim]) -> set[int]:
        """Of `claims` (about to be marked `sending`), those at risk: marked `sending`
        and paid here, as many as today's cap leaves. The others are for the ledger."""
        now = self.clock()
        risky = [c.delivery_id for c in claims if self.at_risk(c, now)]
        if not risky:
            return set()
        if self._spent == now.astimezone(UTC).date():
            self.capped += len(risky)
            return set()
        async with self.sessionmaker.begin() as session:
            if session.bind.dialect.name == "postgresql":
                await session.execute(
                    sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
                )
            marked = set(
                await session.scalars(
                    update(Delivery)
                    .where(Delivery.id.in_(risky), Delivery.status == "claimed")
                    .values(status="sending", attempted_at=now, paid_at=now)
                    .returning(Delivery.id)
                )
            )
            used = await session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.paid_at >= day_start(now))
            )
            back = [i for i in reversed(risky) if i in marked][: max(0, (used or 0) - self.cap)]
            if back:  # over the cap: the latest due go free
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(back))
                    .values(status="claimed", attempted_at=None, paid_at=None)
                )
        if (used or 0) >= self.cap:
            self._spent = now.astimezone(UTC).date()
            log.warning("scheduler: the paid broadcast cap (%d a day) is reached", self.cap)
        self.capped += len(back)
        return marked - set(back)

    async def send(self, sender: Sender, claim: Claim, turn: Turn) -> Outcome:
        """One paid send: `turn` is the dispatcher's, waiting on this pacer."""
        outcome = await sender.send(claim, turn, paid=True)
        if outcome.status == "sent":
            self.sent += 1
        return outcome


def paid_broadcast_for(
    allowed: bool,
    cap: int,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    grace: timedelta,
) -> PaidBroadcast | None:
    """ALLOW_PAID_BROADCAST and PAID_BROADCAST_MAX_PER_DAY as the dispatcher's
    `paid` (None: never paid, the default)."""
    if not allowed or cap <= 0:
        return None
    return PaidBroadcast(sessionmaker, clock, grace, cap)
