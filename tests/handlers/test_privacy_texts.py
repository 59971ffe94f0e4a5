"""Issue 14: the privacy texts are true — what is stored, who can see it, and deleting
months of diary is never one accidental tap."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.content.operator import for_operator
from devtools.fakeapi import FakeUser
from tests.auxil.checkins import checkins, consented
from tests.auxil.harness import BotHarness


async def test_start_says_what_is_stored_and_by_whom(harness: BotHarness) -> None:
    anna, john = harness.user(7101, "nl"), harness.user(7102, "en")
    welcome = await harness.start(anna)
    assert "Telegram-ID (een nummer van Telegram, niet je telefoonnummer)" in welcome.text
    for stored in ("welke tips ik je stuurde", "👍 of 👎", "voor het eerst en het laatst"):
        assert stored in welcome.text
    assert "MS-vereniging Test, de organisatie die deze bot beheert" in welcome.text
    assert "via Telegram" in welcome.text and "Je check-ins bewaar ik ook" not in welcome.text
    english = await harness.start(john)
    assert "not your phone number" in english.text and "MS-vereniging Test" in english.text


async def test_start_mentions_check_ins_once_they_are_stored(harness: BotHarness) -> None:
    anna = harness.user(7103, "nl")
    level = await consented(harness, anna)
    await harness.taps(anna, level, "5")
    again = await harness.say(anna, "/start")
    assert "Je check-ins bewaar ik ook, omdat je daar toestemming voor gaf." in again.text


async def test_privacy_names_the_operator_the_contact_and_how_long(harness: BotHarness) -> None:
    anna = harness.user(7104, "nl")
    await harness.start(anna)
    privacy = await harness.say(anna, "/privacy")
    assert "De bot werkt ook helemaal zonder check-ins." in privacy.text
    assert "In de database van MS-vereniging Test" in privacy.text
    assert "Vragen? privacy@test.invalid" in privacy.text
    assert "Hoe lang? Tot je ze wist." in privacy.text
    assert privacy.button_texts == ["✅ Ik ga akkoord", "Nee, liever niet"]


async def test_stopping_check_ins_asks_first_and_points_to_export(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(7105, "nl")
    level = await consented(harness, anna)
    await harness.taps(anna, level, "5")
    status = await harness.say(anna, "/privacy")
    assert status.button_texts == ["🗑 Stoppen en check-ins wissen"]
    asked = (await harness.tap(anna, status, "🗑 Stoppen en check-ins wissen")).screen
    assert "Dan wis ik je 1 check-in." in asked.text and "eerst /export" in asked.text
    assert asked.button_texts == ["🗑 Ja, stop en wis", "Nee, doorgaan"]
    kept = (await harness.tap(anna, asked, "Nee, doorgaan")).screen
    assert "Je gaf toestemming op" in kept.text and len(await checkins(db, 7105)) == 1
    again = (await harness.tap(anna, kept, "🗑 Stoppen en check-ins wissen")).screen
    gone = await harness.tap(anna, again, "🗑 Ja, stop en wis")
    assert gone.screen.text.startswith("Je toestemming is ingetrokken en al je check-ins")
    assert await checkins(db, 7105) == []


async def test_stopping_without_any_check_in_needs_no_question(harness: BotHarness) -> None:
    john = harness.user(7106, "en")
    await consented_in_english(harness, john)
    status = await harness.say(john, "/privacy")
    done = await harness.tap(john, status, "🗑 Stop and delete check-ins")
    assert done.screen.text.startswith("Your consent is withdrawn")


async def consented_in_english(harness: BotHarness, user: FakeUser) -> None:
    await harness.start(user)
    ask = await harness.say(user, "/privacy")
    await harness.tap(user, ask, "✅ I agree")


def test_retention_is_stated_and_a_new_operator_asks_again(content: Content) -> None:
    kept = for_operator(content, "Vereniging A", "a@example.invalid", 30)
    assert "Hoe lang?</b> 30 dagen, of korter als je ze eerder wist." in kept.text(
        "privacy_text", "nl"
    )
    assert "<b>How long?</b> 30 days" in kept.text("privacy_text", "en")
    other = for_operator(content, "Vereniging B", "a@example.invalid", 30)
    assert kept.privacy_version != other.privacy_version


def test_operator_details_are_shown_as_written_not_as_markup(content: Content) -> None:
    odd = for_operator(content, "Stichting <MS> & {Co}", "tel. 010-1234567", None)
    text = odd.text("privacy_text", "nl")
    assert "Stichting &lt;MS&gt; &amp; {Co}" in text and "tel. 010-1234567" in text
