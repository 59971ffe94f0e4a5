"""Issue 10: the name or initials on the doctor's report — optional, set in settings,
stored only with consent (encrypted, exported, deleted with it)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Consent
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.checkins import consented
from tests.auxil.harness import BotHarness


async def checkin_settings(harness: BotHarness, user: FakeUser) -> BotMessage:
    settings = await harness.say(user, "/instellingen")
    return (await harness.tap(user, settings, "📝 Check-in")).screen


async def report_text(harness: BotHarness, user: FakeUser) -> str:
    mark = len(harness.fake.calls)
    await harness.fake.send_text(user, "/export")
    first = await harness.fake.wait_for_call("sendDocument", after=mark)
    after = harness.fake.calls.index(first) + 1
    call = await harness.fake.wait_for_call("sendDocument", after=after)
    document = harness.message(user.id, int(call.result["message_id"])).document
    assert document is not None
    return PdfReader(io.BytesIO(document.data)).pages[0].extract_text()


async def stored_name(db: async_sessionmaker[AsyncSession], user_id: int) -> str | None:
    async with db() as session:
        consent = await session.get(Consent, user_id)
        return None if consent is None else consent.report_name


async def test_the_name_needs_consent_first(harness: BotHarness) -> None:
    bram = harness.user(9201, "nl")
    await harness.start(bram)
    page = await checkin_settings(harness, bram)
    asked = await harness.tap(bram, page, "📄 Naam op het verslag")
    assert "Je check-ins en je privacy" in asked.screen.text
    assert asked.screen.button_texts == ["✅ Ik ga akkoord", "Nee, liever niet"]


async def test_a_typed_name_goes_on_the_report_encrypted_and_can_be_cleared(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9202, "nl")
    level = await consented(harness, anna)
    await harness.taps(anna, level, "4")
    page = await checkin_settings(harness, anna)
    prompt = (await harness.tap(anna, page, "📄 Naam op het verslag")).screen
    assert "Nu: geen" in prompt.text and "hooguit 40 tekens" in prompt.text
    assert prompt.button_texts == ["🗑 Geen naam op het verslag", "⬅️ Terug"]
    saved = await harness.say(anna, "  Anna   de Vries  ")
    assert saved.text.startswith("✅ Opgeslagen. Op het verslag staat: Anna de Vries.")
    assert "📄 Naam op het verslag" in saved.button_texts  # back on the check-in settings
    assert await stored_name(db, 9202) == "Anna de Vries"
    async with db() as session:  # what the database holds is a token, not the name
        raw = await session.scalar(text("SELECT report_name FROM consents WHERE user_id = 9202"))
    assert raw is not None and "Anna" not in raw
    assert "Naam: Anna de Vries" in await report_text(harness, anna)
    prompt = (await harness.tap(anna, saved, "📄 Naam op het verslag")).screen
    assert "Nu: Anna de Vries" in prompt.text
    cleared = await harness.tap(anna, prompt, "🗑 Geen naam op het verslag")
    assert cleared.screen.text.startswith("✅ Opgeslagen. Er staat geen naam op het verslag.")
    assert await stored_name(db, 9202) is None
    assert "Naam:" not in await report_text(harness, anna)


async def test_a_long_name_is_cut_and_withdrawing_consent_deletes_it(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    john = harness.user(9203, "en")
    await harness.start(john)
    ask = await harness.say(john, "/privacy")
    await harness.tap(john, ask, "✅ I agree")
    page = await checkin_settings(harness, john)
    await harness.tap(john, page, "📄 Name on the report")
    await harness.say(john, "J" * 60)
    assert await stored_name(db, 9203) == "J" * 40
    status = await harness.say(john, "/privacy")
    await harness.tap(john, status, "🗑 Stop and delete check-ins")  # no check-ins: no question
    assert await stored_name(db, 9203) is None
