"""Scheduled evening check-ins: on time, skipped when done, "Later" once, and no nagging."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.checkins import checkins
from tests.auxil.harness import BotHarness

EIGHT_PM = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # 20:00 in Amsterdam


async def with_checkins_on(harness: BotHarness, user: FakeUser) -> None:
    """Consent given, and the evening check-in switched on in the settings."""
    harness.clock.set(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))
    await harness.start(user)
    ask = await harness.say(user, "/privacy")
    await harness.tap(user, ask, "✅ Ik ga akkoord")
    page = await harness.say(user, "/instellingen")
    page = await harness.taps(user, page, "📝 Check-in", "⬜ 📝 Avond-check-in")
    assert "Check-in: aan" in page.text and "Tijd: 20:00" in page.text


def newest(harness: BotHarness, user: FakeUser) -> BotMessage:
    return harness.fake.last_message(user.id)


async def test_the_check_in_arrives_at_eight_and_records(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8101, "nl")
    await with_checkins_on(harness, anna)
    assert (await harness.tick_at(EIGHT_PM - timedelta(minutes=1))).sent == 0
    assert (await harness.tick_at(EIGHT_PM)).sent == 1
    level = newest(harness, anna)
    assert level.text.startswith("📝 Check-in van 26 november")
    assert level.button_texts[-2:] == ["⏰ Later (over een uur)", "✋ Stoppen"]
    thanks = await harness.taps(anna, level, "4", "Nee", "Geen van deze", "Overslaan")
    assert "niveau 4" in thanks.text
    assert (await harness.tick_at(EIGHT_PM + timedelta(minutes=5))).sent == 0


async def test_no_check_in_when_already_done_that_day(harness: BotHarness) -> None:
    anna = harness.user(8102, "nl")
    await with_checkins_on(harness, anna)
    level = await harness.say(anna, "/checkin")
    await harness.taps(anna, level, "2", "Nee", "Geen van deze", "Overslaan")
    report = await harness.tick_at(EIGHT_PM)
    assert (report.sent, report.skipped) == (0, 1)


async def test_later_asks_again_after_an_hour_once(harness: BotHarness) -> None:
    anna = harness.user(8103, "nl")
    await with_checkins_on(harness, anna)
    await harness.tick_at(EIGHT_PM)
    first = newest(harness, anna)
    later = await harness.tap(anna, first, "⏰ Later (over een uur)")
    assert later.notice == "Oké, over een uur vraag ik het je nog een keer."
    assert (await harness.tick_at(EIGHT_PM + timedelta(minutes=30))).sent == 0
    assert (await harness.tick_at(EIGHT_PM + timedelta(hours=1, minutes=1))).sent == 1
    again = newest(harness, anna)
    assert again.text.startswith("📝 Check-in van 26 november")
    assert "⏰ Later (over een uur)" not in again.button_texts
    data = first.buttons[-2][0].callback_data  # "Later"; the last row is "Stop"
    assert data is not None
    replay = await harness.fake.tap_data(anna, first.message_id, data)  # an old copy of the button
    assert (await harness.fake.until_answered(replay))["text"] == "Uitstellen kan één keer per dag."


async def test_three_unanswered_check_ins_ask_once_to_stop(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8104, "nl")
    await with_checkins_on(harness, anna)
    for day in range(3):  # three evenings without an answer
        assert (await harness.tick_at(EIGHT_PM + timedelta(days=day))).sent == 1
    await harness.tick_at(EIGHT_PM + timedelta(days=3))
    question = newest(harness, anna)
    assert question.text.startswith("Je hebt de laatste drie check-ins niet ingevuld.")
    assert question.button_texts == ["⏸ Ja, stop ze", "Nee, ga door"]
    stopped = await harness.tap(anna, question, "⏸ Ja, stop ze")
    assert "Check-in: uit" in stopped.screen.text
    assert (await harness.tick_at(EIGHT_PM + timedelta(days=4))).sent == 0
    async with db() as session:
        prefs = await session.get(Preferences, 8104)
        assert prefs is not None and prefs.checkin_enabled is False


async def test_keep_going_is_not_asked_again_the_next_day(harness: BotHarness) -> None:
    anna = harness.user(8105, "nl")
    await with_checkins_on(harness, anna)
    for day in range(3):
        await harness.tick_at(EIGHT_PM + timedelta(days=day))
    await harness.tick_at(EIGHT_PM + timedelta(days=3))
    await harness.tap(anna, newest(harness, anna), "Nee, ga door")
    await harness.tick_at(EIGHT_PM + timedelta(days=4))
    assert newest(harness, anna).text.startswith("📝 Check-in van 30 november")


async def test_check_in_time_from_the_settings(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8106, "nl")
    await with_checkins_on(harness, anna)
    page = await harness.say(anna, "/instellingen")
    evening = harness.content.text("part_evening", "nl")
    page = await harness.taps(anna, page, "📝 Check-in", "⏰ Tijd", evening, "21:00", "21:30")
    assert "Tijd: 21:30" in page.text and page.text.startswith("✅ Opgeslagen")
    async with db() as session:
        prefs = await session.get(Preferences, 8106)
        assert prefs is not None and prefs.checkin_minute == 21 * 60 + 30
        assert prefs.next_checkin_at == datetime(2026, 11, 26, 20, 30, tzinfo=UTC)


async def test_the_morning_question_about_the_night(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8107, "nl")
    await with_checkins_on(harness, anna)
    page = await harness.say(anna, "/instellingen")
    page = await harness.taps(anna, page, "📝 Check-in", "⬜ 🌅 Ochtendvraag")
    assert "Ochtendvraag over de nacht: aan, om 08:00" in page.text
    eight_am = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    assert (await harness.tick_at(eight_am)).sent == 1
    question = newest(harness, anna)
    assert question.text.startswith("🌅 Goedemorgen!")
    assert "in de nacht van donderdag op vrijdag" in question.text
    level = await harness.taps(anna, question, "Ja")
    assert level.button_texts == [str(n) for n in range(11)]
    done = await harness.taps(anna, level, "7")
    assert done.text == "✅ Dank je, opgeslagen. Fijne dag!"
    [row] = await checkins(db, 8107)
    assert (row.local_date, row.night_woke, row.night_nrs, row.nrs) == (
        date(2026, 11, 27),
        True,
        7,
        None,
    )
    assert (await harness.tick_at(eight_am + timedelta(days=1))).sent == 1  # the next morning


async def test_no_scheduled_check_in_without_consent(harness: BotHarness) -> None:
    bram = harness.user(8108, "nl")
    harness.clock.set(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))
    await harness.start(bram)
    page = await harness.say(bram, "/instellingen")
    await harness.taps(bram, page, "📝 Check-in", "⬜ 📝 Avond-check-in")
    report = await harness.tick_at(EIGHT_PM)
    assert (report.sent, report.skipped) == (0, 1)
