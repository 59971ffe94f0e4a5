"""Appointments: the reminder a few days before (`appointment`, at the user's tip time,
`remind_days` before the day) and the question the day after (`appointment_after`).

Both are due in the `appointments` table (`reminder_at`, `after_at`); each is one-shot:
the claim clears its column. Sent only with current consent and while the appointment
is still ahead (the reminder) or just past (the day after). A claim also opens the
row's `asking`, so the text the user types next is taken as a question (or as what to
remember) without a tap — for `ASKING_FOR`, or until Klaar / Overslaan.

The scheduler sends text with buttons, not the chart and the PDF themselves: the
reminder's "📈 Mijn overzicht" and "📄 Bestanden voor mijn arts" run /overzicht and
/export in the bot, with the rendering they already have (off the event loop, with
the user's current data when they tap), and the scheduler's sender stays one kind of
HTTP call that is cheap to pace and never renders matplotlib for a whole batch.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from bot.content import Content
from bot.db.models import Appointment, Consent, Delivery, Preferences, User
from bot.domain.appointments import ASKING_FOR, MAX_QUESTIONS
from bot.domain.consent import is_current
from bot.domain.kinds import APPOINTMENT, APPOINTMENT_AFTER
from bot.domain.schedule import local_date_of
from bot.screens import Screen
from bot.screens.appointment import after_screen, reminder_screen
from bot.services.appointments import AFTER, QUESTIONS, AppointmentView, view_of
from scheduler.claims import ClaimBatch, Plan, ScheduledKind, claim_plans

# Decides for one due appointment: a screen to send (and what a reply is for), or a
# reason not to (missed / skipped).
Screener = Callable[[AppointmentView, Content, User, datetime], tuple[Screen | None, str]]


def _reminder(
    view: AppointmentView, content: Content, user: User, due: datetime
) -> tuple[Screen | None, str]:
    today = local_date_of(due, user.timezone)
    if view.day < today:
        return None, "appointment is over"
    texts = content.texts(user.language)
    return reminder_screen(texts, view, today), QUESTIONS if len(
        view.questions
    ) < MAX_QUESTIONS else ""


def _after(
    view: AppointmentView, content: Content, user: User, due: datetime
) -> tuple[Screen | None, str]:
    if view.day >= local_date_of(due, user.timezone):
        return None, "appointment not yet over"
    return after_screen(content.texts(user.language), view), AFTER


async def _plan(
    session: AsyncSession,
    row: Appointment,
    user: User,
    due: datetime,
    screener: Screener,
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Plan:
    """The reasons not to send (too late, no consent, no longer fitting), else the screen;
    sending opens the row's `asking`."""
    if now - due > grace:
        return Plan(user, due, "missed")
    consent = await session.get(Consent, user.telegram_id)
    if not is_current(consent.text_version if consent else None, content.privacy_version):
        return Plan(user, due, "skipped", item="no consent")
    screen, asking = screener(view_of(row, user.timezone), content, user, due)
    if screen is None:
        return Plan(user, due, "skipped", item=asking)
    row.asking, row.asking_until = (asking or None), (now + ASKING_FOR if asking else None)
    return Plan(user, due, "claimed", screen)


def _kind(
    name: str, due_column: InstrumentedAttribute[datetime | None], screener: Screener
) -> ScheduledKind:
    async def claim(
        kind: ScheduledKind,
        sessionmaker: async_sessionmaker[AsyncSession],
        content: Content,
        now: datetime,
        grace: timedelta,
        limit: int,
        until: datetime,
    ) -> ClaimBatch:
        del until  # an appointment's reminder and day-after question are never early
        async with sessionmaker.begin() as session:
            query = (
                select(Appointment, User)
                .join(User, User.telegram_id == Appointment.user_id)
                .where(User.is_active, due_column <= now)
                .order_by(due_column)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                query = query.with_for_update(of=Appointment, skip_locked=True)
            plans = []
            for row, user in (await session.execute(query)).tuples().all():
                due = getattr(row, due_column.key)
                assert due is not None
                setattr(row, due_column.key, None)  # one-shot: a new day sets it again
                plans.append(await _plan(session, row, user, due, screener, content, now, grace))
            batch, _ = await claim_plans(session, name, plans, now)
        return batch

    async def resume(
        session: AsyncSession,
        row: Delivery,
        user: User,
        prefs: Preferences,
        content: Content,
        now: datetime,
        grace: timedelta,
    ) -> Plan:
        """A claim a crash left unattempted: decided again (cancelled, consent withdrawn,
        past the grace close it; else the same message)."""
        appointment = await session.get(Appointment, user.telegram_id)
        if appointment is None:
            return Plan(user, row.due_at, "skipped", item="no appointment")
        return await _plan(session, appointment, user, row.due_at, screener, content, now, grace)

    return ScheduledKind(
        name,
        due_column,
        User.is_active,
        claim,
        resume,
        user_id=Appointment.user_id,
        needs_preferences=False,
    )


APPOINTMENTS = _kind(APPOINTMENT, Appointment.reminder_at, _reminder)
AFTER_APPOINTMENTS = _kind(APPOINTMENT_AFTER, Appointment.after_at, _after)
