"""Claiming due tips in the database, and recording what became of them.

"At most one tip per user per local day" rests on the unique key of `deliveries`
(user, kind, local date): a claim is an INSERT of that row, and a second INSERT for
the same day does nothing. The claim transaction also moves `next_tip_at` on, and
commits before anything is sent — no transaction is held open across a Telegram
call. On PostgreSQL the due rows are locked `FOR UPDATE SKIP LOCKED`, so two bot
processes split the due users instead of racing for them. SQLite runs one bot
process; the unique key still holds there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, Tip
from bot.db.models import Delivery, Preferences, TipSent, User
from bot.services.preferences import settings_of
from bot.services.tips import count_send, tip_history
from scheduler.rotation import choose_tip
from scheduler.schedule import local_date_of
from scheduler.tip_settings import next_tip_at

TIP = "tip"
INTERRUPTED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    """One tip (or the one-time "no tips left" notice when `tip` is None) to send."""

    delivery_id: int
    user_id: int
    chat_id: int
    language: str
    silent: bool
    tip: Tip | None


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    status: str  # sent, failed, unknown
    detail: str | None = None
    user_gone: bool = False


@dataclass
class ClaimBatch:
    claims: list[Claim] = field(default_factory=list)
    missed: int = 0
    skipped: int = 0
    already_had_one: int = 0

    @property
    def examined(self) -> int:
        return len(self.claims) + self.missed + self.skipped + self.already_had_one


async def claim_due_tips(
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
) -> ClaimBatch:
    """Claim up to `limit` due users; tips more than `grace` late are recorded as missed."""
    async with sessionmaker.begin() as session:
        query = (
            select(Preferences, User)
            .join(User, User.telegram_id == Preferences.user_id)
            .where(Preferences.tips_enabled, User.is_active, Preferences.next_tip_at <= now)
            .order_by(Preferences.next_tip_at)
            .limit(limit)
        )
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(of=Preferences, skip_locked=True)
        rows = (await session.execute(query)).tuples().all()
        disliked, sent = await tip_history(session, [user.telegram_id for _, user in rows])
        plans = [
            _plan(
                content, prefs, user, now, grace, disliked[user.telegram_id], sent[user.telegram_id]
            )
            for prefs, user in rows
        ]
        inserted = await _insert_deliveries(session, plans, now)
        batch = ClaimBatch()
        for plan in plans:
            delivery_id = inserted.get(plan.user.telegram_id)
            if delivery_id is None:
                batch.already_had_one += 1
            elif plan.status == "missed":
                batch.missed += 1
            elif plan.status == "skipped":
                batch.skipped += 1
            else:
                if plan.tip is not None:
                    count_send(
                        session, sent[plan.user.telegram_id], plan.user.telegram_id, plan.tip.id
                    )
                batch.claims.append(
                    Claim(
                        delivery_id,
                        plan.user.telegram_id,
                        plan.user.chat_id,
                        plan.user.language,
                        plan.silent,
                        plan.tip,
                    )
                )
    return batch


@dataclass(frozen=True)
class _Plan:
    user: User
    due: datetime
    status: str  # claimed, missed, skipped
    tip: Tip | None
    silent: bool


def _plan(
    content: Content,
    prefs: Preferences,
    user: User,
    now: datetime,
    grace: timedelta,
    disliked: set[str],
    sent: dict[str, TipSent],
) -> _Plan:
    """Decide about one due user, and move their next_tip_at on whatever happens."""
    settings = settings_of(user, prefs)
    due = prefs.next_tip_at
    assert due is not None
    prefs.next_tip_at = next_tip_at(settings, max(now, due))
    if now - due > grace:
        return _Plan(user, due, "missed", None, settings.silent)
    times = {tip_id: row.times for tip_id, row in sent.items()}
    tip = choose_tip(content.tips.values(), settings.tags_off, disliked, times, user.telegram_id)
    quiet = tip is None and prefs.told_no_tips
    return _Plan(user, due, "skipped" if quiet else "claimed", tip, settings.silent)


async def _insert_deliveries(
    session: AsyncSession, plans: Sequence[_Plan], now: datetime
) -> dict[int, int]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING for the batch: {user id: delivery id}.
    A user missing from the result already has a delivery for that local day."""
    if not plans:
        return {}
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    rows = [
        {
            "user_id": p.user.telegram_id,
            "kind": TIP,
            "local_date": local_date_of(p.due, p.user.timezone),
            "due_at": p.due,
            "status": p.status,
            "item": p.tip.id if p.tip else None,
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


async def record_outcomes(
    sessionmaker: async_sessionmaker[AsyncSession], outcomes: Sequence[Outcome], now: datetime
) -> None:
    """Write each delivery's result; users Telegram says are gone become inactive."""
    by_result: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for outcome in outcomes:
        by_result[(outcome.status, outcome.detail)].append(outcome.claim.delivery_id)
    gone = [o.claim.user_id for o in outcomes if o.user_gone]
    told = [o.claim.user_id for o in outcomes if o.status == "sent" and o.claim.tip is None]
    async with sessionmaker.begin() as session:
        for (status, detail), ids in by_result.items():
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(status=status, detail=detail, finished_at=now)
            )
        if gone:
            await session.execute(
                update(User).where(User.telegram_id.in_(gone)).values(is_active=False)
            )
        if told:
            await session.execute(
                update(Preferences).where(Preferences.user_id.in_(told)).values(told_no_tips=True)
            )


async def mark_interrupted(sessionmaker: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """Claims older than INTERRUPTED_AFTER with no outcome: a crash hit between claim and
    send. They may or may not have been sent, so they become `unknown` and are not resent."""
    async with sessionmaker.begin() as session:
        result = await session.execute(
            update(Delivery)
            .where(Delivery.status == "claimed", Delivery.claimed_at < now - INTERRUPTED_AFTER)
            .values(status="unknown", detail="interrupted between claim and send", finished_at=now)
            .returning(Delivery.id)
        )
        return len(result.all())
