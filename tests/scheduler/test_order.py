"""Everything due is served in one due-time order, whatever its kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Consent, Preferences
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.job import build_scheduler
from tests.scheduler.test_scheduler import add_tip_users

EIGHT_PM = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # 20:00 in Amsterdam


async def test_a_check_in_due_at_eight_does_not_wait_behind_tips_due_after_it(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, range(9100, 9110), EIGHT_PM - timedelta(minutes=1))
    await add_tip_users(db, fake, range(9110, 9111), EIGHT_PM)  # becomes the check-in user
    await add_tip_users(db, fake, range(9111, 9121), EIGHT_PM + timedelta(minutes=1))
    async with db.begin() as session:
        session.add(Consent(user_id=9110, text_version=content.privacy_version, agreed_at=EIGHT_PM))
        await session.execute(
            update(Preferences)
            .where(Preferences.user_id == 9110)
            .values(tips_enabled=False, checkin_enabled=True, next_checkin_at=EIGHT_PM)
        )
    one_at_a_time = settings.model_copy(update={"dispatch_concurrency": 1})
    scheduler = await build_scheduler(
        one_at_a_time, content, db, lambda: EIGHT_PM + timedelta(minutes=5)
    )
    try:
        report = await scheduler.tick()
    finally:
        await scheduler.close()
    assert report.sent == 21
    order = [int(c.params["chat_id"]) for c in fake.calls_to("sendMessage") if c.ok]
    assert order.index(9110) == 10  # after the tips due before it, before those due after
    assert fake.chat_messages(9110)[0].text.startswith("📝 Check-in")
