"""Check-ins end to end: consent first, a few taps, stored per day, forged data refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Consent
from tests.auxil.checkins import checkins, consented
from tests.auxil.harness import BotHarness

TODAY = date(2026, 11, 26)  # the fake clock's day in Amsterdam


async def test_no_consent_no_check_in_and_nothing_stored(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8001, "nl")
    await harness.start(anna)
    ask = await harness.say(anna, "/checkin")
    assert ask.button_texts == ["✅ Ik ga akkoord", "Nee, liever niet"]
    declined = await harness.tap(anna, ask, "Nee, liever niet")
    assert declined.screen.text.startswith("Oké. Ik bewaar geen check-ins.")
    async with db() as session:
        assert await session.get(Consent, 8001) is None
    assert await checkins(db, 8001) == []


async def test_the_whole_check_in_in_a_few_taps(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8002, "nl")
    level = await consented(harness, anna)
    assert level.text.startswith("📝 Check-in van 26 november · stap 1 van 4")
    assert level.button_texts == [*(str(n) for n in range(11)), "✋ Stoppen"]
    assert [len(row) for row in level.buttons] == [4, 4, 3, 1]  # big targets
    assert "in de afgelopen 24 uur" in level.text
    assert "0 = geen stijfheid of spasmen, 10 = het ergste" in level.text
    night = await harness.taps(anna, level, "5")
    assert night.text.startswith("📝 Check-in van 26 november · stap 2 van 4")
    assert "Je koos 5." in night.text
    assert "in de nacht van woensdag op donderdag" in night.text
    assert night.button_texts == ["Ja", "Nee", "⬅️ Terug", "✋ Stoppen"]
    triggers = await harness.taps(anna, night, "Ja")
    triggers = await harness.taps(anna, triggers, "⬜ 🤒 Koorts", "⬜ 👖 Strakke kleding")
    assert "✅ 👖 Strakke kleding" in triggers.button_texts
    triggers = await harness.taps(anna, triggers, "✅ 🤒 Koorts")  # untick
    assert "⬜ 🤒 Koorts" in triggers.button_texts
    assert triggers.text.startswith("📝 Check-in van 26 november · stap 3 van 4")
    assert "Je koos 5. nacht: ja." in triggers.text
    note = await harness.taps(anna, triggers, "➡️ Klaar")
    assert note.text.startswith("📝 Check-in van 26 november · stap 4 van 4")
    assert "Gekozen: 👖 Strakke kleding." in note.text
    assert note.button_texts == ["Overslaan", "⬅️ Terug", "✋ Stoppen"]
    thanks = await harness.say(anna, "Lange wandeling gemaakt")
    assert thanks.text.startswith(
        "✅ Dank je! Je check-in voor 26 november is opgeslagen: niveau 5."
    )
    assert "Lossere kleding kan helpen." in thanks.text
    assert "huisarts" not in thanks.text
    assert thanks.button_texts == ["👖 Strakke kleding"]
    [row] = await checkins(db, 8002)
    assert (row.local_date, row.nrs, row.night, row.triggers, row.note) == (
        TODAY,
        5,
        True,
        frozenset({"tight_clothes"}),
        "Lange wandeling gemaakt",
    )


async def test_fever_infection_or_relapse_get_the_gp_advice(harness: BotHarness) -> None:
    emma = harness.user(8003, "en")
    await harness.start(emma)
    ask = await harness.say(emma, "/checkin")
    level = (await harness.tap(emma, ask, "✅ I agree")).screen
    infection = "⬜ 🦠 Ill / infection (e.g. bladder)"
    screen = await harness.taps(emma, level, "8", "No", infection, "➡️ Done", "Skip")
    assert screen.text.count("⚠️") == 1
    assert "Do you think you have a fever, an infection or a relapse?" in screen.text
    assert "contact your GP or MS nurse today" in screen.text
    assert "Outside office hours, call the huisartsenpost" in screen.text
    assert "An infection, such as a bladder infection, can set off spasms." in screen.text


async def test_answering_twice_a_day_updates_the_one_record(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8004, "nl")
    level = await consented(harness, anna)
    await harness.taps(anna, level, "3", "Nee", "Geen van deze", "Overslaan")
    again = await harness.say(anna, "/checkin")
    assert (
        "Je hebt voor deze dag al ingecheckt. Bewaard: niveau 3, nacht: nee, triggers: geen."
        in (again.text)
    )
    await harness.taps(anna, again, "7", "Ja", "➡️ Klaar")
    await harness.say(anna, "eerste notitie")
    third = await harness.say(anna, "/checkin")
    assert "Bewaard: niveau 7, nacht: ja, triggers: geen, een notitie." in third.text
    note = await harness.taps(anna, third, "8", "Ja", "➡️ Klaar")
    assert "Er staat al een notitie voor deze dag." in note.text
    await harness.taps(anna, note, "Overslaan")
    [row] = await checkins(db, 8004)
    assert (row.nrs, row.night, row.note) == (8, True, "eerste notitie")


async def test_a_double_tap_stores_one_answer(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8005, "nl")
    level = await consented(harness, anna)
    await harness.tap(anna, level, "", data="1|cl|20261126|4")
    await harness.tap(anna, level, "", data="1|cl|20261126|4")
    [row] = await checkins(db, 8005)
    assert row.nrs == 4


async def test_forged_check_in_buttons_are_refused(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna, bram = harness.user(8006, "nl"), harness.user(8007, "nl")
    level = await consented(harness, anna)
    forged = (
        "1|cl|20261126|11",  # a level above 10
        "1|ct|20261126|sunburn",  # a trigger that does not exist
        "1|cl|20261127|5",  # tomorrow
        "1|cl|2026xx26|5",
        "1|cl|99999999999999999999|5",  # a day number that does not fit in a date
        "1|mw|20261126|maybe",
    )
    for data in forged:
        tapped = await harness.tap(anna, level, "", data=data)
        assert tapped.notice == harness.content.text("stale_button", "nl")
    old = await harness.tap(anna, level, "", data="1|cl|20261026|5")  # a month ago: closed
    assert old.screen.text == harness.content.text("checkin_closed", "nl")
    # Bram replays Anna's button: it could only ever be about Bram, who gave no consent.
    await harness.start(bram)
    own = await harness.say(bram, "/menu")
    refused = await harness.tap(bram, own, "", data="1|cl|20261126|9")
    assert "Je check-ins en je privacy" in refused.screen.text
    assert await checkins(db, 8006) == [] and await checkins(db, 8007) == []


async def test_withdrawing_consent_deletes_check_ins_and_old_buttons_store_nothing(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8008, "nl")
    level = await consented(harness, anna)
    night = await harness.taps(anna, level, "6")
    assert len(await checkins(db, 8008)) == 1
    status = await harness.say(anna, "/privacy")
    assert "Je gaf toestemming op 26 november." in status.text
    asked = await harness.tap(anna, status, "🗑 Stoppen en check-ins wissen")
    assert await checkins(db, 8008) != []  # nothing goes before the user confirms
    withdrawn = await harness.tap(anna, asked.screen, "🗑 Ja, stop en wis")
    assert withdrawn.screen.text.startswith("Je toestemming is ingetrokken")
    assert await checkins(db, 8008) == []
    stale = await harness.tap(anna, night, "Ja")
    assert "Je check-ins en je privacy" in stale.screen.text
    assert await checkins(db, 8008) == []


async def test_a_changed_privacy_text_asks_again(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8009, "nl")
    await consented(harness, anna)
    async with db.begin() as session:
        await session.execute(update(Consent).values(text_version="old-version"))
    ask = await harness.say(anna, "/checkin")
    assert ask.text.startswith("De privacytekst is veranderd.")


async def test_a_too_long_note_keeps_its_first_part_and_says_where_it_was_cut(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8010, "nl")
    level = await consented(harness, anna)
    await harness.taps(anna, level, "2", "Nee", "➡️ Klaar")
    words = " ".join(f"woord{n}" for n in range(60))  # 469 characters
    thanks = await harness.say(anna, words)
    assert thanks.text.startswith("✅ Dank je!")
    [row] = await checkins(db, 8010)
    assert row.note is not None and words.startswith(row.note)
    assert row.note.endswith(" woord37") and len(row.note) == 293  # cut between words
    assert (
        f"✂️ Je notitie was {len(words)} tekens. Ik heb de eerste {len(row.note)} tekens "
        "bewaard, tot en met: “woord33 woord34 woord35 woord36 woord37”."
    ) in thanks.text


async def test_back_goes_one_step_and_stop_keeps_what_was_answered(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8011, "nl")
    level = await consented(harness, anna)
    triggers = await harness.taps(anna, level, "9", "Ja")
    night = await harness.taps(anna, triggers, "⬅️ Terug")
    assert "stap 2 van 4" in night.text and "Je koos 9." in night.text
    level = await harness.taps(anna, night, "⬅️ Terug")
    assert "stap 1 van 4" in level.text and "Bewaard: niveau 9, nacht: ja" in level.text
    night = await harness.taps(anna, level, "3")  # the mis-tap corrected
    stopped = await harness.taps(anna, night, "✋ Stoppen")
    assert stopped.text == (
        "✋ Gestopt. Dit blijft bewaard voor deze dag: niveau 3, nacht: ja, triggers: geen. "
        "Met /checkin ga je verder."
    )
    assert stopped.button_texts == []
    [row] = await checkins(db, 8011)
    assert (row.nrs, row.night) == (3, True)
    bram = harness.user(8012, "nl")
    first = await consented(harness, bram)
    nothing = await harness.taps(bram, first, "✋ Stoppen")
    assert nothing.text.startswith("✋ Gestopt. Er is niets bewaard.")
    assert await checkins(db, 8012) == []


async def test_back_to_a_night_step_the_check_in_no_longer_has_starts_at_the_level(
    harness: BotHarness,
) -> None:
    """Found by the fuzzer: with the morning question on, the evening check-in has no
    night step, and an older message's "Back" to it must not break."""
    anna = harness.user(8020, "nl")
    level = await consented(harness, anna)
    settings = await harness.say(anna, "/instellingen")
    page = (await harness.tap(anna, settings, "📝 Check-in")).screen
    await harness.tap(anna, page, "⬜ 🌅 Ochtendvraag")
    back = await harness.tap(anna, level, "", data="1|cb|20261126|night")
    assert "stap 1 van 3" in back.screen.text
