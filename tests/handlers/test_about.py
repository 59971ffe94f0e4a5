"""Issue 14: "Over deze informatie" is one tap from /start and says where the texts come
from, when and by whom they were checked, and that no care provider reads along."""

from __future__ import annotations

import pytest

from tests.auxil.harness import BotHarness


@pytest.mark.parametrize(
    ("language", "title", "says"),
    [
        (
            "nl",
            "Over deze informatie",
            [
                "een Nederlandse informatiepagina voor patiënten over spasmen bij MS",
                "voor het laatst gecontroleerd op",
                "Niemand leest mee",
                "computerprogramma",
                "huisartsenpost",
                "bel 112",
            ],
        ),
        (
            "en",
            "About this information",
            [
                "a Dutch information page for patients about spasms in MS",
                "last checked on",
                "Nobody reads along",
                "computer program",
                "huisartsenpost",
                "call 112",
            ],
        ),
    ],
)
async def test_the_about_screen_from_the_main_menu(
    harness: BotHarness, language: str, title: str, says: list[str]
) -> None:
    user = harness.user(14_001 if language == "nl" else 14_002, language)
    welcome = await harness.start(user)
    # The last topic, on a row of its own just above the language button.
    assert [b.text for b in welcome.buttons[-2]] == [title]

    about = await harness.tap(user, welcome, title)
    assert about.screen.text.startswith(title)
    for words in says:
        assert words in about.screen.text, words
    # What the operator has not filled in yet is visible as such, never a stray {field}.
    assert "{" not in about.screen.text
    assert about.screen.button_texts == [harness.content.text("button_back", language)]

    back = await harness.tap(user, about.screen, harness.content.text("button_back", language))
    assert title in back.screen.button_texts


async def test_asking_who_reads_along_finds_the_about_screen(harness: BotHarness) -> None:
    reply = await harness.say(harness.user(14_003, "nl"), "leest er iemand mee?")
    assert "Niemand leest mee" in reply.text
