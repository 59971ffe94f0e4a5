"""/instellingen end to end: every change is stored at once and shown on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Preferences, User
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.harness import BotHarness


async def prefs_of(db: async_sessionmaker[AsyncSession], user_id: int) -> Preferences:
    async with db() as session:
        prefs = await session.get(Preferences, user_id)
        assert prefs is not None
        return prefs


async def open_settings(harness: BotHarness, user: FakeUser) -> BotMessage:
    await harness.start(user)
    page = await harness.say(user, "/instellingen")
    assert page.text.startswith("⚙️ Instellingen")
    assert "Dagelijkse tip: uit" in page.text
    return page


async def test_turning_tips_on_and_picking_a_time(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6001, "nl")
    page = await open_settings(harness, anna)
    tapped = await harness.tap(anna, page, "⬜ 🔔 Dagelijkse tip")
    page = tapped.screen
    assert page.text.startswith("✅ Opgeslagen") and "Dagelijkse tip: aan" in page.text
    assert page.text.count("Opgeslagen") == 1 and not tapped.notice  # once, not also a toast
    assert (
        "✅ 🔔 Dagelijkse tip" in page.button_texts and "⬜ 🔇 Zonder geluid" in page.button_texts
    )
    morning = harness.content.text("part_morning", "nl")
    page = await harness.taps(anna, page, "⏰ Tijd", morning, "07:00")
    assert page.button_texts[:4] == ["07:00", "07:15", "07:30", "07:45"]
    page = await harness.taps(anna, page, "07:30")
    assert "Tijd: 07:30" in page.text
    prefs = await prefs_of(db, 6001)
    assert prefs.tip_minute == 7 * 60 + 30
    assert prefs.next_tip_at == datetime(2026, 11, 27, 6, 30, tzinfo=UTC)  # tomorrow 07:30 CET


async def test_days_presets_and_single_days(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6002, "nl")
    page = await open_settings(harness, anna)
    page = await harness.taps(anna, page, "📅 Dagen")
    assert page.button_texts[:3] == ["✅ elke dag", "werkdagen", "weekend"]
    page = await harness.taps(anna, page, "werkdagen")
    assert "Dagen: werkdagen" in page.text
    page = await harness.taps(anna, page, "📅 Dagen")
    assert page.button_texts[:3] == ["elke dag", "✅ werkdagen", "weekend"]
    page = await harness.taps(anna, page, "⬅️ Instellingen")
    page = await harness.taps(anna, page, "📅 Dagen", "✏️ Zelf dagen kiezen", "✅ wo")
    assert "⬜ wo" in page.button_texts and "✅ ma" in page.button_texts
    assert (await prefs_of(db, 6002)).tip_days == 0b0011011  # Mon, Tue, Thu, Fri


async def test_subjects_toggle(harness: BotHarness, db: async_sessionmaker[AsyncSession]) -> None:
    anna = harness.user(6003, "en")
    page = await harness.taps(anna, await harness.say(anna, "/settings"), "🏷 Subjects")
    page = await harness.taps(anna, page, "✅ 🌙 Nights and sleep")
    assert "⬜ 🌙 Nights and sleep" in page.button_texts
    assert (await prefs_of(db, 6003)).tip_tags_off == {"night"}


async def test_time_zones_from_the_list_and_typed(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6004, "nl")
    page = await open_settings(harness, anna)
    page = await harness.taps(anna, page, "🌍 Tijdzone")
    assert page.button_texts[:6] == [
        "✅ Amsterdam",
        "Brussel",
        "Londen",
        "Berlijn",
        "Paramaribo",
        "Curaçao",
    ]  # city names, not codes
    page = await harness.taps(anna, page, "Londen")
    assert "Tijdzone: Londen" in page.text
    page = await harness.taps(anna, page, "🌍 Tijdzone", "⌨️ Zelf typen")
    assert page.text.startswith("Typ de naam van je stad of land")
    unknown = await harness.say(anna, "Mars/Base")
    assert unknown.text.startswith("Die plaats ken ik niet.")
    which = await harness.say(anna, "Spanje")
    assert which.text.startswith("Welke bedoel je?")
    assert {"Madrid", "Canarische Eilanden", "Ceuta"} <= set(which.button_texts)
    saved = (await harness.tap(anna, which, "Canarische Eilanden")).screen
    assert "Tijdzone: Canarische Eilanden" in saved.text
    page = await harness.taps(anna, saved, "🌍 Tijdzone", "⌨️ Zelf typen")
    many = await harness.say(anna, "Verenigde Staten")
    assert many.text.startswith("Dat land heeft veel tijdzones.")
    saved = await harness.say(anna, "Lisabon")  # a typo
    assert "Tijdzone: Lissabon" in saved.text
    async with db() as session:
        user = await session.get(User, 6004)
        assert user is not None and user.timezone == "Europe/Lisbon"
    # The next question is a question again, not a time zone.
    reply = await harness.say(anna, "baclofen")
    assert reply.text.startswith(harness.content.text("search_best", "nl"))


async def test_pause_shows_until_when_and_resumes_by_itself(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6005, "nl")
    page = await open_settings(harness, anna)
    page = await harness.taps(anna, page, "⬜ 🔔 Dagelijkse tip", "⏸ Pauze", "3 dagen")
    assert "Tips staan op pauze tot en met 28 november" in page.text
    assert "▶️ Weer starten" in page.button_texts
    assert (await prefs_of(db, 6005)).paused_until == date(2026, 11, 29)
    for day in (27, 28):
        assert (await harness.tick_at(datetime(2026, 11, day, 8, 0, tzinfo=UTC))).sent == 0
    assert (await harness.tick_at(datetime(2026, 11, 29, 8, 0, tzinfo=UTC))).sent == 1
    page = await harness.taps(anna, page, "▶️ Weer starten")
    assert "pauze" not in page.text


async def test_forged_settings_buttons_change_nothing(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6006, "nl")
    page = await harness.taps(anna, await open_settings(harness, anna), "⬜ 🔔 Dagelijkse tip")
    before = await prefs_of(db, 6006)
    forged = (
        "1|st|tips|1500",  # past midnight
        "1|sz|mars__base",  # a zone that is not on the list
        "1|pm|tips|99",  # an hour that does not exist
        "1|sw|tips|maybe",
        "1|sg|sport",  # a subject that does not exist
        "1|s|time|0900",  # the settings button of an earlier version
    )
    for data in forged:
        tapped = await harness.tap(anna, page, "", data=data)
        assert tapped.notice == harness.content.text("stale_button", "nl")
        page = tapped.screen
    after = await prefs_of(db, 6006)
    assert (after.tip_minute, after.tips_enabled) == (before.tip_minute, before.tips_enabled)


async def test_back_in_the_time_picker_goes_one_step(harness: BotHarness) -> None:
    anna = harness.user(6010, "nl")
    page = await open_settings(harness, anna)
    evening = harness.content.text("part_evening", "nl")
    minutes = await harness.taps(anna, page, "⏰ Tijd", evening, "21:00")
    assert minutes.text == harness.content.text("settings_pick_minute", "nl")
    hours = await harness.taps(anna, minutes, "⬅️ Terug")
    assert hours.text == harness.content.text("settings_pick_hour", "nl")
    assert "21:00" in hours.button_texts
    parts = await harness.taps(anna, hours, "⬅️ Terug")
    assert parts.text == harness.content.text("settings_pick_part", "nl")
    main = await harness.taps(anna, parts, "⬅️ Instellingen")
    assert main.text.startswith("⚙️ Instellingen")


async def test_a_one_day_pause_in_the_evening_skips_tomorrows_tip(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(6011, "nl")
    harness.clock.set(datetime(2026, 11, 26, 20, 9, tzinfo=UTC))  # 21:09 in Amsterdam
    page = await open_settings(harness, anna)
    page = await harness.taps(anna, page, "⬜ 🔔 Dagelijkse tip", "⏸ Pauze")
    page = await harness.taps(anna, page, page.button_texts[0])  # one day
    assert "Tips staan op pauze tot en met 27 november." in page.text
    assert (await prefs_of(db, 6011)).paused_until == date(2026, 11, 28)
