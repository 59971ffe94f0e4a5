"""The operator's /broadcast: drafts, the recipients of a confirmed one, its counts, and
each user's "no messages from the administrator" switch.

A broadcast is sent by the scheduler (`scheduler/broadcast_claims.py`), with every
guarantee of the other kinds. Confirming it writes one `broadcast_recipients` row per
person who is active and has not opted out, due one after another at the send rate
(TIP_RATE_PER_SECOND): so in the scheduler's one due-time order a broadcast to many
people takes turns with the tips and check-ins that fall due meanwhile, instead of
holding them all back until it is through, and the peak planner sees its load.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OPEN_DELIVERIES, Broadcast, BroadcastRecipient, Delivery, User
from bot.domain.kinds import BROADCAST, delivery_kind

MAX_CHARS = 1500  # per language: both fit in one preview (Telegram: 4096 characters)
DRAFT, QUEUED, DONE, CANCELLED = "draft", "queued", "done", "cancelled"


@dataclass(frozen=True)
class BroadcastView:
    id: int
    state: str
    text_nl: str  # HTML-escaped
    text_en: str | None
    recipients: int | None


@dataclass(frozen=True)
class Audience:
    """Who a broadcast confirmed now would reach, and who not."""

    recipients: int  # active, and not opted out
    opted_out: int  # active, but chose "Geen berichten van de beheerder meer"
    unreachable: int  # blocked the bot or left Telegram


@dataclass(frozen=True)
class Counts:
    """What became of a broadcast so far (from its delivery rows and what is left)."""

    recipients: int
    sent: int
    failed: int
    blocked: int  # of the failed: the user blocked the bot or left Telegram
    skipped: int  # opted out or unreachable before their turn
    missed: int  # more than a day late (the bot was down)
    unknown: int  # timed out: may have arrived
    waiting: int  # not sent yet


def length(typed: str) -> int:
    """Characters as Telegram counts them (UTF-16 code units: most emoji count two)."""
    return len(typed.encode("utf-16-le")) // 2


def escaped(typed: str) -> str:
    """The admin's text as Telegram HTML: shown exactly as typed (`<` is not a tag)."""
    return html.escape(typed.strip(), quote=False)


ELIGIBLE = (User.is_active, User.broadcasts_enabled)


def _view(row: Broadcast) -> BroadcastView:
    return BroadcastView(row.id, row.state, row.text_nl, row.text_en, row.recipients)


async def start_draft(
    sessionmaker: async_sessionmaker[AsyncSession], admin_id: int, text_nl: str, now: datetime
) -> int:
    """A new draft with the Dutch text; the admin's unconfirmed drafts go."""
    async with sessionmaker.begin() as session:
        await session.execute(
            delete(Broadcast).where(Broadcast.created_by == admin_id, Broadcast.state == DRAFT)
        )
        row = Broadcast(text_nl=text_nl, created_by=admin_id, created_at=now, state=DRAFT)
        session.add(row)
        await session.flush()
        return row.id


async def add_english(
    sessionmaker: async_sessionmaker[AsyncSession], admin_id: int, text_en: str
) -> BroadcastView | None:
    """The English text on the admin's draft that has none yet (None: no such draft)."""
    async with sessionmaker.begin() as session:
        row = await session.scalar(
            select(Broadcast)
            .where(
                Broadcast.created_by == admin_id,
                Broadcast.state == DRAFT,
                Broadcast.text_en.is_(None),
            )
            .order_by(Broadcast.id.desc())
            .limit(1)
        )
        if row is None:
            return None
        row.text_en = text_en
        return _view(row)


async def audience(sessionmaker: async_sessionmaker[AsyncSession]) -> Audience:
    """How many people a broadcast confirmed now would go to (and would not)."""
    async with sessionmaker() as session:
        rows = await session.execute(
            select(User.is_active, User.broadcasts_enabled, func.count()).group_by(
                User.is_active, User.broadcasts_enabled
            )
        )
        found = {(bool(active), bool(wanted)): int(count) for active, wanted, count in rows}
    return Audience(
        recipients=found.get((True, True), 0),
        opted_out=found.get((True, False), 0),
        unreachable=found.get((False, True), 0) + found.get((False, False), 0),
    )


async def broadcast_of(
    sessionmaker: async_sessionmaker[AsyncSession], broadcast_id: int
) -> BroadcastView | None:
    async with sessionmaker() as session:
        row = await session.get(Broadcast, broadcast_id)
        return None if row is None else _view(row)


