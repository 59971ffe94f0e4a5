"""/afspraak end to end with the fake clock: set by buttons and by typing, the reminder
at the user's tip time and only once, questions typed in reply (in the PDF), the
day-after note, move, cancel, delete, and consent first."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.html_check import plain_text
from bot.db.models import Appointment, Delivery, Preferences
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.checkins import checkins
from tests.auxil.harness import BotHarness

START = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # Thursday 08:00 in Amsterdam
REMINDER = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # Saturday 09:00: 3 days before Tue 1 Dec
DAY_AFTER = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # Wednesday 09:00


async def agreed(harness: BotHarness, user: FakeUser) -> None:
    harness.clock.set(START)
    await harness.start(user)
    ask = await harness.say(user, "/privacy")
    await harness.tap(user, ask, "✅ Ik ga akkoord")


async def tuesday_with_the_neurologist(harness: BotHarness, user: FakeUser) -> BotMessage:
    """Consent, then /afspraak → Volgende week → di 01-12 → Neuroloog."""
    await agreed(harness, user)
    weeks = await harness.say(user, "/afspraak")
    return await harness.taps(user, weeks, "Volgende week", "di 01-12", "Neuroloog")


async def stored(db: async_sessionmaker[AsyncSession], user_id: int) -> Appointment | None:
    async with db() as session:
        return await session.get(Appointment, user_id)


def newest(harness: BotHarness, user: FakeUser) -> BotMessage:
    return harness.fake.last_message(user.id)


async def test_set_by_buttons_with_back_on_every_step(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8301, "nl")
    await agreed(harness, anna)
    weeks = await harness.say(anna, "/afspraak")
    assert weeks.text.startswith("📅 Wanneer is je volgende afspraak?")
    assert weeks.button_texts == [
        *("Deze week", "Volgende week", "Over 2 weken", "Over 3 weken", "Over 4 weken"),
        *("⌨️ Typ een datum", "🏠 Hoofdmenu"),
    ]
    this_week = await harness.taps(anna, weeks, "Deze week")
    assert this_week.button_texts[:3] == ["vr 27-11", "za 28-11", "zo 29-11"]  # from tomorrow
    back = await harness.taps(anna, this_week, "⬅️ Terug")
    assert back.text.startswith("📅 Wanneer is je volgende afspraak?")
    days = await harness.taps(anna, back, "Volgende week")
    assert days.button_texts[:7] == [
        *("ma 30-11", "di 01-12", "wo 02-12", "do 03-12", "vr 04-12", "za 05-12", "zo 06-12")
    ]
    who = await harness.taps(anna, days, "di 01-12")
    assert who.text == "👤 Met wie is de afspraak?\nOp dinsdag 1 december."
    assert who.button_texts[:5] == [
        *("Neuroloog", "MS-verpleegkundige", "Revalidatiearts", "Fysiotherapeut", "Huisarts")
    ]
    again = await harness.taps(anna, who, "⬅️ Terug")
    assert "di 01-12" in again.button_texts  # back to the days of that week
    saved = await harness.taps(anna, again, "di 01-12", "Neuroloog")
    assert saved.text.startswith(
        "✅ Je afspraak staat erin.\ndinsdag 1 december, met je neuroloog."
    )
    assert "Ik stuur je een herinnering op zaterdag 28 november om 09:00." in saved.text
    assert saved.button_texts[:5] == [
        *("📅 Verplaatsen", "❌ Afzeggen"),
        *("1 dag ervoor", "✅ 3 dagen ervoor", "7 dagen ervoor"),
    ]
    seven = await harness.taps(anna, saved, "7 dagen ervoor")
    assert "✅ 7 dagen ervoor" in seven.button_texts
    # 24 November has passed: the next tip time before the day instead
    assert "herinnering op donderdag 26 november om 09:00" in seven.text
    one = await harness.taps(anna, seven, "1 dag ervoor")
    assert "herinnering op maandag 30 november om 09:00" in one.text
    row = await stored(db, 8301)
    assert row is not None and (row.day, row.with_whom, row.remind_days) == (
        date(2026, 12, 1),
        "neurologist",
        1,
    )
    assert row.reminder_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert row.after_at == DAY_AFTER
    shown = await harness.say(anna, "/afspraak")
    assert shown.text.startswith("📅 Je volgende afspraak\ndinsdag 1 december, met je neuroloog.")


async def test_set_by_typing_a_date(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    emma = harness.user(8302, "en")
    harness.clock.set(START)
    await harness.start(emma)
    consent = await harness.say(emma, "/appointment")  # no consent yet: asked first
    assert "✅ I agree" in consent.button_texts
    weeks = (await harness.tap(emma, consent, "✅ I agree")).screen
    assert weeks.text.startswith("📅 When is your next appointment?")
    prompt = await harness.taps(emma, weeks, "⌨️ Type a date")
    assert prompt.text.startswith("⌨️ Type the date of your appointment.")
    unreadable = await harness.say(emma, "some day")
    assert unreadable.text.startswith("I cannot read that date.")
    who = await harness.say(emma, "12 January")
    assert who.text == "👤 Who is the appointment with?\nOn Tuesday 12 January."
    saved = await harness.taps(emma, who, "MS nurse")
    assert "Tuesday 12 January, with your MS nurse." in saved.text
    assert "I will send you a reminder on Saturday 9 January at 09:00." in saved.text
    row = await stored(db, 8302)
    assert row is not None and row.day == date(2027, 1, 12) and row.with_whom == "ms_nurse"


async def test_no_consent_no_appointment(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    bert = harness.user(8303, "nl")
    harness.clock.set(START)
    await harness.start(bert)
    ask = await harness.say(bert, "/afspraak")
    assert ask.button_texts == ["✅ Ik ga akkoord", "Nee, liever niet"]
    forged = await harness.fake.tap_data(bert, ask.message_id, "1|aq|20261201|gp")
    await harness.fake.until_answered(forged)
    assert await stored(db, 8303) is None


async def test_the_reminder_comes_once_at_the_tip_time_and_takes_questions(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8304, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    assert (await harness.tick_at(REMINDER - timedelta(minutes=1))).sent == 0
    assert (await harness.tick_at(REMINDER)).sent == 1
    reminder = newest(harness, anna)
    assert reminder.text.startswith(
        "📅 Over 3 dagen: je afspraak\ndinsdag 1 december, met je neuroloog."
    )
    assert "Wat wil je bespreken?" in reminder.text
    assert reminder.button_texts == [
        *("📈 Mijn overzicht", "📄 Bestanden voor mijn arts", "Overslaan"),
        *("📅 Verplaatsen", "❌ Afzeggen"),
    ]
    assert (await harness.tick_at(REMINDER + timedelta(minutes=5))).sent == 0
    first = await harness.say(anna, "Mag mijn baclofen omhoog?")
    assert first.text.startswith("✅ Bewaard: Mag mijn baclofen omhoog?")
    assert "Nog een vraag? Typ hem, of tik op Klaar." in first.text
    await harness.say(anna, "Wat kan ik doen tegen kramp in de nacht?")
    long_question = "Helpt fysiotherapie " + "echt " * 60
    third = await harness.say(anna, long_question)
    assert "Je hebt nu 3 vragen." in third.text
    row = await stored(db, 8304)
    assert row is not None and row.questions is not None and row.asking is None
    questions = json.loads(row.questions)
    assert questions[:2] == [
        "Mag mijn baclofen omhoog?",
        "Wat kan ik doen tegen kramp in de nacht?",
    ]
    assert len(questions[2]) <= 200
    async with db() as session:  # stored encrypted
        raw = await session.scalar(text("SELECT questions FROM appointments WHERE user_id = 8304"))
    assert raw is not None and "baclofen" not in raw
    after = await harness.say(anna, "helpt baclofen?")  # a fourth is a search again
    assert not after.text.startswith("✅ Bewaard")
    async with db() as session:
        [delivery] = [
            d
            for d in (await session.execute(text("SELECT kind, status FROM deliveries"))).all()
            if d[0] == "appointment"
        ]
    assert delivery[1] == "sent"


async def test_the_pdf_prints_my_questions_on_page_one(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8305, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    level = await harness.say(anna, "/checkin")
    await harness.taps(anna, level, "4", "Nee", "Geen van deze", "Overslaan")
    shown = await harness.say(anna, "/afspraak")
    prompt = await harness.taps(anna, shown, "✍️ Vraag typen")
    assert prompt.text.startswith("✍️ Typ je vraag voor de afspraak")
    await harness.say(anna, "Kan ik beter 's avonds rekken?")
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/export")
    first = await harness.fake.wait_for_call("sendDocument", after=mark)
    call = await harness.fake.wait_for_call(
        "sendDocument", after=harness.fake.calls.index(first) + 1
    )
    message = harness.message(anna.id, int(call.result["message_id"]))
    assert message.document is not None
    page_one = " ".join(
        PdfReader(io.BytesIO(message.document.data)).pages[0].extract_text().split()
    )
    assert "Mijn vragen" in page_one
    assert "Voor de afspraak van 1 december 2026 met mijn neuroloog:" in page_one
    assert "Kan ik beter 's avonds rekken?" in page_one


async def test_the_overview_names_the_next_appointment(harness: BotHarness) -> None:
    anna = harness.user(8306, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    level = await harness.say(anna, "/checkin")
    await harness.taps(anna, level, "4", "Nee", "Geen van deze", "Overslaan")
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/overzicht")
    call = await harness.fake.wait_for_call("sendPhoto", after=mark)
    photo = harness.message(anna.id, int(call.result["message_id"]))
    assert "📅 Volgende afspraak: dinsdag 1 december (neuroloog)" in (photo.caption or "")
    assert photo.button_texts == ["📄 Bestanden voor mijn arts", "📅 Afspraak", "🏠 Hoofdmenu"]


async def test_the_day_after_stores_a_note_after_the_one_there(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8307, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    await harness.tick_at(REMINDER)
    skipped = await harness.tap(anna, newest(harness, anna), "Overslaan")
    assert skipped.screen.text.startswith("📅 Over 3 dagen: je afspraak")  # still there
    assert "Overslaan" not in skipped.screen.button_texts
    assert "📅 Verplaatsen" in skipped.screen.button_texts
    async with db() as session:
        assert (await session.get(Appointment, 8307)) is not None
    harness.clock.set(datetime(2026, 12, 1, 18, 0, tzinfo=UTC))  # the appointment's evening
    note = await harness.taps(
        anna, await harness.say(anna, "/checkin"), "5", "Nee", "Geen van deze"
    )
    assert note.text.startswith("📝 Check-in van 1 december")
    await harness.say(anna, "moe")
    assert (await harness.tick_at(DAY_AFTER - timedelta(minutes=1))).sent == 0
    assert (await harness.tick_at(DAY_AFTER)).sent == 1
    asked = newest(harness, anna)
    assert asked.text.startswith("📅 Gisteren had je een afspraak met je neuroloog.")
    assert "Wil je iets onthouden van de afspraak?" in asked.text
    assert asked.button_texts == ["Overslaan"]
    saved = await harness.say(anna, "Over 3 maanden terug, rekoefeningen elke dag")
    assert saved.text.startswith("✅ Bewaard als notitie bij 1 december.")
    [row] = [c for c in await checkins(db, 8307) if c.local_date == date(2026, 12, 1)]
    assert row.note == "moe\nOver 3 maanden terug, rekoefeningen elke dag"
    assert await stored(db, 8307) is None  # the appointment is over
    assert (await harness.tick_at(DAY_AFTER + timedelta(days=1))).sent == 0


async def test_move_and_cancel_from_the_reminder(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8308, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    await harness.tick_at(REMINDER)
    reminder = newest(harness, anna)
    weeks = await harness.taps(anna, reminder, "📅 Verplaatsen")
    assert weeks.text.startswith("📅 Wanneer is je volgende afspraak?")
    moved = await harness.taps(anna, weeks, "Over 2 weken", "do 10-12", "Huisarts")
    assert moved.text.startswith(
        "✅ Je afspraak staat erin.\ndonderdag 10 december, met je huisarts."
    )
    assert "herinnering op maandag 7 december om 09:00" in moved.text
    assert (await harness.tick_at(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))).sent == 1
    again = newest(harness, anna)
    assert again.text.startswith("📅 Over 3 dagen: je afspraak\ndonderdag 10 december")
    cancelled = await harness.taps(anna, again, "❌ Afzeggen")
    assert cancelled.text.startswith("Je afspraak is afgezegd.")
    assert cancelled.button_texts == ["📅 Nieuwe afspraak", "🏠 Hoofdmenu"]
    assert await stored(db, 8308) is None
    assert (await harness.tick_at(datetime(2026, 12, 11, 8, 0, tzinfo=UTC))).sent == 0
    weeks = await harness.say(anna, "/afspraak")
    assert weeks.text.startswith("📅 Wanneer is je volgende afspraak?")


async def test_withdrawing_consent_deletes_the_appointment(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8309, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    assert await stored(db, 8309) is not None
    status = await harness.say(anna, "/privacy")
    await harness.tap(anna, status, "🗑 Stoppen en check-ins wissen")
    assert await stored(db, 8309) is None
    report = await harness.tick_at(REMINDER)
    assert report.sent == 0


async def test_no_reminder_without_consent_and_a_crash_resumes_it(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna, bert = harness.user(8310, "nl"), harness.user(8311, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    await tuesday_with_the_neurologist(harness, bert)
    async with db.begin() as session:  # Bert's consent is for an older privacy text
        await session.execute(text("UPDATE consents SET text_version = 'old' WHERE user_id = 8311"))
    # a run claimed Anna's reminder and died before sending it
    async with db.begin() as session:
        session.add(
            Delivery(
                user_id=8310,
                kind="appointment",
                local_date=date(2026, 11, 28),
                due_at=REMINDER,
                status="claimed",
                claimed_at=REMINDER - timedelta(minutes=10),
            )
        )
        await session.execute(
            text("UPDATE appointments SET reminder_at = NULL WHERE user_id = 8310")
        )
    report = await harness.tick_at(REMINDER + timedelta(minutes=1))
    assert (report.resumed, report.sent, report.skipped) == (1, 1, 1)
    assert newest(harness, anna).text.startswith("📅 Over 3 dagen: je afspraak")


async def test_a_question_that_may_mean_danger_gets_the_urgent_help_first(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8312, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    await harness.tick_at(REMINDER)
    reply = await harness.say(anna, "sinds gisteren hoge koorts")
    urgent = plain_text(harness.content.text("urgent_same_day", "nl"))
    assert reply.text.startswith(urgent)
    assert "✅ Bewaard: sinds gisteren hoge koorts" in reply.text
    row = await stored(db, 8312)
    assert row is not None and json.loads(row.questions or "[]") == ["sinds gisteren hoge koorts"]


async def test_an_appointment_does_not_count_as_an_answer_to_the_tip_offer(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    """Setting an appointment makes no settings row: /start still offers the daily tip
    to someone who never answered it, and the reminder still comes at 09:00."""
    anna = harness.user(6090, "nl")
    await tuesday_with_the_neurologist(harness, anna)
    async with db() as session:
        assert await session.get(Preferences, 6090) is None
    welcome, offer = await harness.say_many(anna, "/start", 2)
    assert welcome.text.startswith("Hallo Anna!")
    assert offer.text == harness.content.text("tip_offer", "nl")
    report = await harness.tick_at(REMINDER)
    assert report.sent == 1
