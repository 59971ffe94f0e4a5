"""Evening check-ins: sent at the user's time unless they already checked in that day;
"Later" sends it once more an hour after the tap; after three unanswered check-ins in
a row the user is asked once whether to stop them, instead of being asked again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Checkin, Consent, Delivery, Preferences, User
from bot.domain.choices import next_checkin_at, next_morning_at
from bot.domain.consent import is_current
from bot.domain.kinds import CHECKIN, LATER, MISSES_BEFORE_ASKING, MORNING, SNOOZE
from bot.domain.schedule import local_date_of
from bot.screens.checkin import level_screen, morning_screen, pause_question
from bot.services.preferences import choices_of
from scheduler.claims import ClaimBatch, Plan, ScheduledKind, claim_plans, due_rows


async def claim_due_checkins(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
) -> ClaimBatch:
    async with sessionmaker.begin() as session:
        rows = await due_rows(session, kind, now, limit)
        plans = []
        for prefs, user in rows:
            due = prefs.next_checkin_at
            assert due is not None
            prefs.next_checkin_at = next_checkin_at(choices_of(user, prefs), max(now, due))
            day = local_date_of(due, user.timezone)
            plan = await _decide(
                session,
                content,
                user,
                due,
                day,
                now,
                grace,
                answered=await _answered(session, user.telegram_id, day),
            )
            if (
                plan is None
                and not prefs.asked_to_pause
                and await _ignored(session, user.telegram_id, day)
            ):
                prefs.asked_to_pause = True
                plan = Plan(
                    user,
                    due,
                    "claimed",
                    pause_question(content.texts(user.language)),
                    item="pause question",
                )
            plans.append(
                plan
                or Plan(
                    user,
                    due,
                    "claimed",
                    level_screen(content.texts(user.language), day, again=False, later=True),
                )
            )
        batch, _ = await claim_plans(session, kind.name, plans, now)
    return batch


async def claim_due_later(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
) -> ClaimBatch:
    """The one-hour snoozes; the unique (user, kind, day) key makes it once a day."""
    async with sessionmaker.begin() as session:
        rows = await due_rows(session, kind, now, limit)
        plans = []
        for prefs, user in rows:
            due = prefs.checkin_later_at
            assert due is not None
            prefs.checkin_later_at = None
            day = local_date_of(due - SNOOZE, user.timezone)  # the day "Later" was tapped
            plan = await _decide(
                session,
                content,
                user,
                due,
                day,
                now,
                grace,
                answered=await _answered(session, user.telegram_id, day),
            )
            plans.append(
                plan
                or Plan(
                    user,
                    due,
                    "claimed",
                    level_screen(content.texts(user.language), day, again=False),
                )
            )
        batch, _ = await claim_plans(session, kind.name, plans, now)
    return batch


async def claim_due_mornings(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
) -> ClaimBatch:
    """The optional morning question about the night, unless already answered that day."""
    async with sessionmaker.begin() as session:
        rows = await due_rows(session, kind, now, limit)
        plans = []
        for prefs, user in rows:
            due = prefs.next_morning_at
            assert due is not None
            prefs.next_morning_at = next_morning_at(choices_of(user, prefs), max(now, due))
            day = local_date_of(due, user.timezone)
            woke = await session.scalar(
                select(Checkin.night_woke).where(
                    Checkin.user_id == user.telegram_id, Checkin.local_date == day
                )
            )
            plan = await _decide(
                session, content, user, due, day, now, grace, answered=woke is not None
            )
            plans.append(
                plan
                or Plan(user, due, "claimed", morning_screen(content.texts(user.language), day))
            )
        batch, _ = await claim_plans(session, kind.name, plans, now)
    return batch


async def _decide(
    session: AsyncSession,
    content: Content,
    user: User,
    due: datetime,
    day: date,
    now: datetime,
    grace: timedelta,
    *,
    answered: bool,
) -> Plan | None:
    """The reasons not to send: too late, no current consent, already answered.
    None means: send it (the caller picks the screen)."""
    if now - due > grace:
        return Plan(user, due, "missed")
    if not await _consented(session, user.telegram_id, content):
        return Plan(user, due, "skipped", item="no consent")
    if answered:
        return Plan(user, due, "skipped", item="already answered")
    return None


async def _consented(session: AsyncSession, user_id: int, content: Content) -> bool:
    """Check-ins are only offered to people who agreed to the current privacy text."""
    consent = await session.get(Consent, user_id)
    return is_current(consent.text_version if consent else None, content.privacy_version)


async def _answered(session: AsyncSession, user_id: int, day: date) -> bool:
    found = await session.scalar(
        select(Checkin.id).where(Checkin.user_id == user_id, Checkin.local_date == day)
    )
    return found is not None


async def _ignored(session: AsyncSession, user_id: int, day: date) -> bool:
    """The last MISSES_BEFORE_ASKING check-ins sent before `day` all went unanswered."""
    sent_days = list(
        await session.scalars(
            select(Delivery.local_date)
            .where(
                Delivery.user_id == user_id,
                Delivery.kind == CHECKIN,
                Delivery.status == "sent",
                Delivery.local_date < day,
            )
            .order_by(Delivery.local_date.desc())
            .limit(MISSES_BEFORE_ASKING)
        )
    )
    if len(sent_days) < MISSES_BEFORE_ASKING:
        return False
    answered = await session.scalar(
        select(Checkin.id).where(Checkin.user_id == user_id, Checkin.local_date.in_(sent_days))
    )
    return answered is None


CHECKINS = ScheduledKind(
    CHECKIN, Preferences.next_checkin_at, Preferences.checkin_enabled, claim_due_checkins
)
LATER_CHECKINS = ScheduledKind(
    LATER, Preferences.checkin_later_at, Preferences.checkin_enabled, claim_due_later
)
MORNINGS = ScheduledKind(
    MORNING, Preferences.next_morning_at, Preferences.morning_enabled, claim_due_mornings
)
