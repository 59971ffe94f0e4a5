"""Issue 12: /broadcast — the admin types both texts, sees a preview with the count,
confirms; the scheduler sends it once to each active person who did not opt out, and
the counts come back. To anyone else it is an unknown command."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import callbacks
from bot.db.models import Broadcast, BroadcastRecipient, Delivery, User
from bot.settings import Settings
from devtools.fakeapi import BotMessage, FakeTelegram, FakeUser
from scheduler.tick import TickReport
from tests.auxil.harness import BotHarness

ADMIN = 4242
HEADERS = {
    "nl": "📣 <b>Bericht van de beheerder van deze bot</b>",
    "en": "📣 <b>Message from the administrator of this bot</b>",
}
OPT_OUT = "Geen berichten van de beheerder meer"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # 200/s: 300 people take a second and a half, not twelve
    return settings.model_copy(update={"admin_ids": [ADMIN], "tip_rate_per_second": 200.0})


async def seed_users(
    db: async_sessionmaker[AsyncSession],
    fake: FakeTelegram,
    ids: Iterable[int],
    *,
    opted_out: frozenset[int] = frozenset(),
    english: frozenset[int] = frozenset(),
) -> None:
    """People who used the bot earlier (no settings row: a broadcast needs none)."""
    async with db.begin() as session:
        for user_id in ids:
            language = "en" if user_id in english else "nl"
            fake.add_user(user_id=user_id, first_name="U", language_code=language)
            session.add(
                User(
                    telegram_id=user_id,
                    chat_id=user_id,
                    language=language,
                    timezone="Europe/Amsterdam",
                    is_active=True,
                    broadcasts_enabled=user_id not in opted_out,
                )
            )


def broadcasts_to(fake: FakeTelegram) -> Counter[int]:
    """How many broadcast messages (not previews or reports) each chat received."""
    return Counter(
        int(call.params["chat_id"])
        for call in fake.calls_to("sendMessage")
        if call.ok and str(call.params["text"]).startswith(tuple(HEADERS.values()))
    )


async def compose(harness: BotHarness, admin: FakeUser, nl: str, en: str) -> BotMessage:
    """/broadcast, the Dutch text, the English text: returns the preview."""
    await harness.say(admin, "/broadcast")
    await harness.say(admin, nl)
    return await harness.say(admin, en)


async def test_broadcast_is_an_unknown_command_to_anyone_but_the_admin(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    admin, anna = harness.user(ADMIN), harness.user(4601, "nl")
    await harness.start(anna)
    refused = await harness.say(anna, "/broadcast")
    assert refused.text.startswith("Dat commando ken ik niet.")  # as for any unknown command
    preview = await compose(harness, admin, "Hallo allemaal", "Hello everyone")
    send = preview.buttons[0][0].callback_data
    assert send == callbacks.encode(callbacks.BroadcastAnswer(1, send=True))
    forged = await harness.tap(anna, refused, "", data=send)  # Anna forges the admin's button
    assert forged.notice == "Deze knop werkt niet meer. Hier is het menu."
    await harness.say(anna, "Hallo allemaal")  # and her text is just a text
    async with db() as session:
        broadcast = await session.get(Broadcast, 1)
        assert broadcast is not None and broadcast.state == "draft"
    assert await harness.tick_at(harness.clock.now + timedelta(minutes=1)) == TickReport()
    helped = await harness.say(anna, "/help")
    assert "/broadcast" not in helped.text
    commands = [call for call in harness.fake.calls if call.method == "setMyCommands" and call.ok]
    assert commands and all("broadcast" not in str(call.params) for call in commands)


async def test_preview_shows_both_texts_and_the_count_and_send_queues_it_once(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    admin, anna, bram = harness.user(ADMIN), harness.user(4611, "nl"), harness.user(4612, "en")
    for person in (anna, bram):
        await harness.start(person)
    ask = await harness.say(admin, "/broadcast")
    assert ask.text.startswith("📣 Bericht aan alle gebruikers\nStap 1 van 2: typ de tekst")
    too_long = await harness.say(admin, "x" * 1501)
    assert too_long.text == (
        "Die tekst is te lang: 1501 tekens. Het mag er 1500 zijn. Typ een kortere tekst."
    )
    emoji = await harness.say(admin, "🙂" * 800)  # Telegram counts an emoji as two
    assert emoji.text.startswith("Die tekst is te lang: 1600 tekens.")
    ask_en = await harness.say(admin, "Nieuw: <b> & meer")  # shown as typed, not as HTML
    assert ask_en.text == "Stap 2 van 2: typ nu dezelfde tekst in het Engels."
    preview = await harness.say(admin, "New: <b> & more")
    assert preview.text.startswith(
        "📣 Voorbeeld\nDit bericht gaat naar 3 mensen. Iedereen krijgt het in de eigen taal.\n"
        "Niet naar: 0 afgemeld, 0 niet bereikbaar."
    )
    assert "— Nederlands —\n📣 Bericht van de beheerder van deze bot\n\nNieuw: <b> & meer" in (
        preview.text
    )
    assert "— Engels —\n📣 Message from the administrator of this bot\n\nNew: <b> & more" in (
        preview.text
    )
    assert preview.button_texts == ["✅ Versturen", "✖️ Annuleren"]
    nudge = await harness.say(admin, "en nu?")
    assert nudge.text.startswith("Tik op ✅ Versturen of ✖️ Annuleren onder het voorbeeld.")
    send = preview.buttons[0][0].callback_data
    queued = (await harness.tap(admin, preview, "✅ Versturen")).screen
    assert queued.text == (
        "✅ Het bericht staat klaar voor 3 mensen. Dat duurt ongeveer 1 min. "
        "Als het klaar is, stuur ik je de aantallen."
    )
    assert queued.button_texts == ["🔄 Hoe ver is het?"]
    again = await harness.tap(admin, queued, "", data=send)  # a second tap on Versturen
    assert again.screen.text == "📣 Bericht 1: 0 verstuurd, 0 mislukt, 3 nog te gaan."
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(BroadcastRecipient)) == 3

    assert (await harness.tick_at(harness.clock.now + timedelta(minutes=1))).sent == 3
    for person, language, text in (
        (anna, "nl", "Nieuw: <b> & meer"),
        (bram, "en", "New: <b> & more"),
    ):
        got = harness.fake.last_message(person.id)
        assert got.html == f"{HEADERS[language]}\n\n{html.escape(text, quote=False)}"
    assert harness.fake.last_message(anna.id).button_texts == [OPT_OUT]
    assert harness.fake.last_message(bram.id).button_texts == [
        "No more messages from the administrator"
    ]
    assert broadcasts_to(harness.fake) == {ADMIN: 1, anna.id: 1, bram.id: 1}


async def test_cancel_sends_nothing(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = harness.user(ADMIN)
    preview = await compose(harness, admin, "Hallo", "Hello")
    cancelled = (await harness.tap(admin, preview, "✖️ Annuleren")).screen
    assert cancelled.text == "Geannuleerd. Er is niets verstuurd." and not cancelled.buttons
    assert await harness.tick_at(harness.clock.now + timedelta(minutes=1)) == TickReport()
    assert broadcasts_to(harness.fake) == {}
    async with db() as session:
        broadcast = await session.get(Broadcast, 1)
        assert broadcast is not None and broadcast.state == "cancelled"


async def test_300_users_one_blocked_one_opted_out_the_others_get_exactly_one(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    admin, blocked, opted_out = harness.user(ADMIN), 9001, 9002
    others = range(9001, 9300)  # with the admin, 300 people
    english = frozenset(range(9010, 9300, 10))
    await seed_users(db, harness.fake, others, opted_out=frozenset({opted_out}), english=english)
    # Telegram answers 403 (block() would also tell the bot at once, by my_chat_member)
    harness.fake.fail_next(
        "sendMessage",
        status=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=blocked,
    )
    preview = await compose(
        harness, admin, "Zaterdag is de bot even uit.", "On Saturday the bot is off."
    )
    assert "Dit bericht gaat naar 299 mensen." in preview.text
    assert "Niet naar: 1 afgemeld, 0 niet bereikbaar." in preview.text
    await harness.tap(admin, preview, "✅ Versturen")

    report = await harness.tick_at(harness.clock.now + timedelta(minutes=1))
    assert (report.sent, report.failed, report.unknown) == (298, 1, 0)
    everyone_else = [ADMIN, *(u for u in others if u not in (blocked, opted_out))]
    assert broadcasts_to(harness.fake) == dict.fromkeys(everyone_else, 1)
    assert harness.fake.last_message(9010).text.endswith("On Saturday the bot is off.")
    assert harness.fake.last_message(9011).text.endswith("Zaterdag is de bot even uit.")
    async with db() as session:
        gone = await session.get(User, blocked)
        assert gone is not None and gone.is_active is False
        statuses = Counter(
            (await session.execute(select(Delivery.status).where(Delivery.kind == "broadcast:1")))
            .scalars()
            .all()
        )
    assert statuses == {"sent": 298, "failed": 1}

    await harness.tick_at(harness.clock.now + timedelta(minutes=1))  # the counts come back
    counts = harness.fake.last_message(ADMIN)
    assert counts.text == (
        "📣 Bericht 1 is klaar (299 ontvangers)\nVerstuurd: 298\n"
        "Mislukt: 1 (waarvan 1 geblokkeerd of gestopt)\n"
        "Overgeslagen (afgemeld of niet bereikbaar): 0\nTe laat (gemist): 0\n"
        "Onzeker (misschien aangekomen): 0"
    )
    assert await harness.tick_at(harness.clock.now + timedelta(minutes=5)) == TickReport()
    assert broadcasts_to(harness.fake) == dict.fromkeys(everyone_else, 1)


async def test_the_opt_out_button_stops_the_next_broadcast_and_undoes(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    """Two broadcasts on one day both arrive (their delivery kinds differ); the button
    under the first keeps the second away from Anna, and a second tap undoes it."""
    admin, anna, bram = harness.user(ADMIN), harness.user(4621, "nl"), harness.user(4622, "en")
    for person in (anna, bram):
        await harness.start(person)
    queued = await harness.tap(admin, await compose(harness, admin, "Een", "One"), "✅ Versturen")
    await harness.tick_at(harness.clock.now + timedelta(minutes=1))
    first = harness.fake.last_message(anna.id)
    tapped = await harness.tap(anna, first, OPT_OUT, edit="editMessageReplyMarkup")
    assert tapped.notice == (
        "Goed. Je krijgt geen berichten van de beheerder meer. "
        "Je tips en check-ins blijven gewoon komen."
    )
    assert tapped.screen.button_texts == ["🔔 Toch weer berichten van de beheerder"]
    assert tapped.screen.text.endswith("Een")  # the message itself stays
    async with db() as session:
        stored = await session.get(User, anna.id)
        assert stored is not None and stored.broadcasts_enabled is False
    await harness.tick_at(harness.clock.now + timedelta(minutes=1))  # counts of the first
    done = await harness.tap(admin, queued.screen, "🔄 Hoe ver is het?")
    assert done.screen.text.startswith("📣 Bericht 1 is klaar (3 ontvangers)\nVerstuurd: 3\n")

    preview = await compose(harness, admin, "Twee", "Two")
    assert "Dit bericht gaat naar 2 mensen." in preview.text
    assert "Niet naar: 1 afgemeld, 0 niet bereikbaar." in preview.text
    await harness.tap(admin, preview, "✅ Versturen")
    await harness.tick_at(harness.clock.now + timedelta(minutes=1))
    await harness.tick_at(harness.clock.now + timedelta(minutes=1))
    assert broadcasts_to(harness.fake) == {ADMIN: 2, anna.id: 1, bram.id: 2}
    assert harness.fake.last_message(bram.id).text.endswith("Two")
    assert harness.fake.last_message(ADMIN).text.startswith("📣 Bericht 2 is klaar (2 ontvangers)")

    back = await harness.tap(
        anna,
        tapped.screen,
        "🔔 Toch weer berichten van de beheerder",
        edit="editMessageReplyMarkup",
    )
    assert back.notice == "Goed. Je krijgt weer berichten van de beheerder."
    assert back.screen.button_texts == [OPT_OUT]
    async with db() as session:
        stored = await session.get(User, anna.id)
        assert stored is not None and stored.broadcasts_enabled is True
