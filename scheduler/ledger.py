"""What the sender writes on the delivery rows, in small groups, while it sends.

A claimed delivery becomes `sending` just before its HTTP call — a few at a time, in
one UPDATE, and only for rows still `claimed` (so two processes never both send one).
Outcomes (`sent`, `failed`, `unknown`) are written a few at a time as they come in; a
429 puts a row back to `claimed` until it is tried again. So a crash leaves at most the
messages in flight as `sending`; rows still `claimed` were never attempted.

`open_rows` finds what an earlier run (a crash, a cancelled tick, a dead peer) left
open: `claimed` rows are sent again, `sending` rows become `unknown`. Its query names
`OPEN_DELIVERIES` literally, so SQLite and PostgreSQL use the partial index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OPEN_DELIVERIES, Delivery, Preferences, User
from scheduler.claims import Claim, Outcome

RESUME_AFTER = timedelta(minutes=2)  # a claim this old is nobody's any more
INTERRUPTED_AFTER = timedelta(minutes=10)  # no live send stays `sending` this long
RETRY = "claimed"  # an Outcome with this status: Telegram said "not now" (429)


def open_rows_query(cutoff: datetime) -> Select[tuple[int, str, datetime | None]]:
    """The per-tick query for rows left open; it reads only the partial index."""
    return select(Delivery.id, Delivery.status, Delivery.attempted_at).where(
        text(OPEN_DELIVERIES), Delivery.claimed_at < cutoff
    )


@dataclass(frozen=True)
class OpenRows:
    """Rows an earlier run left open: claimed ones to send now, and how many were in flight."""

    claimed: list[Delivery]
    interrupted: int


@dataclass
class Ledger:
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]

    async def start(self, claims: Sequence[Claim]) -> set[int]:
        """claimed → sending for these claims; returns the delivery ids that may be sent."""
        if not claims:
            return set()
        async with self.sessionmaker.begin() as session:
            result = await session.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_([c.delivery_id for c in claims]), Delivery.status == "claimed"
                )
                .values(status="sending", attempted_at=self.clock())
                .returning(Delivery.id)
            )
            return set(result.scalars())

    async def finish(self, outcomes: Sequence[Outcome]) -> None:
        """Write each delivery's result; users Telegram says are gone become inactive."""
        if not outcomes:
            return
        now = self.clock()
        by_result: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        for outcome in outcomes:
            by_result[(outcome.status, outcome.detail)].append(outcome.claim.delivery_id)
        gone = [o.claim.user_id for o in outcomes if o.user_gone]
        told = [o.claim.user_id for o in outcomes if o.status == "sent" and o.claim.tells_no_tips]
        async with self.sessionmaker.begin() as session:
            for (status, detail), ids in by_result.items():
                again = status == RETRY
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids))
                    .values(
                        status=status,
                        detail=detail,
                        attempted_at=None if again else Delivery.attempted_at,
                        finished_at=None if again else now,
                    )
                )
            if gone:
                await session.execute(
                    update(User).where(User.telegram_id.in_(gone)).values(is_active=False)
                )
            if told:
                await session.execute(
                    update(Preferences)
                    .where(Preferences.user_id.in_(told))
                    .values(told_no_tips=True)
                )

    async def release(self, claims: Sequence[Claim]) -> int:
        """Claims never attempted (a stop) stay `claimed`, or go back to it from `sending`
        when their HTTP call never began: the next run sends them first (`open_rows`
        takes over rows claimed before its start). Returns how many there were."""
        ids = [c.delivery_id for c in claims]
        if ids:
            async with self.sessionmaker.begin() as session:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids), Delivery.status == "sending")
                    .values(status="claimed", attempted_at=None)
                )
        return len(ids)

    async def open_rows(self, started: datetime) -> OpenRows:
        """Rows left open by a run that is over: claimed before this process's first tick
        (`started`) or longer ago than RESUME_AFTER. `sending` ones may have gone out and
        become `unknown`; `claimed` ones were never attempted and are taken over (their
        claim time renewed, so no other process takes them too)."""
        now = self.clock()
        cutoff = max(started, now - RESUME_AFTER)
        in_flight_cutoff = max(started, now - INTERRUPTED_AFTER)
        async with self.sessionmaker.begin() as session:
            rows = (await session.execute(open_rows_query(cutoff))).all()
            claimed = [r.id for r in rows if r.status == "claimed"]
            sending = [
                r.id
                for r in rows
                if r.status == "sending" and (r.attempted_at or now) < in_flight_cutoff
            ]
            interrupted = 0
            if sending:
                result = await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(sending), Delivery.status == "sending")
                    .values(status="unknown", detail="interrupted while sending", finished_at=now)
                    .returning(Delivery.id)
                )
                interrupted = len(result.all())
            taken: list[Delivery] = []
            if claimed:
                ids = await session.scalars(
                    update(Delivery)
                    .where(Delivery.id.in_(claimed), Delivery.status == "claimed")
                    .values(claimed_at=now)
                    .returning(Delivery.id)
                )
                taken = list(
                    await session.scalars(
                        select(Delivery).where(Delivery.id.in_(list(ids))).order_by(Delivery.due_at)
                    )
                )
            return OpenRows(taken, interrupted)
