"""Stores and reads a user's daily-tip choices; every change recomputes the next due time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Appointment, Preferences, User
from bot.domain.appointments import after_due, reminder_due
from bot.domain.changes import Change, Rules
from bot.domain.choices import (
    DEFAULT_MINUTE,
    Choices,
    local_today,
    next_checkin_at,
    next_morning_at,
    next_tip_at,
)


def weekdays_to_mask(weekdays: frozenset[int]) -> int:
    return sum(1 << day for day in weekdays)


def mask_to_weekdays(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def choices_of(user: User, prefs: Preferences | None) -> Choices:
    if prefs is None:
        return Choices(timezone=user.timezone)
    return Choices(
        tips_enabled=prefs.tips_enabled,
        tip_minute=prefs.tip_minute,
        tip_weekdays=mask_to_weekdays(prefs.tip_days),
        tip_tags_off=prefs.tip_tags_off,
        timezone=user.timezone,
        paused_until=prefs.paused_until,
        silent=prefs.silent,
        checkin_enabled=prefs.checkin_enabled,
        checkin_minute=prefs.checkin_minute,
        checkin_weekdays=mask_to_weekdays(prefs.checkin_days),
        morning_enabled=prefs.morning_enabled,
        morning_minute=prefs.morning_minute,
    )


def store(user: User, prefs: Preferences, choices: Choices, now: datetime) -> None:
    """Write `choices` into the rows and recompute when the next tip and check-in are due."""
    if prefs.tip_tags_off != choices.tip_tags_off:
        prefs.told_no_tips = False  # new topics: a later "no tips left" notice is news again
    user.timezone = choices.timezone
    prefs.tips_enabled = choices.tips_enabled
    prefs.tip_minute = choices.tip_minute
    prefs.tip_days = weekdays_to_mask(choices.tip_weekdays)
    prefs.tip_tags_off = choices.tip_tags_off
    prefs.paused_until = choices.paused_until
    prefs.silent = choices.silent
    prefs.next_tip_at = next_tip_at(choices, now)
    if not choices.checkin_enabled:
        prefs.checkin_later_at = None
    elif not prefs.checkin_enabled:
        prefs.asked_to_pause = False  # switched on again: a fresh start
    prefs.checkin_enabled = choices.checkin_enabled
    prefs.checkin_minute = choices.checkin_minute
    prefs.checkin_days = weekdays_to_mask(choices.checkin_weekdays)
    prefs.next_checkin_at = next_checkin_at(choices, now)
    prefs.morning_enabled = choices.morning_enabled
    prefs.morning_minute = choices.morning_minute
    prefs.next_morning_at = next_morning_at(choices, now)


async def _rows(session: AsyncSession, user_id: int) -> tuple[User, Preferences]:
    user = await session.get(User, user_id)
    if user is None:
        raise LookupError(f"user {user_id} is not stored")
    prefs = await session.get(Preferences, user_id)
    if prefs is None:
        defaults = Choices()
        prefs = Preferences(
            user_id=user_id,
            tips_enabled=defaults.tips_enabled,
            tip_minute=defaults.tip_minute,
            tip_days=weekdays_to_mask(defaults.tip_weekdays),
            tip_tags_off=frozenset(),
            silent=defaults.silent,
            told_no_tips=False,
            checkin_enabled=defaults.checkin_enabled,
            checkin_minute=defaults.checkin_minute,
            checkin_days=weekdays_to_mask(defaults.checkin_weekdays),
            asked_to_pause=False,
            morning_enabled=defaults.morning_enabled,
            morning_minute=defaults.morning_minute,
        )
        session.add(prefs)
    return user, prefs


async def load_choices(sessionmaker: async_sessionmaker[AsyncSession], user_id: int) -> Choices:
    async with sessionmaker() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise LookupError(f"user {user_id} is not stored")
        return choices_of(user, await session.get(Preferences, user_id))


async def change_choices(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    change: Change,
    all_tags: tuple[str, ...],
    now: datetime,
) -> Choices:
    """Apply one settings button and store it; InvalidChange when it is not on offer."""
    return await _update(
        sessionmaker,
        user_id,
        now,
        lambda current, local_now: change.apply(current, Rules(all_tags, local_now)),
    )


async def change_timezone(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, zone: str, now: datetime
) -> Choices:
    """Store a time zone the user typed (already checked with `find_zone`)."""
    return await _update(sessionmaker, user_id, now, lambda s, _: replace(s, timezone=zone))


async def _update(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    now: datetime,
    change: Callable[[Choices, datetime], Choices],
) -> Choices:
    """`change` gets the current choices and the user's local time now."""
    async with sessionmaker.begin() as session:
        user, prefs = await _rows(session, user_id)
        current = choices_of(user, prefs)
        changed = change(current, now.astimezone(ZoneInfo(current.timezone)))
        store(user, prefs, changed, now)
        await reschedule_appointment(session, user, prefs, now)
        return changed


async def user_and_tip_minute(session: AsyncSession, user_id: int) -> tuple[User, int]:
    """The user and their daily tip time, without making a preferences row: a missing
    row means "not yet answered the tip offer", which /start still asks."""
    user = await session.get(User, user_id)
    if user is None:
        raise LookupError(f"user {user_id} is not stored")
    prefs = await session.get(Preferences, user_id)
    return user, prefs.tip_minute if prefs is not None else DEFAULT_MINUTE


async def reschedule_appointment(
    session: AsyncSession, user: User, prefs: Preferences, now: datetime
) -> None:
    """The appointment's reminder and day-after question follow the tip time and zone."""
    row = await session.get(Appointment, user.telegram_id)
    if row is None:
        return
    if row.reminder_at is not None:
        row.reminder_at = reminder_due(
            row.day, row.remind_days, prefs.tip_minute, user.timezone, now
        )
    if row.after_at is not None:
        row.after_at = after_due(row.day, prefs.tip_minute, user.timezone)


async def has_chosen_about_tips(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int
) -> bool:
    """True once the user said yes or no to tips (or changed any setting)."""
    async with sessionmaker() as session:
        return await session.get(Preferences, user_id) is not None


async def user_today(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: int, now: datetime
) -> date:
    """The user's calendar date now, in their own time zone."""
    return local_today(await load_choices(sessionmaker, user_id), now)
