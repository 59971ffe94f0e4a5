"""Daily tips: who gets which tip (rotation), or the one-time "no tips left" notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, Tip
from bot.db.models import Delivery, Preferences, TipSent, User
from bot.domain.choices import next_tip_at
from bot.domain.kinds import TIP
from bot.domain.rotation import choose_tip
from bot.screens import Screen
from bot.screens.tips import no_tips_left, tip_message
from bot.services.preferences import choices_of
from bot.services.tips import count_send, tip_history
from scheduler.claims import ClaimBatch, Plan, ScheduledKind, claim_plans, due_rows


async def claim_due_tips(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
    until: datetime | None = None,
) -> ClaimBatch:
    """Claim up to `limit` users due by `until` (default `now`; later during a peak,
    TIP_SPREAD_MINUTES); tips more than `grace` late are recorded as missed. An early
    tip keeps its due time: its local day, and so the once-a-day key, are its own."""
    screens: dict[tuple[str | None, str], Screen] = {}  # rendered once per tip and language

    def screen(tip: Tip | None, language: str) -> Screen:
        key = (tip.id if tip else None, language)
        if key not in screens:
            texts = content.texts(language)
            screens[key] = tip_message(texts, tip) if tip else no_tips_left(texts)
        return screens[key]

    async with sessionmaker.begin() as session:
        rows = await due_rows(session, kind, until or now, limit)
        disliked, sent = await tip_history(session, [user.telegram_id for _, user in rows])
        plans = [
            _plan(
                content,
                prefs,
                user,
                now,
                grace,
                disliked[user.telegram_id],
                sent[user.telegram_id],
                screen,
            )
            for prefs, user in rows
        ]
        batch, claimed = await claim_plans(session, kind.name, plans, now)
        for plan in plans:
            if plan.user.telegram_id in claimed and plan.item is not None:
                user_id = plan.user.telegram_id
                count_send(session, sent[user_id], user_id, plan.item)
    return batch


def _plan(
    content: Content,
    prefs: Preferences,
    user: User,
    now: datetime,
    grace: timedelta,
    disliked: set[str],
    sent: dict[str, TipSent],
    screen: Callable[[Tip | None, str], Screen],
) -> Plan:
    """Decide about one due user, and move their next_tip_at on whatever happens."""
    choices = choices_of(user, prefs)
    due = prefs.next_tip_at
    assert due is not None
    prefs.next_tip_at = next_tip_at(choices, max(now, due))
    if now - due > grace:
        return Plan(user, due, "missed")
    times = {tip_id: row.times for tip_id, row in sent.items()}
    tip = choose_tip(content.tips.values(), choices.tip_tags_off, disliked, times, user.telegram_id)
    if tip is None and prefs.told_no_tips:
        return Plan(user, due, "skipped")
    return Plan(
        user,
        due,
        "claimed",
        screen(tip, user.language),
        item=tip.id if tip else None,
        silent=choices.silent,
        tells_no_tips=tip is None,
    )


async def resume_tip(
    session: AsyncSession,
    row: Delivery,
    user: User,
    prefs: Preferences,
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Plan:
    """The tip that was claimed (its id is on the row; rotation already counted it)."""
    if now - row.due_at > grace:
        return Plan(user, row.due_at, "missed")
    texts = content.texts(user.language)
    if row.item is None:
        return Plan(user, row.due_at, "claimed", no_tips_left(texts), tells_no_tips=True)
    tip = content.tips.get(row.item)
    if tip is None:
        return Plan(user, row.due_at, "skipped", item=row.item)  # gone from the content
    screen = tip_message(texts, tip)
    return Plan(user, row.due_at, "claimed", screen, item=tip.id, silent=prefs.silent)


TIPS = ScheduledKind(
    TIP, Preferences.next_tip_at, Preferences.tips_enabled, claim_due_tips, resume_tip, early=True
)
