"""Daily tips end to end: the offer, the scheduled tip at 09:00 local, buttons, /tip."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import callbacks
from bot.db.models import Delivery, TipFeedback
from bot.services.tips import next_tip_now
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.harness import BotHarness


def tip_id_of(message: BotMessage) -> str:
    data = callbacks.decode(message.buttons[0][0].callback_data)
    assert isinstance(data, callbacks.RateTip)
    return data.tip_id


async def accept_tips(harness: BotHarness, user: FakeUser) -> None:
    await harness.start(user)
    offer = harness.fake.last_message(user.id)
    accepted = await harness.tap(user, offer, harness.content.text("tip_offer_yes", "nl"))
    assert accepted.screen.text.startswith("Fijn! Je krijgt elke dag om 09:00 een tip.")


def tips_in(harness: BotHarness, chat_id: int) -> list[BotMessage]:
    header = harness.content.text("tip_header", "nl").replace("<b>", "").replace("</b>", "")
    return [m for m in harness.fake.chat_messages(chat_id) if m.text.startswith(header)]


async def test_a_tip_arrives_at_nine_local_once_a_day(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(4001, "nl")
    await accept_tips(harness, anna)
    await harness.tick_at(datetime(2026, 11, 26, 7, 59, tzinfo=UTC))  # 08:59 in Amsterdam
    assert tips_in(harness, 4001) == []
    report = await harness.tick_at(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert report.sent == 1
    [tip] = tips_in(harness, 4001)
    assert tip.button_texts == ["👍 Nuttig", "👎 Nooit meer", "📖 Lees meer"]
    assert (await harness.tick_at(datetime(2026, 11, 26, 8, 0, 30, tzinfo=UTC))).sent == 0
    assert (await harness.tick_at(datetime(2026, 11, 26, 21, 0, tzinfo=UTC))).sent == 0
    await harness.tick_at(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    first, second = tips_in(harness, 4001)
    assert tip_id_of(first) != tip_id_of(second)
    async with db() as session:
        rows = (await session.scalars(select(Delivery).order_by(Delivery.id))).all()
    assert [(r.local_date.isoformat(), r.status, r.item) for r in rows] == [
        ("2026-11-26", "sent", tip_id_of(first)),
        ("2026-11-27", "sent", tip_id_of(second)),
    ]


async def test_declining_the_offer_sends_nothing(harness: BotHarness) -> None:
    anna = harness.user(4002, "en")
    await harness.start(anna)
    offer = harness.fake.last_message(4002)
    declined = await harness.tap(anna, offer, "No, thanks")
    assert declined.screen.text.startswith("Okay, no tips.")
    assert (await harness.tick_at(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))).sent == 0
    again = await harness.say(anna, "/start")  # answered once: no second offer
    assert again.text.startswith("Hello Anna!")


async def test_thumbs_down_keeps_that_tip_away(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(4003, "nl")
    await harness.start(anna)
    tip = await harness.say(anna, "/tip")
    assert tip.text.startswith("💡 Een tip\n\n")  # asked for, so not "Tip van de dag"
    disliked = tip_id_of(tip)
    mark = len(harness.fake.calls)
    query = await harness.fake.tap(anna, tip.message_id, button_text="👎 Nooit meer")
    answered = await harness.fake.until_answered(query)
    assert answered["text"] == (
        "Dank je. Deze tip krijg je nooit meer. Per ongeluk? Tik nog een keer op 👎."
    )
    await harness.fake.wait_for_call("editMessageReplyMarkup", after=mark)
    assert not [c for c in harness.fake.calls[mark:] if c.method == "editMessageText"]
    rated = harness.message(4003, tip.message_id)
    assert rated.text == tip.text  # the tip stays; its buttons show the choice
    assert rated.button_texts == ["👍 Nuttig", "✅ 👎 Nooit meer", "📖 Lees meer"]
    async with db() as session:
        feedback = await session.get(TipFeedback, (4003, disliked))
    assert feedback is not None and feedback.helpful is False
    assert tip_id_of(await harness.say(anna, "/tip")) != disliked
    # the rest of the cycle, through the same service /tip uses (57 messages would be a flood)
    later = [await next_tip_now(db, harness.content, 4003) for _ in harness.content.tips]
    assert disliked not in {t.id for t in later if t is not None}
    assert len({t.id for t in later if t is not None}) == len(harness.content.tips) - 1


async def test_thumbs_up_and_read_more(harness: BotHarness) -> None:
    anna = harness.user(4004, "en")
    await harness.start(anna)
    tip = await harness.say(anna, "/tip")
    query = await harness.fake.tap(anna, tip.message_id, button_text="👍 Helpful")
    assert (await harness.fake.until_answered(query))["text"] == "Thank you! Glad the tip helped."
    await harness.fake.wait_for_call("editMessageReplyMarkup")
    rated = harness.message(4004, tip.message_id)
    assert rated.button_texts == ["✅ 👍 Helpful", "👎 Never again", "📖 Read more"]
    mark = len(harness.fake.calls)
    await harness.fake.tap(anna, tip.message_id, button_text="📖 Read more")
    call = await harness.fake.wait_for_call("sendMessage", after=mark)
    topic = harness.content.topics[harness.content.tips[tip_id_of(tip)].topic]
    assert harness.message(4004, call.result["message_id"]).text.startswith(topic.title["en"])
    assert harness.message(4004, tip.message_id).button_texts == rated.button_texts  # tip stays


async def test_silent_delivery_is_passed_to_telegram(harness: BotHarness) -> None:
    anna = harness.user(4005, "nl")
    await accept_tips(harness, anna)
    menu = await harness.say(anna, "/instellingen")
    await harness.tap(anna, menu, "⬜ 🔇 Zonder geluid")
    mark = len(harness.fake.calls)
    await harness.tick_at(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    [call] = [c for c in harness.fake.calls[mark:] if c.method == "sendMessage"]
    assert str(call.params.get("disable_notification")).lower() == "true"


async def test_a_user_with_every_subject_off_is_told_once(harness: BotHarness) -> None:
    anna = harness.user(4006, "nl")
    await accept_tips(harness, anna)
    page = await harness.say(anna, "/instellingen")
    page = (await harness.tap(anna, page, "🏷 Onderwerpen")).screen
    for tag in harness.content.tip_tags:
        page = (
            await harness.tap(anna, page, "✅ " + harness.content.text(f"tip_tag_{tag}", "nl"))
        ).screen
    await harness.tick_at(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert harness.fake.last_message(4006).text == harness.content.text("no_tips_left", "nl")
    count = len(harness.fake.chat_messages(4006))
    report = await harness.tick_at(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    assert report.skipped == 1 and len(harness.fake.chat_messages(4006)) == count


async def test_a_second_tap_undoes_thumbs_down(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(4007, "nl")
    await harness.start(anna)
    tip = await harness.say(anna, "/tip")
    buttons_only = "editMessageReplyMarkup"
    rated = (await harness.tap(anna, tip, "👎 Nooit meer", edit=buttons_only)).screen
    undone = await harness.tap(anna, rated, "✅ 👎 Nooit meer", edit=buttons_only)
    assert undone.notice == "Oké, teruggedraaid."
    assert undone.screen.button_texts == ["👍 Nuttig", "👎 Nooit meer", "📖 Lees meer"]
    async with db() as session:
        assert await session.get(TipFeedback, (4007, tip_id_of(tip))) is None  # back in rotation
