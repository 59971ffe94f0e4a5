"""Consent and check-ins: health data is stored only after an explicit "I agree".

Every write checks the consent first, so a button from before a withdrawal can
never store anything. Records are keyed by (user, local date): answering again the
same day updates that day's row, and the user id always comes from Telegram's
`from_user`, never from button data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Appointment, Checkin, Consent, Delivery, Preferences
from bot.domain.consent import Agreement, is_current
from bot.domain.insights import USUAL_DAYS, DayRecord, usual_level
from bot.domain.kinds import LATER, SNOOZE
from bot.domain.notes import MAX_NOTE_CHARS
from bot.services import hourly_counts


class NoConsent(Exception):
    """The user has not agreed (to this version of the privacy text)."""


@dataclass(frozen=True)
class CheckinView:
    day: date
    nrs: int | None
    night: bool | None
    triggers: frozenset[str]
    note: str | None
    night_woke: bool | None = None
    night_nrs: int | None = None
    usual_nrs: float | None = None  # the user's usual level before this day (insights)
    night_asked_in_morning: bool = False  # the morning question is on: no night step
    stored: bool = True  # False: nothing is stored for this day yet

    @classmethod
    def empty(cls, day: date, *, night_asked_in_morning: bool) -> CheckinView:
        return cls(
            day,
            None,
            None,
            frozenset(),
            None,
            night_asked_in_morning=night_asked_in_morning,
            stored=False,
        )


async def consent_of(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int
) -> Agreement | None:
    async with sessionmaker() as session:
        row = await session.get(Consent, user_id)
        return None if row is None else Agreement(row.text_version, row.agreed_at, row.report_name)


async def give_consent(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, version: str, now: datetime
) -> None:
    async with sessionmaker.begin() as session:
        consent = await session.get(Consent, user_id)
        if consent is None:
            session.add(Consent(user_id=user_id, text_version=version, agreed_at=now))
        else:
            consent.text_version, consent.agreed_at = version, now
        await hourly_counts.add(session, hourly_counts.CONSENT_GIVEN, now)


async def set_report_name(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    name: str | None,
    privacy_version: str,
) -> None:
    """Store (or clear) the name for the doctor's report: only with current consent."""
    async with sessionmaker.begin() as session:
        consent = await session.get(Consent, user_id)
        if consent is None or not is_current(consent.text_version, privacy_version):
            raise NoConsent(user_id)
        consent.report_name = name


