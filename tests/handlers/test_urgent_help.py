"""Issue 14: a message that may mean danger gets the urgent-help text FIRST — in the
user's language, whichever language it was typed in — and ordinary questions never do.

The rule against false alarms (content/urgent.yaml): phrases are reports ("ik heb
koorts", "druk op mijn borst"), not subject words, so a question about a subject
("koorts als trigger", "wat is de MS-hug") does not trigger.
"""

from __future__ import annotations

import pytest

from bot.content.html_check import plain_text
from tests.auxil.checkins import at_the_note
from tests.auxil.harness import BotHarness

EMERGENCY = [
    ("nl", "ik kan slecht ademen, druk op mijn borst"),
    ("nl", "ik kan niet ademen"),
    ("nl", "spoed"),
    ("nl", "112"),
    ("nl", "bel een ambulance"),
    ("nl", "dit is een noodgeval"),
    ("nl", "sinds vanochtend heel benauwd en duizelig"),
    ("nl", "Ik ben BENAUWD"),
    ("nl", "ik heb pijn op de borst"),
    ("nl", "mijn man is flauwgevallen"),
    ("nl", "ik ben ineens verlamd aan één kant"),
    ("nl", "drukopmijnborst"),
    ("nl", "erg benauwt"),  # one letter off
    ("en", "I can't breathe"),
    ("en", "chest pain since an hour"),
    ("en", "my wife collapsed"),
    ("en", "EMERGENCY"),
    ("en", "ik kan niet ademen"),  # Dutch, from an English-speaking user
    ("nl", "I have trouble breathing"),  # English, from a Dutch-speaking user
    ("en", "call an ambulanse please"),
]
CRISIS = [
    ("nl", "ik wil niet meer leven"),
    ("nl", "ik denk aan zelfmoord"),
    ("nl", "soms wil ik dood"),
    ("nl", "ik zie het niet meer zitten"),
    ("nl", "ik wil er een eind aan maken"),
    ("en", "I want to die"),
    ("en", "I don't want to live anymore"),
    ("en", "I am suicidal"),
    ("en", "ik wil niet meer leven"),
]
SAME_DAY = [
    ("nl", "ik heb koorts"),
    ("nl", "hoge koorts en stijve benen"),
    ("nl", "39 graden vandaag"),
    ("nl", "ik heb een blaasontsteking"),
    ("nl", "alles is ineens veel erger"),
    ("nl", "ik denk dat ik een schub heb"),
    ("nl", "Ik héb KOORTS!!"),
    ("en", "I have a fever"),
    ("en", "I think I have a bladder infection"),
    ("en", "my spasms are suddenly much worse"),
    ("en", "ik heb koorts"),
]
ORDINARY = [
    *(("nl", q) for q in ("wat is de MS-hug", "koorts als trigger", "helpt baclofen?")),
    *(("nl", q) for q in ("pijn in mijn been", "hallo", "hoi", "goedemorgen", "dank je")),
    *(("nl", q) for q in ("wat is spasticiteit", "spasmen 's nachts", "infectie en spasmen")),
    *(("nl", q) for q in ("wat doet een fysiotherapeut", "wat is een schub", "helpt een warm bad")),
    *(("nl", q) for q in ("stijve benen in de ochtend", "wat is een blaasontsteking")),
    *(("nl", q) for q in ("warmte en spasmen", "kan ik sporten met MS")),
    *(("en", q) for q in ("hello", "thanks", "what is the MS hug", "does baclofen help?")),
    *(("en", q) for q in ("fever as a trigger", "spasms at night", "pain in my leg")),
    *(("en", q) for q in ("how do I talk to my doctor", "does stretching help")),
    *(("en", q) for q in ("what is a relapse",)),
]


def urgent_text(harness: BotHarness, tier: str, language: str) -> str:
    """The urgent-help text as the chat shows it (without the HTML tags)."""
    return plain_text(harness.content.text(f"urgent_{tier}", language))


@pytest.mark.parametrize(
    ("tier", "cases"),
    [("emergency", EMERGENCY), ("crisis", CRISIS), ("same_day", SAME_DAY)],
)
async def test_urgent_help_comes_first(
    harness: BotHarness, tier: str, cases: list[tuple[str, str]]
) -> None:
    wrong = []
    for n, (language, text) in enumerate(cases):
        person = harness.user(14_000 + 100 * len(tier) + n, language)
        reply = await harness.say(person, text)
        if not reply.text.startswith(urgent_text(harness, tier, language)):
            wrong.append((text, reply.text[:60]))
        assert reply.buttons  # and then the results or the menu, to go on
    assert wrong == []


async def test_ordinary_questions_get_no_alarm(harness: BotHarness) -> None:
    assert len(EMERGENCY + CRISIS + SAME_DAY) >= 35 and len(ORDINARY) >= 25
    alarms = []
    for n, (language, text) in enumerate(ORDINARY):
        reply = await harness.say(harness.user(15_000 + n, language), text)
        tiers = ("emergency", "crisis", "same_day")
        if any(urgent_text(harness, tier, language)[:40] in reply.text for tier in tiers):
            alarms.append(text)
    assert alarms == []


async def test_a_check_in_note_that_may_mean_danger_is_stored_and_answered_urgently(
    harness: BotHarness,
) -> None:
    anna = harness.user(16_001, "nl")
    await at_the_note(harness, anna)
    thanks = await harness.say(anna, "sinds gisteren hoge koorts")
    assert thanks.text.startswith(urgent_text(harness, "same_day", "nl"))
    assert "✅ Dank je!" in thanks.text


async def test_the_ms_hug_screen_says_chest_symptoms_are_an_emergency(
    harness: BotHarness,
) -> None:
    body = harness.content.topics["ms_hug"].body
    assert "112" in body["nl"] and "huisartsenpost" in body["nl"] and "112" in body["en"]
    reply = await harness.say(harness.user(16_002, "nl"), "wat is de MS-hug")
    assert urgent_text(harness, "emergency", "nl")[:40] not in reply.text  # a question
