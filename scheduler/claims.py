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
    batch = ClaimBatch()
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
        for prefs, user in rows:
            await _claim_one(
                session,
                content,
                prefs,
                user,
                now,
                grace,
                batch,
                disliked[user.telegram_id],
                sent[user.telegram_id],
            )
    return batch


async def _claim_one(
    session: AsyncSession,
    content: Content,
    prefs: Preferences,
    user: User,
    now: datetime,
    grace: timedelta,
    batch: ClaimBatch,
    disliked: set[str],
    sent: dict[str, TipSent],
) -> None:
    settings = settings_of(user, prefs)
    due = prefs.next_tip_at
    assert due is not None
    prefs.next_tip_at = next_tip_at(settings, max(now, due))
    late = now - due > grace
    times = {tip_id: row.times for tip_id, row in sent.items()}
    tip = (
        None
        if late
        else choose_tip(content.tips.values(), settings.tags_off, disliked, times, user.telegram_id)
    )
    quiet = tip is None and prefs.told_no_tips
    status = "missed" if late else "skipped" if quiet else "claimed"
    delivery_id = await _insert_delivery(
        session,
        user.telegram_id,
        local_date_of(due, user.timezone),
        due,
        status,
        tip.id if tip else None,
        now,
    )
    if delivery_id is None:
        batch.already_had_one += 1
    elif late:
        batch.missed += 1
    elif quiet:
        batch.skipped += 1
    else:
        if tip is not None:
            count_send(session, sent, user.telegram_id, tip.id)
        batch.claims.append(
            Claim(delivery_id, user.telegram_id, user.chat_id, user.language, settings.silent, tip)
        )


async def _insert_delivery(
    session: AsyncSession,
    user_id: int,
    local_day: object,
    due: datetime,
    status: str,
    item: str | None,
    now: datetime,
) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: None when that day already has one."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Delivery)
        .values(
            user_id=user_id,
            kind=TIP,
            local_date=local_day,
            due_at=due,
            status=status,
            item=item,
            claimed_at=now,
            finished_at=None if status == "claimed" else now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "local_date"])
        .returning(Delivery.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def record_outcomes(
    sessionmaker: async_sessionmaker[AsyncSession], outcomes: Sequence[Outcome], now: datetime
) -> None:
    """Write each delivery's result; users Telegram says are gone become inactive."""
    async with sessionmaker.begin() as session:
        for outcome in outcomes:
            await session.execute(
                update(Delivery)
                .where(Delivery.id == outcome.claim.delivery_id)
                .values(status=outcome.status, detail=outcome.detail, finished_at=now)
            )
            if outcome.user_gone:
                await session.execute(
                    update(User)
                    .where(User.telegram_id == outcome.claim.user_id)
                    .values(is_active=False)
                )
            if outcome.status == "sent" and outcome.claim.tip is None:
                await session.execute(
                    update(Preferences)
                    .where(Preferences.user_id == outcome.claim.user_id)
                    .values(told_no_tips=True)
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
