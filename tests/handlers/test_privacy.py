"""People own their data: /mijngegevens shows all of it, /verwijderen deletes all of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.services.personal_data import personal_tables
from devtools.fakeapi import FakeUser
from tests.auxil.harness import BotHarness


async def a_user_with_history(harness: BotHarness, user: FakeUser) -> None:
    """Tips on, one scheduled tip received and rated 👍, a check-in and an appointment:
    a row in every table."""
    harness.clock.set(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))  # before 09:00 Amsterdam
    await harness.start(user)
    offer = harness.fake.last_message(user.id)
    await harness.tap(user, offer, harness.content.text("tip_offer_yes", "nl"))
    await harness.tick_at(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    tip = harness.fake.last_message(user.id)
    query = await harness.fake.tap(user, tip.message_id, button_text="👍 Nuttig")
    await harness.fake.until_answered(query)
    ask = await harness.say(user, "/checkin")
    level = (await harness.tap(user, ask, "✅ Ik ga akkoord")).screen
    await harness.tap(user, level, "6")
    weeks = await harness.say(user, "/afspraak")
    await harness.taps(user, weeks, "Over 2 weken", "ma 07-12", "Neuroloog")


async def rows_about(db: async_sessionmaker[AsyncSession], user_id: int) -> dict[str, int]:
    async with db() as session:
        return {
            table.name: int(
                await session.scalar(
                    select(func.count()).select_from(table).where(column == user_id)
                )
                or 0
            )
            for table, column in personal_tables()
        }


async def test_my_data_sends_everything_stored_as_json(harness: BotHarness) -> None:
    anna = harness.user(7001, "nl")
    await a_user_with_history(harness, anna)
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/mijngegevens")
    call = await harness.fake.wait_for_call("sendDocument", after=mark)
    message = harness.message(7001, int(call.result["message_id"]))
    caption = message.caption or ""
    assert caption.startswith("🔒 Dit bewaar ik over je")
    assert "Je gebruikt de bot sinds 26 november 2026." in caption
    assert "Dagelijkse tip: aan, om 09:00 op ma, di, wo, do, vr, za, zo." in caption
    assert (
        "Check-ins: 1 (de eerste op 26 november 2026, de laatste op 26 november 2026)." in caption
    )
    assert "Berichten die ik je stuurde: 1." in caption and "👍 of 👎 gaf: 1." in caption
    assert message.document is not None and message.document.file_name == "spasmbot-data.json"
    data = json.loads(message.document.data)
    assert set(data) == {
        "users",
        "preferences",
        "deliveries",
        "tip_feedback",
        "tip_sends",
        "consents",
        "checkins",
        "appointments",
        "broadcast_recipients",  # a broadcast still to reach them: none here
    }
    assert data["users"][0]["telegram_id"] == 7001 and data["users"][0]["language"] == "nl"
    prefs = data["preferences"][0]
    assert prefs["tips_enabled"] is True and prefs["tip_time"] == "09:00"
    assert prefs["tip_days"] == ["ma", "di", "wo", "do", "vr", "za", "zo"]
    assert prefs["checkin_time"] == "20:00" and prefs["tip_subjects_off"] == []
    assert "tip_minute" not in prefs  # readable keys, not the database's minutes
    assert data["deliveries"][0]["status"] == "sent"
    assert data["tip_feedback"][0]["helpful"] is True
    assert data["tip_sends"][0]["times"] == 1
    assert data["checkins"][0]["nrs"] == 6 and data["checkins"][0]["local_date"] == "2026-11-26"
    assert data["consents"][0]["text_version"] == harness.content.privacy_version
    assert data["appointments"][0]["day"] == "2026-12-07"
    assert data["appointments"][0]["with_whom"] == "neurologist"


async def test_my_data_names_triggers_next_to_their_codes(harness: BotHarness) -> None:
    john = harness.user(7005, "en")
    await harness.start(john)
    ask = await harness.say(john, "/checkin")
    level = (await harness.tap(john, ask, "✅ I agree")).screen
    triggers = await harness.taps(john, level, "4", "No")
    await harness.taps(john, triggers, "⬜ 😰 Stress", "➡️ Done")
    mark = len(harness.fake.calls)
    await harness.fake.send_text(john, "/mydata")
    call = await harness.fake.wait_for_call("sendDocument", after=mark)
    message = harness.message(7005, int(call.result["message_id"]))
    assert message.document is not None
    data = json.loads(message.document.data)
    assert data["checkins"][0]["triggers"] == [{"code": "stress", "label": "😰 Stress"}]
    assert "Check-ins: 1 (the first on 26 November 2026" in (message.caption or "")


async def test_delete_removes_every_row_and_stops_tips(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna, bert = harness.user(7002, "nl"), harness.user(7003, "nl")
    for person in (anna, bert):
        await a_user_with_history(harness, person)
    before = await rows_about(db, 7002)
    assert before.pop("broadcast_recipients") == 0  # rows only while a broadcast is out
    assert all(count >= 1 for count in before.values())
    confirm = await harness.say(anna, "/verwijderen")
    assert confirm.button_texts == ["🗑 Ja, wis alles", "Nee, bewaren"]
    assert "al je check-ins" in confirm.text and "eerst /export" in confirm.text
    done = await harness.tap(anna, confirm, "🗑 Ja, wis alles")
    assert done.screen.text.startswith("Alles is gewist: je instellingen, je tips en je check-ins.")
    assert set((await rows_about(db, 7002)).values()) == {0}
    kept = await rows_about(db, 7003)
    assert kept.pop("broadcast_recipients") == 0 and all(n >= 1 for n in kept.values())  # Bert's
    report = await harness.tick_at(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    assert report.sent == 1  # only Bert's
    fresh = await harness.start(anna)  # a new /start begins from scratch, with the offer
    assert fresh.text.startswith("Hallo Anna!")


async def test_saying_no_keeps_everything(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(7004, "en")
    await harness.start(anna)
    before = await rows_about(db, 7004)
    confirm = await harness.say(anna, "/delete")
    kept = await harness.tap(anna, confirm, "No, keep it")
    assert kept.screen.text == "Okay, nothing was deleted."
    assert await rows_about(db, 7004) == before and before["users"] == 1


async def test_last_seen_follows_use_at_most_once_an_hour(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(7006, "nl")
    await harness.start(anna)

    async def last_seen() -> datetime:
        async with db() as session:
            user = await session.get(User, 7006)
            assert user is not None
            return user.last_seen_at

    first = await last_seen()
    harness.clock.set(first + timedelta(minutes=30))
    await harness.say(anna, "/help")
    assert await last_seen() == first  # no write for every message
    harness.clock.set(first + timedelta(minutes=61))
    await harness.say(anna, "/help")
    assert await last_seen() == first + timedelta(minutes=61)
