"""Bad input is normal input: each gets a friendly outcome and nothing breaks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import callbacks
from bot.db.models import User
from tests.auxil.harness import BotHarness


async def test_stickers_photos_and_voice_get_a_pointer_to_the_menu(harness: BotHarness) -> None:
    anna = harness.user(2001, "nl")
    notice = harness.content.text("media_not_understood", "nl")
    for send in (harness.fake.send_sticker, harness.fake.send_photo, harness.fake.send_voice):
        mark = len(harness.fake.calls)
        await send(anna)
        await harness.fake.wait_for_call("sendMessage", after=mark)
        reply = harness.fake.last_message(2001)
        assert reply.text.startswith(notice)
        assert harness.content.topics["what"].title["nl"] in reply.button_texts


async def test_an_edited_message_gets_a_pointer_not_a_second_answer(harness: BotHarness) -> None:
    anna = harness.user(2002, "en")
    mark = len(harness.fake.calls)
    question = await harness.fake.send_text(anna, "baclofen")
    await harness.fake.wait_for_call("sendMessage", after=mark)
    sent_before = len(harness.fake.calls_to("sendMessage"))
    mark = len(harness.fake.calls)
    await harness.fake.edit_user_message(anna, question["message_id"], "tizanidine")
    await harness.fake.wait_for_call("sendMessage", after=mark)
    assert len(harness.fake.calls_to("sendMessage")) == sent_before + 1
    assert harness.fake.last_message(2002).text.startswith(
        harness.content.text("edited_message", "en")
    )


async def test_an_unknown_command_is_explained(harness: BotHarness) -> None:
    reply = await harness.say(harness.user(2003, "nl"), "/foobar")
    assert reply.text.startswith(harness.content.text("unknown_command", "nl"))
    assert harness.content.text("button_language", "nl") in reply.button_texts


@pytest.mark.parametrize(
    "data",
    [
        "1|t|no_such_topic",  # a topic that was removed from the content
        "0|t|what",  # a button from an older version of the bot
        "totally forged",
        "1|l|xx",
    ],
)
async def test_stale_or_forged_buttons_show_the_menu(harness: BotHarness, data: str) -> None:
    anna = harness.user(2004, "nl")
    menu = await harness.say(anna, "/menu")
    tapped = await harness.tap(anna, menu, "", data=data)
    assert tapped.notice == harness.content.text("stale_button", "nl")
    assert tapped.screen.text.startswith(harness.content.root.title["nl"])


async def test_group_chats_get_one_line_and_nothing_is_stored(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(2005, "nl")
    group = harness.fake.add_group(chat_id=-3001, title="MS groep")
    for text, minutes_later in (("/start", 0), ("helpt baclofen?", 1), ("hallo", 61)):
        harness.clock.set(harness.clock.now + timedelta(minutes=minutes_later))
        await harness.fake.send_text(anna, text, chat=group)
        await harness.fake.wait_idle(settle=0.3)  # handled before the clock moves on
    replies = harness.fake.chat_messages(-3001)
    expected = harness.content.text("private_chat_only", "nl", bot_username="spasmbot_test_bot")
    assert [r.text for r in replies] == [expected, expected]
    assert all(not r.buttons for r in replies)
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0


async def test_a_button_tapped_twice_is_fine(harness: BotHarness) -> None:
    """The second edit would not change the message; Telegram says "not modified"."""
    anna = harness.user(2006, "en")
    menu = await harness.say(anna, "/menu")
    what = harness.content.topics["what"].title["en"]
    first = await harness.tap(anna, menu, what)
    mark = len(harness.fake.calls)
    data = callbacks.encode(callbacks.ShowTopic("what"))
    second = await harness.tap(anna, first.screen, "", data=data)
    assert second.screen.text == first.screen.text
    errors = [c for c in harness.fake.calls[mark:] if not c.ok]
    assert [c.description for c in errors] == [
        "Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message"
    ]
    # The bot swallowed it: no apology was sent.
    assert len(harness.fake.chat_messages(2006)) == 1