async def count_checkins(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> int:
    """How many days of check-ins a withdrawal would delete."""
    async with sessionmaker() as session:
        query = select(func.count()).select_from(Checkin).where(Checkin.user_id == user_id)
        return int(await session.scalar(query) or 0)


async def withdraw_consent(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, now: datetime
) -> None:
    """No more check-ins are stored, and the ones there are deleted (with the appointment
    and its questions: health data too). /stats counts the withdrawal, not who."""
    async with sessionmaker.begin() as session:
        await session.execute(delete(Appointment).where(Appointment.user_id == user_id))
        await session.execute(delete(Checkin).where(Checkin.user_id == user_id))
        gone = await session.execute(
            delete(Consent).where(Consent.user_id == user_id).returning(Consent.user_id)
        )
        if gone.first() is not None:
            await hourly_counts.add(session, hourly_counts.CONSENT_WITHDRAWN, now)


async def load_checkin(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, day: date
) -> CheckinView:
    """The day's check-in as stored (or an empty one), and whether it asks about the night."""
    async with sessionmaker() as session:
        row = await _row(session, user_id, day)
        morning_on = bool(await _morning_on(session, user_id))
    if row is None:
        return CheckinView.empty(day, night_asked_in_morning=morning_on)
    return replace(_view(row), night_asked_in_morning=morning_on)


async def _morning_on(session: AsyncSession, user_id: int) -> bool:
    found = await session.scalar(
        select(Preferences.morning_enabled).where(Preferences.user_id == user_id)
    )
    return bool(found)


@dataclass(frozen=True)
class Answer:
    """One step of the flow; only the fields that are not None are written."""

    nrs: int | None = None
    night: bool | None = None
    toggle_trigger: str | None = None
    clear_triggers: bool = False
    note: str | None = None
    night_woke: bool | None = None
    night_nrs: int | None = None


async def record_answer(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    day: date,
    answer: Answer,
    consent_version: str,
    now: datetime,
) -> CheckinView:
    """Store one answer for (user, day); raises NoConsent without current consent."""
    for level in (answer.nrs, answer.night_nrs):
        if level is not None and not 0 <= level <= 10:
            raise ValueError(f"NRS {level} is outside 0-10")
    if answer.note is not None and len(answer.note) > MAX_NOTE_CHARS:
        raise ValueError("note too long")
    async with sessionmaker.begin() as session:
        consent = await session.get(Consent, user_id)
        if not is_current(consent.text_version if consent else None, consent_version):
            raise NoConsent(user_id)
        row = await _row(session, user_id, day)
        if row is None:
            row = Checkin(user_id=user_id, local_date=day, triggers=frozenset(), created_at=now)
            session.add(row)
        _apply(row, answer)
        row.updated_at = now
        # an answer ends any "three unanswered in a row" streak
        await session.execute(
            update(Preferences).where(Preferences.user_id == user_id).values(asked_to_pause=False)
        )
        await session.flush()
        return replace(
            _view(row),
            usual_nrs=usual_level(await _days_before(session, user_id, day), day),
            night_asked_in_morning=await _morning_on(session, user_id),
        )


async def _days_before(session: AsyncSession, user_id: int, day: date) -> list[DayRecord]:
    """The USUAL_DAYS before `day`: what "your usual level" is measured against."""
    rows = await session.execute(
        select(Checkin.local_date, Checkin.nrs).where(
            Checkin.user_id == user_id,
            Checkin.local_date >= day - timedelta(days=USUAL_DAYS),
            Checkin.local_date < day,
        )
    )
    return [DayRecord(local_date, nrs, None) for local_date, nrs in rows]


def _apply(row: Checkin, answer: Answer) -> None:
    if answer.nrs is not None:
        row.nrs = answer.nrs
    if answer.night is not None:
        row.night = answer.night
    triggers = frozenset() if answer.clear_triggers else row.triggers or frozenset()
    if answer.toggle_trigger is not None:
        triggers ^= {answer.toggle_trigger}
    row.triggers = triggers
    if answer.note is not None:
        row.note = _printable(answer.note).strip() or None
    if answer.night_woke is not None:
        row.night_woke = answer.night_woke
        if not answer.night_woke:
            row.night_nrs = None
    if answer.night_nrs is not None:
        row.night_woke, row.night_nrs = True, answer.night_nrs


def _printable(text: str) -> str:
    """Control characters (a NUL, which PostgreSQL text cannot hold, a bell, ...) are left
    out of a note; line breaks and tabs stay."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


async def _row(session: AsyncSession, user_id: int, day: date) -> Checkin | None:
    query = select(Checkin).where(Checkin.user_id == user_id, Checkin.local_date == day)
    row: Checkin | None = (await session.scalars(query)).one_or_none()
    return row


def _view(row: Checkin) -> CheckinView:
    return CheckinView(
        day=row.local_date,
        nrs=row.nrs,
        night=row.night,
        triggers=row.triggers,
        note=row.note,
        night_woke=row.night_woke,
        night_nrs=row.night_nrs,
    )


async def load_records(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, since: date | None = None
) -> list[DayRecord]:
    """The user's check-ins (from `since`, if given), oldest first."""
    query = select(Checkin).where(Checkin.user_id == user_id).order_by(Checkin.local_date)
    if since is not None:
        query = query.where(Checkin.local_date >= since)
    async with sessionmaker() as session:
        rows = (await session.scalars(query)).all()
    return [
        DayRecord(
            row.local_date,
            row.nrs,
            row.night,
            row.triggers,
            row.note,
            row.night_woke,
            row.night_nrs,
        )
        for row in rows
    ]


async def snooze_checkin(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    day: date,
    now: datetime,
) -> bool:
    """Ask again after SNOOZE; False when this day's check-in was already postponed."""
    async with sessionmaker.begin() as session:
        prefs = await session.get(Preferences, user_id)
        if prefs is None or prefs.checkin_later_at is not None:
            return False
        earlier = await session.scalar(
            select(Delivery.id).where(
                Delivery.user_id == user_id, Delivery.kind == LATER, Delivery.local_date == day
            )
        )
        if earlier is not None:
            return False
        prefs.checkin_later_at = now + SNOOZE
        return True
