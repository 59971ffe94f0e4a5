"""The one "next text is for…" slot: a prompt for a time zone or a note holds only
until the user does something else (a command, a button) or 15 minutes pass."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import services_of
from bot.db.models import Checkin, User
from bot.db.session import create_engine, create_sessionmaker
from tests.auxil.checkins import at_the_note
from tests.auxil.harness import BotHarness


async def notes(db: async_sessionmaker[AsyncSession], user_id: int) -> list[str | None]:
    async with db() as session:
        return list(await session.scalars(select(Checkin.note).where(Checkin.user_id == user_id)))


async def test_a_command_after_the_zone_prompt_makes_text_a_question_again(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9101, "nl")
    await harness.start(anna)
    settings = await harness.say(anna, "/instellingen")
    prompt = await harness.taps(anna, settings, "🌍 Tijdzone", "⌨️ Zelf typen")
    assert prompt.text.startswith("Typ de naam van je stad of land")
    await harness.say(anna, "/menu")
    reply = await harness.say(anna, "helpt baclofen?")
    assert reply.text.startswith(harness.content.text("search_best", "nl"))
    async with db() as session:
        user = await session.get(User, 9101)
        assert user is not None and user.timezone == "Europe/Amsterdam"


async def test_a_command_after_the_note_prompt_keeps_the_question_out_of_the_notes(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9102, "nl")
    note = await at_the_note(harness, anna)
    assert note.button_texts == ["Overslaan", "⬅️ Terug", "✋ Stoppen"]
    await harness.say(anna, "/menu")
    reply = await harness.say(anna, "wat is de MS-hug")
    assert reply.text.startswith(harness.content.text("search_best", "nl"))
    assert await notes(db, 9102) == [None]


async def test_a_button_tap_after_the_note_prompt_also_ends_it(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9103, "nl")
    await at_the_note(harness, anna)
    menu = await harness.say(anna, "/menu")
    await harness.tap(anna, menu, harness.content.topics["what"].title["nl"])
    await harness.say(anna, "baclofen")
    assert await notes(db, 9103) == [None]


async def test_the_note_prompt_expires_after_a_quarter_of_an_hour(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9104, "nl")
    await at_the_note(harness, anna)
    harness.clock.set(harness.clock.now + timedelta(minutes=16))
    reply = await harness.say(anna, "baclofen")
    assert reply.text.startswith(harness.content.text("search_best", "nl"))
    assert await notes(db, 9104) == [None]


async def test_a_note_typed_while_the_database_is_down_can_be_sent_again(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9105, "nl")
    await at_the_note(harness, anna)
    services = services_of(harness.application)
    working = services.sessionmaker
    down = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/down")
    services.sessionmaker = create_sessionmaker(down)
    try:
        apology = await harness.say(anna, "Slecht geslapen")
    finally:
        services.sessionmaker = working
        await down.dispose()
    assert apology.text.startswith(harness.content.text("something_went_wrong", "nl"))
    thanks = await harness.say(anna, "Slecht geslapen")
    assert thanks.text.startswith("✅ Dank je!")
    assert await notes(db, 9105) == ["Slecht geslapen"]


async def test_after_a_typed_note_the_skip_button_is_gone(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9106, "nl")
    note = await at_the_note(harness, anna)
    thanks = await harness.say(anna, "Lange wandeling")
    assert thanks.text.startswith("✅ Dank je!")
    assert harness.message(anna.id, note.message_id).button_texts == []
    assert await notes(db, 9106) == ["Lange wandeling"]
