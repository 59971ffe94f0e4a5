"""Fuzzing: thousands of random Telegram-shaped updates against the real bot.

The updates come from tests/auxil/updates.py and go in as raw JSON through the fake
server (tests/auxil/fuzzing.py explains how batches are fed and judged). The run is the
same every time (hypothesis, derandomized); `python -m bench.fuzz_bench` runs a larger one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, Update
from telegram.error import BadRequest

from bot import callbacks
from bot.db.models import Checkin
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram, FakeUser, RecordedCall
from tests.auxil.checkins import at_the_note
from tests.auxil.fuzzing import Fuzzed, Fuzzer, Population, unpaced
from tests.auxil.harness import BotHarness, chat_of
from tests.auxil.update_parts import NOW, poll, private_chat
from tests.auxil.updates import chunk, draw_updates
from tests.conftest import TOKEN

UPDATES = 2_000
BOT = {"id": 123456789, "is_bot": True, "first_name": "Spasmbot", "username": "spasmbot_test_bot"}
POPULATION = Population.of(BOT)


@pytest.fixture(name="settings")
def unpaced_settings(settings: Settings) -> Settings:
    """The conftest settings without reply pacing: see `unpaced`."""
    return unpaced(settings)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(chunk(POPULATION, known_defects=True))
def test_every_drawn_update_is_one_python_telegram_bot_can_parse(items: list[Fuzzed]) -> None:
    """Unparseable updates are a known defect of their own (below), not part of the fuzz."""
    for item in items:
        assert Update.de_json({"update_id": 1, item.kind: item.payload}, None) is not None


@pytest.mark.filterwarnings("ignore:Glyph")  # notes in the PDF with characters no font has
async def test_thousands_of_random_updates_leave_the_bot_answering(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    """No unhandled exception, every button tap answered, nothing Telegram would refuse
    (but the edits in fuzzing.EXPECTED), no exception named to a user; and afterwards a
    new user still gets the menu. Before each batch the clock moves 47 minutes and the
    scheduler ticks, so tips, check-ins and morning questions join in."""
    fuzzer = Fuzzer(harness.fake, Population.of(harness.fake.bot_user, harness.content))
    fuzzer.between = lambda: harness.tick_at(harness.clock.now + timedelta(minutes=47))
    items = draw_updates(fuzzer.population, UPDATES)
    assert len(items) > UPDATES * 0.9
    report = await fuzzer.run(items)
    assert report.findings == [], report.describe()
    fresh = harness.user(999_000_002, "nl")
    menu = await harness.say(fresh, "/menu")
    assert menu.text.startswith(harness.content.root.title["nl"])
    assert harness.content.topics["what"].title["nl"] in menu.button_texts
    # The run went deep: many taps, check-ins stored.
    assert len(harness.fake.calls_to("answerCallbackQuery")) > UPDATES // 4
    async with db() as session:
        assert (await session.scalar(select(func.count()).select_from(Checkin)) or 0) > 0


async def test_the_fake_keeps_up_with_injected_updates(fake: FakeTelegram) -> None:
    """A raw message in a group can be replied to; a raw button tap is tracked until the
    bot, having received it, answers it (once)."""
    anna, group = fake.add_user(3106), fake.add_group(-3107, "Groep")
    sender = anna.to_api()
    fake.inject("message", {"message_id": 40, "date": NOW, "chat": group.to_api(), "from": sender})
    tap = {
        "id": "q1",
        "from": sender,
        "chat_instance": "1",
        "inline_message_id": "AgA",
        "data": "x",
    }
    update = fake.inject("callback_query", tap)
    assert fake.unanswered_queries() == []  # not received yet
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        assert len(await bot.get_updates()) == 2
        await bot.get_updates(offset=update["update_id"] + 1)
        assert fake.unanswered_queries() == ["q1"]
        reply = await bot.send_message(group.id, "Alleen privé", reply_to_message_id=40)
        assert reply.message_id == 41
        await bot.answer_callback_query("q1")
        assert fake.unanswered_queries() == []
        with pytest.raises(BadRequest):
            await bot.answer_callback_query("q1")


def answers(user_id: int) -> Callable[[RecordedCall], bool]:
    return lambda call: call.ok and chat_of(call.params) == user_id


def user_message(harness: BotHarness, user: FakeUser, **content: object) -> dict[str, object]:
    chat = harness.fake.state.chats[user.id]
    sender = user.to_api()
    return {"message_id": chat.next_message_id(), "date": NOW, "chat": private_chat(sender)} | {
        "from": sender,
        **content,
    }


async def test_an_update_the_library_cannot_parse_is_skipped(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A poll without `allows_revoting` (python-telegram-bot 22.8 requires it) between two
    questions: both questions are answered, and the poll's text never reaches the log."""
    caplog.set_level(logging.INFO)
    anna, ben = harness.user(3101, "en"), harness.user(3102, "nl")
    question = "Hoe stijf zijn je benen vandaag, Anna?"
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "spasmen")
    unparseable = poll(question, leave_out=("allows_revoting",))
    harness.fake.inject("message", user_message(harness, anna, poll=unparseable))
    await harness.fake.send_text(ben, "baclofen")
    for user_id in (anna.id, ben.id):
        await harness.fake.wait_for_call("sendMessage", answers(user_id), after=mark)
    assert question not in caplog.text


async def test_an_inline_mode_button_tap_is_answered(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A button under a message sent in inline mode: the query has `inline_message_id`
    and no `message`. The spinner must stop, without an unhandled exception."""
    anna = harness.user(3103, "nl")
    await harness.say(anna, "/menu")
    harness.fake.inject(
        "callback_query",
        {
            "id": "7001",
            "from": anna.to_api(),
            "chat_instance": "-4242",
            "inline_message_id": "AgAAAN4BAAAbbbbbbbbbbbbbbbb",
            "data": callbacks.encode(callbacks.ShowTopic("what")),
        },
    )
    await harness.fake.until_answered("7001")
    await harness.fake.wait_idle(settle=0.2)
    assert errors_in(caplog) == []


def errors_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.filterwarnings("ignore:Glyph")
async def test_a_note_with_dollar_signs_still_gives_the_pdf_report(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """matplotlib reads "$…$" in a text as TeX; a note like "50% $$" must print as typed."""
    anna = harness.user(3104, "nl")
    await at_the_note(harness, anna)
    await harness.say(anna, "50% $$")
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/export")
    for _ in range(2):  # the CSV, then the PDF
        call = await harness.fake.wait_for_call("sendDocument", answers(anna.id), after=mark)
        mark = harness.fake.calls.index(call) + 1
    assert errors_in(caplog) == []


async def test_a_note_with_a_nul_character_is_stored(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    anna = harness.user(3105, "nl")
    await at_the_note(harness, anna)
    thanks = await harness.say(anna, "stijf\x00been")
    assert errors_in(caplog) == []
    assert thanks.text.startswith("✅")
