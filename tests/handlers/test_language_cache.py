"""Issue 12: with several bot processes, a language changed through one is used by the
others within seconds (the per-process cache is short-lived)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from tests.auxil.harness import BotHarness


async def test_a_language_changed_elsewhere_is_used_within_seconds(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(4401, "nl")
    await harness.start(anna)
    async with db.begin() as session:  # another process stored English
        await session.execute(update(User).where(User.telegram_id == 4401).values(language="en"))
    same_moment = await harness.say(anna, "/help")
    assert same_moment.text.startswith("Zo werkt het")  # cached for a few seconds
    harness.clock.set(harness.clock.now + timedelta(seconds=6))
    later = await harness.say(anna, "/help")
    assert later.text.startswith("How it works")
