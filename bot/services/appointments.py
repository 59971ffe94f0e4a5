"""The next appointment: set, move, cancel, remind; the questions for it; what to
remember afterwards. Health data: every write checks the current consent first, and a
withdrawal deletes the appointment (`checkins.withdraw_consent`).

One row per user. The due columns (`reminder_at`, `after_at`) are computed here from the
day, the chosen number of days and the user's tip time and zone; the scheduler clears
each one when it claims it (`scheduler/appointment_claims.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Appointment, Consent
from bot.domain.appointments import (
    ASKING_FOR,
    DEFAULT_REMIND_DAYS,
    MAX_QUESTIONS,
    REMIND_CHOICES,
    WITH_WHOM,
    after_due,
    clean_question,
    reminder_due,
)
from bot.domain.consent import is_current
from bot.domain.notes import MAX_NOTE_CHARS, shorten_note
from bot.domain.schedule import local_date_of
from bot.services.checkins import Answer, CheckinView, NoConsent, load_checkin, record_answer
from bot.services.preferences import user_and_tip_minute

QUESTIONS = "questions"  # `asking`: a typed text is a question for the appointment
AFTER = "after"  # `asking`: a typed text is what to remember from it (a note)


@dataclass(frozen=True)
class AppointmentView:
    day: date
    with_whom: str
    remind_days: int
    questions: tuple[str, ...]
    reminder_at: datetime | None  # None: already sent, or too late for one
    timezone: str

    @property
    def reminder_day(self) -> date | None:
        return None if self.reminder_at is None else local_date_of(self.reminder_at, self.timezone)

    @property
    def full(self) -> bool:
        return len(self.questions) >= MAX_QUESTIONS


def questions_of(row: Appointment) -> tuple[str, ...]:
    if not row.questions:
        return ()
    found = json.loads(row.questions)
    return tuple(str(q) for q in found) if isinstance(found, list) else ()


def view_of(row: Appointment, timezone: str) -> AppointmentView:
    return AppointmentView(
        row.day, row.with_whom, row.remind_days, questions_of(row), row.reminder_at, timezone
    )


async def _consented(session: AsyncSession, user_id: int, privacy_version: str) -> None:
    consent = await session.get(Consent, user_id)
    if not is_current(consent.text_version if consent else None, privacy_version):
        raise NoConsent(user_id)


async def load_appointment(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, today: date
) -> AppointmentView | None:
    """The appointment if it is today or later; a past one does not count."""
    async with sessionmaker() as session:
        row = await session.get(Appointment, user_id)
        if row is None or row.day < today:
            return None
        user, _ = await user_and_tip_minute(session, user_id)
        return view_of(row, user.timezone)


async def set_appointment(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    day: date,
    with_whom: str,
    privacy_version: str,
    now: datetime,
) -> AppointmentView:
    """Store (or move) the appointment; the questions stay when an upcoming one moves.
    Raises NoConsent without current consent."""
    if with_whom not in WITH_WHOM:
        raise ValueError(f"with whom {with_whom!r}")
    async with sessionmaker.begin() as session:
        await _consented(session, user_id, privacy_version)
        user, tip_minute = await user_and_tip_minute(session, user_id)
        today = local_date_of(now, user.timezone)
        if day < today:
            raise ValueError(f"appointment day {day} is in the past")
        row = await session.get(Appointment, user_id)
        if row is None:
            row = Appointment(user_id=user_id, remind_days=DEFAULT_REMIND_DAYS, created_at=now)
            session.add(row)
        elif row.day < today:
            row.questions, row.remind_days = None, DEFAULT_REMIND_DAYS  # the last one is over
        row.day, row.with_whom, row.updated_at = day, with_whom, now
        row.asking = row.asking_until = None
        row.reminder_at = reminder_due(day, row.remind_days, tip_minute, user.timezone, now)
        row.after_at = after_due(day, tip_minute, user.timezone)
        return view_of(row, user.timezone)


async def set_remind_days(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, days: int, now: datetime
) -> AppointmentView | None:
    """1, 3 or 7 days before; None when there is no upcoming appointment."""
    if days not in REMIND_CHOICES:
        raise ValueError(f"remind {days} days before")
    async with sessionmaker.begin() as session:
        user, tip_minute = await user_and_tip_minute(session, user_id)
        row = await session.get(Appointment, user_id)
        if row is None or row.day < local_date_of(now, user.timezone):
            return None
        row.remind_days, row.updated_at = days, now
        row.reminder_at = reminder_due(row.day, days, tip_minute, user.timezone, now)
        return view_of(row, user.timezone)


async def cancel_appointment(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> None:
    """Nothing more is sent about it; its questions go too."""
    async with sessionmaker.begin() as session:
        await session.execute(delete(Appointment).where(Appointment.user_id == user_id))


async def asked(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, now: datetime
) -> str | None:
    """What a typed text is for after a scheduled message asked something (QUESTIONS,
    AFTER), or None."""
    async with sessionmaker() as session:
        row = await session.get(Appointment, user_id)
    if row is None or row.asking is None or row.asking_until is None:
        return None
    return row.asking if row.asking_until > now else None


async def start_asking(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, what: str, now: datetime
) -> None:
    async with sessionmaker.begin() as session:
        await session.execute(
            update(Appointment)
            .where(Appointment.user_id == user_id)
            .values(asking=what, asking_until=now + ASKING_FOR)
        )


async def stop_asking(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> None:
    async with sessionmaker.begin() as session:
        await session.execute(
            update(Appointment)
            .where(Appointment.user_id == user_id)
            .values(asking=None, asking_until=None)
        )


@dataclass(frozen=True)
class Added:
    view: AppointmentView
    question: str  # as stored (the first part of a long one)
    stored: bool  # False: there were already MAX_QUESTIONS


async def add_question(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    text: str,
    privacy_version: str,
    now: datetime,
) -> Added | None:
    """One more question for the upcoming appointment (at most MAX_QUESTIONS); None when
    there is none. Raises NoConsent without current consent. The third one ends the
    asking."""
    question = clean_question(text)
    async with sessionmaker.begin() as session:
        await _consented(session, user_id, privacy_version)
        user, _ = await user_and_tip_minute(session, user_id)
        row = await session.get(Appointment, user_id)
        if row is None or row.day < local_date_of(now, user.timezone):
            return None
        questions = questions_of(row)
        stored = bool(question) and len(questions) < MAX_QUESTIONS
        if stored:
            questions = (*questions, question)
            row.questions, row.updated_at = json.dumps(list(questions), ensure_ascii=False), now
        if len(questions) >= MAX_QUESTIONS:
            row.asking = row.asking_until = None
        return Added(view_of(row, user.timezone), question, stored)


async def clear_questions(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> None:
    async with sessionmaker.begin() as session:
        row = await session.get(Appointment, user_id)
        if row is not None:
            row.questions = None


@dataclass(frozen=True)
class Remembered:
    day: date  # the appointment's day: the note is stored there
    checkin: CheckinView
    shortened: bool  # it did not all fit in the note


async def remember_after(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    text: str,
    privacy_version: str,
    now: datetime,
) -> Remembered | None:
    """What the user wants to remember from the appointment, as the check-in note of the
    appointment's day (after a note already there, on a new line, within the note's
    length); then the appointment is over and its row goes. None when there is none.
    Raises NoConsent without current consent."""
    async with sessionmaker() as session:
        row = await session.get(Appointment, user_id)
        day = None if row is None else row.day
    if day is None:
        return None
    existing = (await load_checkin(sessionmaker, user_id, day)).note
    typed = text.strip()
    whole = f"{existing}\n{typed}" if existing else typed
    note = shorten_note(whole, MAX_NOTE_CHARS)
    view = await record_answer(sessionmaker, user_id, day, Answer(note=note), privacy_version, now)
    await cancel_appointment(sessionmaker, user_id)
    return Remembered(day, view, shortened=len(note) < len(whole))


async def report_questions(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, today: date
) -> AppointmentView | None:
    """For the doctor's report: the upcoming appointment, only if it has questions."""
    view = await load_appointment(sessionmaker, user_id, today)
    return view if view is not None and view.questions else None
