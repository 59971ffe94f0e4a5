"""Shared steps for tests around check-ins: agree to the privacy text, read what is stored."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.harness import BotHarness


async def checkins(db: async_sessionmaker[AsyncSession], user_id: int) -> list[Checkin]:
    async with db() as session:
        return list(
            (await session.scalars(select(Checkin).where(Checkin.user_id == user_id))).all()
        )


async def consented(harness: BotHarness, user: FakeUser) -> BotMessage:
    """/start, /checkin, "I agree": returns the level question."""
    await harness.start(user)
    ask = await harness.say(user, "/checkin")
    assert "Je check-ins en je privacy" in ask.text
    return (await harness.tap(user, ask, "✅ Ik ga akkoord")).screen


async def at_the_note(harness: BotHarness, user: FakeUser, level: str = "4") -> BotMessage:
    """Consent, a level, no bad night, no triggers: returns the note question."""
    screen = await consented(harness, user)
    return await harness.taps(user, screen, level, "Nee", "➡️ Klaar")
