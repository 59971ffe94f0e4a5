"""Telegram's per-chat limit: scheduled messages to one chat are spaced, and a 429 for
one chat holds only that chat unless a second chat gets one too (then the bot waits)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Consent, Preferences
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from scheduler.dispatch import CHAT_SPACING
from scheduler.job import build_scheduler
from scheduler.tick import TickReport
from tests.scheduler.test_order import EIGHT_PM
from tests.scheduler.test_scheduler import add_tip_users


async def tick_once(
    settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> TickReport:
    scheduler = await build_scheduler(settings, content, db, lambda: EIGHT_PM)
    try:
        return await scheduler.tick()
    finally:
        await scheduler.close()


def sends(fake: FakeTelegram, chat_id: int | None = None) -> list[tuple[int, int, float]]:
    """(chat, status, when the fake received it) of every sendMessage, in order."""
    return [
        (int(c.params["chat_id"]), c.status, c.time)
        for c in fake.calls_to("sendMessage")
        if chat_id is None or int(c.params["chat_id"]) == chat_id
    ]


async def test_a_tip_and_a_check_in_due_together_arrive_a_second_apart(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, range(9200, 9203), EIGHT_PM)
    async with db.begin() as session:
        for user_id in range(9200, 9203):
            session.add(
                Consent(user_id=user_id, text_version=content.privacy_version, agreed_at=EIGHT_PM)
            )
        await session.execute(
            update(Preferences).values(checkin_enabled=True, next_checkin_at=EIGHT_PM)
        )
    report = await tick_once(settings, content, db)
    assert report.sent == 6
    for user_id in range(9200, 9203):
        (_, first, at), (_, second, later) = sends(fake, user_id)
        assert (first, second) == (200, 200)
        assert later - at > CHAT_SPACING - 0.2  # spaced when sent; allow for the way there


async def test_a_429_for_one_chat_holds_that_chat_only(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, range(9210, 9221), EIGHT_PM)
    fake.fail_next("sendMessage", status=429, retry_after=3, chat_id=9210)
    report = await tick_once(settings, content, db)
    assert report.sent == 11
    order = [(chat, status) for chat, status, _ in sends(fake)]
    assert [status for chat, status in order if chat == 9210] == [429, 200]
    assert order[-1] == (9210, 200)  # the others did not wait for it
    assert len(fake.chat_messages(9210)) == 1


async def test_429s_for_two_chats_pause_every_sender(
    fake: FakeTelegram, settings: Settings, content: Content, db: async_sessionmaker[AsyncSession]
) -> None:
    await add_tip_users(db, fake, range(9230, 9236), EIGHT_PM)
    for chat_id in (9230, 9231):
        fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=chat_id)
    one_at_a_time = settings.model_copy(update={"dispatch_concurrency": 1})
    report = await tick_once(one_at_a_time, content, db)
    assert report.sent == 6
    calls = sends(fake)
    assert [(c, s) for c, s, _ in calls[:2]] == [(9230, 429), (9231, 429)]
    bot_limited_at = calls[1][2]
    assert all(at - bot_limited_at >= 0.9 for _, _, at in calls[2:])  # nobody went sooner
