"""Claiming due messages in the database, and recording what became of them.

"At most one per user, kind and local day" rests on the unique key of `deliveries`
(user, kind, local date): a claim is an INSERT of that row, and a second INSERT for
the same day does nothing. The claim transaction also moves the user's next due time
on, and commits before anything is sent — no transaction is held open across a
Telegram call. On PostgreSQL the due rows are locked `FOR UPDATE SKIP LOCKED`, so two
bot processes split the due users instead of racing for them. SQLite runs one bot
process; the unique key still holds there.

Each kind of message (tips: `tip_claims.py`; check-ins: `checkin_claims.py`) decides
per due user what to send (a `Plan`); this module does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.content import Content
from bot.db.models import Delivery, Preferences, User
from bot.domain.schedule import local_date_of
from bot.screens import Screen


@dataclass(frozen=True)
class Claim:
    """One message to send, already rendered."""

    delivery_id: int
    user_id: int
    chat_id: int
    kind: str
    due: datetime  # claims are sent in due-time order, whatever their kind
    screen: Screen
    silent: bool = False
    tells_no_tips: bool = False  # the one-time "no tips left" notice


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    status: str  # sent, failed, unknown; or claimed: Telegram said "retry after `wait` s"
    detail: str | None = None
    user_gone: bool = False
    wait: float = 0.0


@dataclass(frozen=True)
class Plan:
    """What to do for one due user: claim (with a screen), or record missed/skipped."""

    user: User
    due: datetime
    status: str  # claimed, missed, skipped
    screen: Screen | None = None
    item: str | None = None
    silent: bool = False
    tells_no_tips: bool = False


@dataclass
class ClaimBatch:
    claims: list[Claim] = field(default_factory=list)
    missed: int = 0
    skipped: int = 0
    already_had_one: int = 0

    @property
    def examined(self) -> int:
        return len(self.claims) + self.missed + self.skipped + self.already_had_one


# A claimer gets the kind, the database, the content, now, the grace, a batch limit and
# `until`: the latest due time it may claim (later than now only for a kind that may
# be sent early, i.e. tips during a peak; the others get now).
Claimer = Callable[
    [
        "ScheduledKind",
        async_sessionmaker[AsyncSession],
        Content,
        datetime,
        timedelta,
        int,
        datetime,
    ],
    Coroutine[Any, Any, "ClaimBatch"],
]
# Decides again about a claim an interrupted run never attempted: a Plan to send it
# (status claimed, with its screen) or to close it (missed, skipped). Gets the session,
# the delivery row, its user and preferences, the content, now and the grace.
Resumer = Callable[
    [AsyncSession, Delivery, User, Preferences, Content, datetime, timedelta],
    Coroutine[Any, Any, "Plan"],
]


@dataclass(frozen=True)
class ScheduledKind:
    """One kind of scheduled message: its delivery kind, the column that says when it is
    next due, the switch that turns it on, how to claim who is due (a `Claimer` gets
    the kind, the database, the content, now, the grace, a batch limit and the latest
    due time to claim), how to send a claim that a crash left unattempted (`Resumer`),
    and whether it may go out early in a peak (`early`: tips only; TIP_SPREAD_MINUTES)."""

    name: str
    due: InstrumentedAttribute[datetime | None]
    enabled: InstrumentedAttribute[bool]
    claim: Claimer
    resume: Resumer
    # the user id column of the due column's table (kinds due in another table than
    # `preferences`, such as appointments)
    user_id: InstrumentedAttribute[int] = field(default_factory=lambda: Preferences.user_id)
    needs_preferences: bool = True  # False: due in a table of its own, settings row or not
    early: bool = False


async def due_rows(
    session: AsyncSession, kind: ScheduledKind, now: datetime, limit: int
) -> list[tuple[Preferences, User]]:
    """Up to `limit` (preferences, user) for whom `kind` is due at or before `now` (for
    tips during a peak: the planner's horizon), earliest first."""
    query = (
        select(Preferences, User)
        .join(User, User.telegram_id == Preferences.user_id)
        .where(kind.enabled, User.is_active, kind.due <= now)
        .order_by(kind.due)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=Preferences, skip_locked=True)
    return list((await session.execute(query)).tuples().all())


_MEMBER = aliased(User, name="member")  # one alias: SQLAlchemy caches the compiled query


def due_times_query(
    kind: ScheduledKind, now: datetime, limit: int
) -> Select[tuple[datetime | None]]:
    """When the next `limit` due users of `kind` fell due. EXISTS, not a join: the
    database walks the due column's index in order and stops at `limit` (with a join,
    SQLite read every user when the kind's own table was empty)."""
    member = _MEMBER
    if kind.enabled.class_ is User:  # the switch is on users (is_active, broadcasts_enabled)
        on_own_table = []
        switch = [] if kind.enabled.key == "is_active" else [getattr(member, kind.enabled.key)]
    else:
        switch, on_own_table = [], [kind.enabled]
    active = select(member.telegram_id).where(
        member.telegram_id == kind.user_id, member.is_active, *switch
    )
    return (
        select(kind.due)
        .where(*on_own_table, kind.due <= now, active.exists())
        .order_by(kind.due)
        .limit(limit)
    )


async def due_times(
    session: AsyncSession, kinds: Sequence[tuple[ScheduledKind, datetime]], limit: int
) -> list[tuple[datetime, int]]:
    """(due time, position in `kinds`) of the next `limit` due of each kind (each due by
    its moment), in one round trip (no locks: only to share the claims out)."""
    parts = []
    for position, (kind, until) in enumerate(kinds):
        times = due_times_query(kind, until, limit).subquery()
        parts.append(select(times.c[0], literal(position)))
    if not parts:
        return []
    rows = await session.execute(union_all(*parts))
    return [(due, int(position)) for due, position in rows if due is not None]


async def claim_plans(
    session: AsyncSession, kind: str, plans: Sequence[Plan], now: datetime
) -> tuple[ClaimBatch, set[int]]:
    """Insert a delivery per plan; returns the batch and the users actually claimed."""
    inserted = await _insert_deliveries(session, kind, plans, now)
    batch, claimed = ClaimBatch(), set()
    for plan in plans:
        delivery_id = inserted.get(plan.user.telegram_id)
        if delivery_id is None:
            batch.already_had_one += 1
        elif plan.status == "missed":
            batch.missed += 1
        elif plan.status == "skipped":
            batch.skipped += 1
        else:
            assert plan.screen is not None
            claimed.add(plan.user.telegram_id)
            batch.claims.append(
                Claim(
                    delivery_id,
                    plan.user.telegram_id,
                    plan.user.chat_id,
                    kind,
                    plan.due,
                    plan.screen,
                    plan.silent,
                    plan.tells_no_tips,
                )
            )
    return batch, claimed


async def _insert_deliveries(
    session: AsyncSession, kind: str, plans: Sequence[Plan], now: datetime
) -> dict[int, int]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING for the batch: {user id: delivery id}.
    A user missing from the result already has a delivery of this kind that local day."""
    if not plans:
        return {}
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    rows = [
        {
            "user_id": p.user.telegram_id,
            "kind": kind,
            "local_date": local_date_of(p.due, p.user.timezone),
            "due_at": p.due,
            "status": p.status,
            "item": p.item,
            "claimed_at": now,
            "finished_at": None if p.status == "claimed" else now,
        }
        for p in plans
    ]
    # executemany with RETURNING: SQLAlchemy batches it ("insertmanyvalues") with one
    # cached statement, instead of compiling a new 500-row VALUES clause per batch.
    statement = (
        dialect.insert(Delivery)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "local_date"])
        .returning(Delivery.user_id, Delivery.id)
    )
    result = await session.execute(statement, rows)
    return {user_id: delivery_id for user_id, delivery_id in result}
