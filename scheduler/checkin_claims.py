"""Evening check-ins: sent at the user's time unless they already checked in that day;
"Later" sends it once more an hour after the tap; after three unanswered check-ins in
a row the user is asked once whether to stop them, instead of being asked again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, Texts
from bot.db.models import Checkin, Consent, Delivery, Preferences, User
from bot.domain.choices import Choices, next_checkin_at, next_morning_at
from bot.domain.consent import is_current
from bot.domain.kinds import CHECKIN, LATER, MISSES_BEFORE_ASKING, MORNING, SNOOZE
from bot.domain.schedule import local_date_of
from bot.screens.checkin import level_screen, morning_screen, pause_question
from bot.services.checkins import CheckinView
from bot.services.preferences import choices_of
from scheduler.claims import (
    ClaimBatch,
    Claimer,
    Plan,
    Resumer,
    ScheduledKind,
    claim_plans,
    due_rows,
)


@dataclass(frozen=True)
class Due:
    """One user for whom a check-in kind is due, and the local day it asks about."""

    prefs: Preferences
    user: User
    due: datetime
    day: date
    texts: Texts


PAUSE_QUESTION = "pause question"  # the delivery's item when it asked whether to stop
Planner = Callable[[AsyncSession, Due, Content, datetime, timedelta], Awaitable[Plan]]


def _claimer(
    planner: Planner,
    next_due: Callable[[Choices, datetime], datetime | None],
    day_of: Callable[[Preferences, User, datetime], date],
) -> Claimer:
    """A claimer that moves each due user's time on (the kind's due column becomes
    `next_due`), then lets `planner` decide what to send about the day `day_of` names."""

    async def claim(
        kind: ScheduledKind,
        sessionmaker: async_sessionmaker[AsyncSession],
        content: Content,
        now: datetime,
        grace: timedelta,
        limit: int,
        until: datetime,
    ) -> ClaimBatch:
        del until  # check-ins, "Later" and mornings are never sent early
        async with sessionmaker.begin() as session:
            plans = []
            for prefs, user in await due_rows(session, kind, now, limit):
                due = getattr(prefs, kind.due.key)
                assert due is not None
                setattr(prefs, kind.due.key, next_due(choices_of(user, prefs), max(now, due)))
                day = day_of(prefs, user, due)
                found = Due(prefs, user, due, day, content.texts(user.language))
                plans.append(await planner(session, found, content, now, grace))
            batch, _ = await claim_plans(session, kind.name, plans, now)
        return batch

    return claim


def _resumer(planner: Planner, day_of: Callable[[Preferences, User, datetime], date]) -> Resumer:
    """Decide again, now, about a claim an interrupted run never attempted: answered in
    the meantime, consent withdrawn or past the grace close it; else the same question."""

    async def resume(
        session: AsyncSession,
        row: Delivery,
        user: User,
        prefs: Preferences,
        content: Content,
        now: datetime,
        grace: timedelta,
    ) -> Plan:
        texts = content.texts(user.language)
        found = Due(prefs, user, row.due_at, day_of(prefs, user, row.due_at), texts)
        if row.item == PAUSE_QUESTION:
            plan = await _decide(session, content, found, now, grace, answered=False)
            return plan or Plan(user, row.due_at, "claimed", pause_question(texts), item=row.item)
        return await planner(session, found, content, now, grace)

    return resume


def _once(choices: Choices, after: datetime) -> None:
    """ "Later" is not a schedule: it is due once, then cleared."""
    return None


async def _evening(
    session: AsyncSession, d: Due, content: Content, now: datetime, grace: timedelta
) -> Plan:
    """The evening check-in; after three unanswered ones, once the question to stop."""
    answered = await _answered(session, d.user.telegram_id, d.day)
    plan = await _decide(session, content, d, now, grace, answered=answered)
    if plan is not None:
        return plan
    if not d.prefs.asked_to_pause and await _ignored(session, d.user.telegram_id, d.day):
        d.prefs.asked_to_pause = True
        return Plan(d.user, d.due, "claimed", pause_question(d.texts), item=PAUSE_QUESTION)
    screen = level_screen(d.texts, _fresh(d), later=True)
    return Plan(d.user, d.due, "claimed", screen)


async def _later(
    session: AsyncSession, d: Due, content: Content, now: datetime, grace: timedelta
) -> Plan:
    """The one-hour snooze; the unique (user, kind, day) key makes it once a day."""
    answered = await _answered(session, d.user.telegram_id, d.day)
    plan = await _decide(session, content, d, now, grace, answered=answered)
    return plan or Plan(d.user, d.due, "claimed", level_screen(d.texts, _fresh(d)))


def _fresh(d: Due) -> CheckinView:
    """A scheduled check-in is only sent for a day with nothing stored yet."""
    return CheckinView.empty(d.day, night_asked_in_morning=d.prefs.morning_enabled)


async def _morning(
    session: AsyncSession, d: Due, content: Content, now: datetime, grace: timedelta
) -> Plan:
    """The optional morning question about the night, unless already answered that day."""
    woke = await session.scalar(
        select(Checkin.night_woke).where(
            Checkin.user_id == d.user.telegram_id, Checkin.local_date == d.day
        )
    )
    plan = await _decide(session, content, d, now, grace, answered=woke is not None)
    return plan or Plan(d.user, d.due, "claimed", morning_screen(d.texts, d.day))


def _due_day(prefs: Preferences, user: User, due: datetime) -> date:
    return local_date_of(due, user.timezone)


def _day_later_was_tapped(prefs: Preferences, user: User, due: datetime) -> date:
    return local_date_of(due - SNOOZE, user.timezone)


async def _decide(
    session: AsyncSession,
    content: Content,
    d: Due,
    now: datetime,
    grace: timedelta,
    *,
    answered: bool,
) -> Plan | None:
    """The reasons not to send: too late, no current consent, already answered.
    None means: send it (the caller picks the screen)."""
    if now - d.due > grace:
        return Plan(d.user, d.due, "missed")
    if not await _consented(session, d.user.telegram_id, content):
        return Plan(d.user, d.due, "skipped", item="no consent")
    if answered:
        return Plan(d.user, d.due, "skipped", item="already answered")
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
    CHECKIN,
    Preferences.next_checkin_at,
    Preferences.checkin_enabled,
    _claimer(_evening, next_checkin_at, _due_day),
    _resumer(_evening, _due_day),
)
LATER_CHECKINS = ScheduledKind(
    LATER,
    Preferences.checkin_later_at,
    Preferences.checkin_enabled,
    _claimer(_later, _once, _day_later_was_tapped),
    _resumer(_later, _day_later_was_tapped),
)
MORNINGS = ScheduledKind(
    MORNING,
    Preferences.next_morning_at,
    Preferences.morning_enabled,
    _claimer(_morning, next_morning_at, _due_day),
    _resumer(_morning, _due_day),
)
