"""Counts for the operator's /stats: how many, never who or what anyone answered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin, Consent, Delivery, User
from bot.domain.kinds import kind_of
from bot.services import hourly_counts


@dataclass(frozen=True)
class ServiceStats:
    users: int
    active: int  # the bot can reach them
    consents: int  # agreed to store check-ins (any version of the privacy text)
    consents_current: int  # ... to the text shown today
    checkins_since_today: int  # check-ins written since the start of today
    # (kind, status) -> count, for deliveries due since the start of today / of 7 days ago
    today: Counter[tuple[str, str]]
    week: Counter[tuple[str, str]]
    # consents given and withdrawn, Telegram's 429s (`hourly_counts`), today / in 7 days
    events_today: Counter[str]
    events_week: Counter[str]


async def deliveries_by_kind(
    session: AsyncSession, condition: ColumnElement[bool]
) -> Counter[tuple[str, str]]:
    """(kind, status) → how many deliveries meet `condition`; each broadcast's
    "broadcast:17" counts as "broadcast", so no count (or metrics label) names an id."""
    rows = await session.execute(
        select(Delivery.kind, Delivery.status, func.count())
        .where(condition)
        .group_by(Delivery.kind, Delivery.status)
    )
    found: Counter[tuple[str, str]] = Counter()
    for kind, status, count in rows:
        found[(kind_of(kind)[0], status)] += int(count)
    return found


async def service_stats(
    sessionmaker: async_sessionmaker[AsyncSession],
    today_start: datetime,
    week_start: datetime,
    privacy_version: str,
) -> ServiceStats:
    async with sessionmaker() as session:
        users = int(await session.scalar(select(func.count()).select_from(User)) or 0)
        active = int(await session.scalar(select(func.count()).where(User.is_active)) or 0)
        consents = int(await session.scalar(select(func.count()).select_from(Consent)) or 0)
        current = await session.scalar(
            select(func.count()).where(Consent.text_version == privacy_version)
        )
        checkins = await session.scalar(
            select(func.count()).where(Checkin.updated_at >= today_start)
        )
        return ServiceStats(
            users=users,
            active=active,
            consents=consents,
            consents_current=int(current or 0),
            checkins_since_today=int(checkins or 0),
            today=await deliveries_by_kind(session, Delivery.due_at >= today_start),
            week=await deliveries_by_kind(session, Delivery.due_at >= week_start),
            events_today=await hourly_counts.since(session, today_start),
            events_week=await hourly_counts.since(session, week_start),
        )
