"""Issue 12: /stats for the operator — counts only, and to anyone else an unknown command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import Settings
from tests.auxil.harness import BotHarness

ADMIN = 4242


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_ids": [ADMIN]})


async def test_stats_counts_users_messages_and_consents_for_the_admin_only(
    harness: BotHarness,
) -> None:
    anna, bram, admin = harness.user(4301, "nl"), harness.user(4302, "nl"), harness.user(ADMIN)
    for person in (anna, bram):  # both take the daily tip; Bram blocks the bot
        await harness.start(person)
        offer = harness.fake.last_message(person.id)
        await harness.tap(person, offer, harness.content.text("tip_offer_yes", "nl"))
    harness.fake.block(bram)
    ask = await harness.say(anna, "/checkin")
    level = (await harness.tap(anna, ask, "✅ Ik ga akkoord")).screen
    await harness.taps(anna, level, "5")
    await harness.tick_at(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # 09:00 in Amsterdam
    refused = await harness.say(anna, "/stats")
    assert refused.text.startswith("Dat commando ken ik niet.")  # as for any unknown command
    await harness.start(admin)
    stats = await harness.say(admin, "/stats")
    assert stats.text.startswith("📊 Statistiek (26 november 2026, 09:00)")
    assert "Gebruikers: 3 (2 bereikbaar, 1 geblokkeerd of gestopt)" in stats.text
    assert "Toestemming voor check-ins: 1 (1 voor de huidige privacytekst)" in stats.text
    assert "Check-ins vandaag: 1." in stats.text
    assert "• tip: 1 / 0 / 0 / 0 · 1 / 0 / 0 / 0" in stats.text  # Bram left before 09:00
    assert "Wachtrij: 0 berichten" in stats.text
    # the tips of tomorrow 09:00 (Anna's; Bram left) are the busiest minute ahead
    assert "Drukste minuut in de komende 24 uur: 09:00, 1 bericht, 1 min. nodig." in stats.text
    assert "Anna" not in stats.text and "4301" not in stats.text
    harness.clock.set(datetime(2026, 11, 27, 8, 30, tzinfo=UTC))  # Anna's tip waits since 09:00
    later = await harness.say(admin, "/stats")
    assert "Wachtrij: 1 bericht dat nu al weg had moeten zijn; de oudste 30 min. te laat." in (
        later.text
    )


async def test_stats_is_not_in_help_or_the_command_menu(harness: BotHarness) -> None:
    anna = harness.user(4303, "en")
    await harness.start(anna)
    helped = await harness.say(anna, "/help")
    assert "/stats" not in helped.text
    commands = [call for call in harness.fake.calls if call.method == "setMyCommands" and call.ok]
    assert commands and all("stats" not in str(call.params) for call in commands)


async def test_stats_counts_consents_given_and_withdrawn_and_429s_today_and_in_7_days(
    harness: BotHarness,
) -> None:
    """Counted per hour in the database (`hourly_counts`): they hold across restarts
    and processes, and say how many, never who."""
    anna, admin = harness.user(4311, "nl"), harness.user(ADMIN)
    ask = await harness.say(anna, "/checkin")
    await harness.tap(anna, ask, "✅ Ik ga akkoord")
    status = await harness.say(anna, "/privacy")
    withdrawn = await harness.tap(anna, status, "🗑 Stoppen en check-ins wissen")
    assert withdrawn.screen.text.startswith("Je toestemming is ingetrokken")  # none to wis
    harness.fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=anna.id)
    await harness.say(anna, "/help")  # answered after the wait
    await harness.fake.wait_idle(settle=0.3)
    await harness.start(admin)
    today = await harness.say(admin, "/stats")
    assert (
        "Vandaag · 7 dagen: toestemming gegeven 1 · 1, ingetrokken 1 · 1. "
        "Telegram vroeg te wachten (429): 1 · 1." in today.text
    )
    harness.clock.set(harness.clock.now + timedelta(days=1))
    tomorrow = await harness.say(admin, "/stats")
    assert "gegeven 0 · 1, ingetrokken 0 · 1. Telegram vroeg te wachten (429): 0 · 1." in (
        tomorrow.text
    )