async def confirm(
    sessionmaker: async_sessionmaker[AsyncSession],
    broadcast_id: int,
    now: datetime,
    rate: float | None,
) -> tuple[BroadcastView | None, bool]:
    """Queue a complete draft for everyone eligible now, due one after another at `rate`
    (per second; None: all at once). Returns the broadcast and whether this call queued
    it: a second tap, or one on a cancelled broadcast, changes nothing."""
    async with sessionmaker.begin() as session:
        taken = await session.scalar(
            update(Broadcast)
            .where(
                Broadcast.id == broadcast_id,
                Broadcast.state == DRAFT,
                Broadcast.text_en.is_not(None),
            )
            .values(state=QUEUED, confirmed_at=now)
            .returning(Broadcast.id)
        )
        if taken is None:
            row = await session.get(Broadcast, broadcast_id)
            return (None if row is None else _view(row)), False
        ids = list(
            await session.scalars(
                select(User.telegram_id).where(*ELIGIBLE).order_by(User.telegram_id)
            )
        )
        spacing = 1 / rate if rate else 0.0
        due = [now + timedelta(seconds=position * spacing) for position in range(len(ids))]
        if ids:
            await session.execute(
                insert(BroadcastRecipient),
                [
                    {"broadcast_id": broadcast_id, "user_id": user_id, "due_at": at}
                    for user_id, at in zip(ids, due, strict=True)
                ],
            )
        row = await session.get(Broadcast, broadcast_id)
        assert row is not None
        row.recipients, row.report_at = len(ids), due[-1] if due else now
        return _view(row), True


async def cancel(
    sessionmaker: async_sessionmaker[AsyncSession], broadcast_id: int
) -> BroadcastView | None:
    """A draft becomes cancelled; anything else stays as it is."""
    async with sessionmaker.begin() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is not None and row.state == DRAFT:
            row.state = CANCELLED
        return None if row is None else _view(row)


async def counts(session: AsyncSession, broadcast_id: int, recipients: int) -> Counts:
    """Sent, failed (and blocked), skipped, missed, unknown and still waiting."""
    kind = delivery_kind(BROADCAST, broadcast_id)
    statuses: Counter[str] = Counter(
        {
            status: int(count)
            for status, count in await session.execute(
                select(Delivery.status, func.count())
                .where(Delivery.kind == kind)
                .group_by(Delivery.status)
            )
        }
    )
    blocked = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .join(User, User.telegram_id == Delivery.user_id)
        .where(Delivery.kind == kind, Delivery.status == "failed", ~User.is_active)
    )
    left = int(
        await session.scalar(
            select(func.count()).where(BroadcastRecipient.broadcast_id == broadcast_id)
        )
        or 0
    )
    # Recipients with neither a row left nor a delivery: never tried (the report's claim
    # removed them: unreachable or opted out by their turn), or they deleted their data.
    untried = max(0, recipients - left - sum(statuses.values()))
    return Counts(
        recipients=recipients,
        sent=statuses["sent"],
        failed=statuses["failed"],
        blocked=int(blocked or 0),
        skipped=statuses["skipped"] + untried,
        missed=statuses["missed"],
        unknown=statuses["unknown"],
        waiting=left + statuses["claimed"] + statuses["sending"],
    )


async def progress(
    sessionmaker: async_sessionmaker[AsyncSession], broadcast_id: int
) -> tuple[BroadcastView, Counts] | None:
    async with sessionmaker() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            return None
        return _view(row), await counts(session, broadcast_id, row.recipients or 0)


async def still_sending(session: AsyncSession, broadcast_id: int) -> bool:
    """Someone eligible is still to be claimed, or a claim is not finished."""
    waiting = await session.scalar(
        select(BroadcastRecipient.user_id)
        .join(User, User.telegram_id == BroadcastRecipient.user_id)
        .where(BroadcastRecipient.broadcast_id == broadcast_id, *ELIGIBLE)
        .limit(1)
    )
    if waiting is not None:
        return True
    open_claim = await session.scalar(
        select(Delivery.id)
        .where(text(OPEN_DELIVERIES), Delivery.kind == delivery_kind(BROADCAST, broadcast_id))
        .limit(1)
    )
    return open_claim is not None


async def drop_leftovers(session: AsyncSession, broadcast_id: int) -> None:
    """The rows nobody will claim (their users became unreachable or opted out); the
    counts take them as skipped."""
    await session.execute(
        delete(BroadcastRecipient).where(BroadcastRecipient.broadcast_id == broadcast_id)
    )


async def set_wanted(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, wanted: bool
) -> bool:
    """The user's switch for the operator's messages; False for someone not stored."""
    async with sessionmaker.begin() as session:
        user = await session.get(User, user_id)
        if user is None:
            return False
        user.broadcasts_enabled = wanted
        return True
