"""Claims an interrupted run never attempted (still `claimed`): sent now, or closed.

The delivery row already holds the day's one slot (the unique key), so sending it
now can never make a second message that day. Each kind decides again (`Resumer`):
past the grace it is `missed`; answered in the meantime, no consent, a tip gone from
the content, or a user who blocked the bot meanwhile, `skipped`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Delivery, Preferences, User
from bot.domain.kinds import kind_of
from scheduler.claims import Claim, ScheduledKind


@dataclass
class Resumed:
    claims: list[Claim] = field(default_factory=list)
    missed: int = 0
    skipped: int = 0


async def resume_claims(
    sessionmaker: async_sessionmaker[AsyncSession],
    kinds: Sequence[ScheduledKind],
    rows: Sequence[Delivery],
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Resumed:
    """Claims to send for `rows` (claimed deliveries), in due order; the others closed."""
    by_name = {kind.name: kind for kind in kinds}
    resumed = Resumed()
    if not rows:
        return resumed
    closed: dict[int, tuple[str, str | None]] = {}
    async with sessionmaker.begin() as session:
        for row in rows:
            user = await session.get(User, row.user_id)
            prefs = await session.get(Preferences, row.user_id)
            kind = by_name.get(kind_of(row.kind)[0])  # "broadcast:17" is a broadcast
            if prefs is None and kind is not None and not kind.needs_preferences:
                prefs = Preferences(user_id=row.user_id)  # not stored: the kind reads none
            if user is None or prefs is None or kind is None or not user.is_active:
                closed[row.id] = ("skipped", "no longer sent to")
                continue
            plan = await kind.resume(session, row, user, prefs, content, now, grace)
            if plan.status != "claimed" or plan.screen is None:
                closed[row.id] = (plan.status, plan.item)
                continue
            resumed.claims.append(
                Claim(
                    row.id,
                    user.telegram_id,
                    user.chat_id,
                    row.kind,
                    row.due_at,
                    plan.screen,
                    plan.silent,
                    plan.tells_no_tips,
                )
            )
        for delivery_id, (status, item) in closed.items():
            await session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == "claimed")
                .values(status=status, finished_at=now, detail=_detail(status, item))
            )
    resumed.missed = sum(1 for status, _ in closed.values() if status == "missed")
    resumed.skipped = len(closed) - resumed.missed
    return resumed


def _detail(status: str, item: str | None) -> str:
    reason = f": {item}" if item else ""
    return f"interrupted before sending; now {status}{reason}"[:200]
