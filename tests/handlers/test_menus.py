"""End to end over real HTTP: /start, languages, the whole menu tree, search, commands."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import ROOT_TOPIC, Content, Topic
from bot.db.models import User
from bot.handlers import COMMANDS
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.harness import BotHarness, eventually


async def stored_user(db: async_sessionmaker[AsyncSession], user_id: int) -> User | None:
    async with db() as session:
        return await session.get(User, user_id)


def main_menu_labels(content: Content, language: str) -> list[str]:
    actions = [content.text(f"action_{a}", language) for a in ("checkin", "overview")]
    actions += [content.text(f"action_{a}", language) for a in ("settings", "help")]
    titles = [content.topics[c].title[language] for c in content.root.children]
    return [*actions, *titles, content.text("button_language", language)]


async def test_start_welcomes_in_dutch_and_stores_the_user(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(1001, "nl")
    reply = await harness.start(anna)
    assert reply.text.startswith("Hallo Anna!")
    assert "geen medisch advies" in reply.text
    assert "Wat ik bewaar" in reply.text
    assert reply.button_texts == main_menu_labels(harness.content, "nl")
    user = await stored_user(db, 1001)
    assert user is not None
    assert (user.chat_id, user.language, user.timezone, user.is_active) == (
        1001,
        "nl",
        "Europe/Amsterdam",
        True,
    )


async def test_other_telegram_languages_get_english(harness: BotHarness) -> None:
    reply = await harness.start(harness.user(1002, "de"))
    assert reply.text.startswith("Hello Anna!")
    assert "not medical advice" in reply.text
    assert reply.button_texts == main_menu_labels(harness.content, "en")


async def test_language_switch_is_stored_and_kept_by_a_new_start(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(1003, "nl")
    picker = await harness.say(anna, "/taal")
    assert picker.text == harness.content.text("language_prompt", "nl")
    tapped = await harness.tap(anna, picker, "🇬🇧 English")
    assert tapped.notice == "Language saved: English."
    assert tapped.screen.button_texts == main_menu_labels(harness.content, "en")
    assert (user := await stored_user(db, 1003)) is not None and user.language == "en"
    again = await harness.start(anna)
    assert again.text.startswith("Hello Anna!")
    alias = await harness.say(anna, "/language")
    assert alias.text == harness.content.text("language_prompt", "en")


async def test_language_button_in_the_main_menu(harness: BotHarness) -> None:
    anna = harness.user(1004, "en")
    menu = await harness.say(anna, "/menu")
    picker = await harness.tap(anna, menu, harness.content.text("button_language", "en"))
    assert picker.screen.button_texts == ["🇳🇱 Nederlands", "🇬🇧 English", "⬅️ Back"]
    dutch = await harness.tap(anna, picker.screen, "🇳🇱 Nederlands")
    assert dutch.notice == "Taal opgeslagen: Nederlands."
    assert dutch.screen.text.startswith(harness.content.root.title["nl"])


async def walk(
    harness: BotHarness,
    user: FakeUser,
    screen: BotMessage,
    topic: Topic,
    language: str,
    seen: set[str],
) -> None:
    """Tap into every child of `topic`, check it, and come back with Back."""
    content = harness.content
    for child_id in topic.children:
        child = content.topics[child_id]
        opened = await harness.tap(user, screen, child.title[language])
        assert opened.screen.text.startswith(child.title[language])
        assert content.depth(child) <= 3
        labels = opened.screen.button_texts
        assert labels[-2 if child.parent != ROOT_TOPIC else -1] == content.text(
            "button_back", language
        )
        if child.parent != ROOT_TOPIC:
            assert labels[-1] == content.text("button_main", language)
        seen.add(child_id)
        await walk(harness, user, opened.screen, child, language, seen)
        back = await harness.tap(user, opened.screen, content.text("button_back", language))
        assert back.screen.text.startswith(topic.title[language])


async def test_every_topic_is_reachable_and_back_returns(harness: BotHarness) -> None:
    for language, user_id in (("nl", 1010), ("en", 1011)):
        user = harness.user(user_id, language)
        menu = await harness.say(user, "/menu")
        seen: set[str] = set()
        await walk(harness, user, menu, harness.content.root, language, seen)
        assert seen == set(harness.content.topics) - {ROOT_TOPIC}
        # Navigation edited one message in place: the chat holds just the menu.
        assert len(harness.fake.chat_messages(user_id)) == 1


async def test_main_menu_button_from_a_deep_screen(harness: BotHarness) -> None:
    anna = harness.user(1012, "nl")
    content = harness.content
    screen = await harness.say(anna, "/menu")
    path = [content.topics["treatment"], content.topics["medication"], content.topics["baclofen"]]
    for topic in path:
        screen = (await harness.tap(anna, screen, topic.title["nl"])).screen
    assert "arts" in screen.text
    home = await harness.tap(anna, screen, content.text("button_main", "nl"))
    assert home.screen.button_texts == main_menu_labels(content, "nl")


async def test_free_text_questions_find_topics(harness: BotHarness) -> None:
    content = harness.content
    anna = harness.user(1020, "nl")
    clear = {
        "helpt baclofen?": "baclofen",
        "wat is de MS-hug": "ms_hug",
        "spasms at night": "nights",
    }
    best = content.text("search_best", "nl")
    for question, topic_id in clear.items():  # one clear answer: it opens at once
        reply = await harness.say(anna, question)
        title = content.topics[topic_id].title["nl"]
        assert reply.text.startswith(f"{best}\n\n{title}\n\n"), question
        assert "⬅️ Terug" in reply.button_texts
    also = await harness.say(anna, "wat is de MS-hug")
    assert "🔎 Wat zijn spasmen?" in also.button_texts  # the other hit, below
    # the best title match comes first
    nights = await harness.say(anna, "spasmen 's nachts")
    assert nights.text == content.text("search_results", "nl")
    assert nights.button_texts[:2] == ["Spasmen in de nacht", "Wat zijn spasmen?"]
    assert nights.button_texts[-1] == content.text("button_main", "nl")
    opened = await harness.tap(anna, nights, "Spasmen in de nacht")
    assert opened.screen.text.startswith("Spasmen in de nacht")


async def test_a_question_without_match_gets_the_menu(harness: BotHarness) -> None:
    anna = harness.user(1021, "en")
    reply = await harness.say(anna, "what about the weather in Lisbon")
    assert reply.text.startswith(harness.content.text("search_nothing", "en"))
    assert reply.button_texts == main_menu_labels(harness.content, "en")


async def test_help_and_registered_commands(harness: BotHarness) -> None:
    reply = await harness.say(harness.user(1030, "nl"), "/help")
    assert reply.text.startswith("Zo werkt het")
    assert reply.button_texts == ["🏠 Hoofdmenu"]
    dutch = [c["command"] for c in harness.fake.commands("nl")]
    english = [c["command"] for c in harness.fake.commands("en")]
    assert dutch == [
        *("start", "menu", "checkin", "overzicht", "export", "afspraak", "tip"),
        *("instellingen", "taal"),
        *("privacy", "mijngegevens", "verwijderen", "help"),
    ]
    assert english == [
        *("start", "menu", "checkin", "overview", "export", "appointment", "tip"),
        *("settings", "language"),
        *("privacy", "mydata", "delete", "help"),
    ]
    assert [c["command"] for c in harness.fake.commands()] == english  # everyone else


async def test_every_command_in_the_menu_is_understood(harness: BotHarness) -> None:
    people = [harness.user(user_id, "nl") for user_id in (1031, 1032, 1033)]  # 8 each: no flood
    commands = [c["command"] for c in harness.fake.commands("nl") + harness.fake.commands("en")]
    for n, command in enumerate(commands):
        await harness.fake.send_text(people[n * len(people) // len(commands)], f"/{command}")

    def answers() -> list[BotMessage]:
        return [m for p in people for m in harness.fake.chat_messages(p.id)]

    async def every_command_answered() -> bool:  # each sends at least one message or file
        return len(answers()) >= len(commands)

    await eventually(every_command_answered, within=30)  # replies are paced: ~1 s a chat
    unknown = harness.content.text("unknown_command", "nl")
    assert [m.text for m in answers() if (m.text or "").startswith(unknown)] == []


async def test_no_stored_user_rows_for_people_who_never_wrote(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    await harness.start(harness.user(1040, "nl"))
    async with db() as session:
        assert (await session.scalars(select(User.telegram_id))).all() == [1040]


@pytest.mark.parametrize(
    ("user_id", "language", "message", "reply_key"),
    [
        (1040, "nl", "hallo", "greeting_reply"),
        (1041, "nl", "Hoi!", "greeting_reply"),
        (1042, "nl", "goedemorgen", "greeting_reply"),
        (1043, "nl", "dank je wel", "thanks_reply"),
        (1044, "en", "hello", "greeting_reply"),
        (1045, "en", "Thanks!", "thanks_reply"),
        (1046, "nl", "thanks", "thanks_reply"),  # either language, whatever the setting
    ],
)
async def test_greetings_and_thanks_get_a_friendly_answer_with_the_menu(
    harness: BotHarness, user_id: int, language: str, message: str, reply_key: str
) -> None:
    reply = await harness.say(harness.user(user_id, language), message)
    assert reply.text.startswith(harness.content.text(reply_key, language))
    assert harness.content.text("search_nothing", language) not in reply.text
    assert reply.button_texts == main_menu_labels(harness.content, language)


async def test_a_greeting_with_a_question_is_a_question(harness: BotHarness) -> None:
    reply = await harness.say(harness.user(1047, "nl"), "hallo, helpt baclofen?")
    assert reply.text.startswith(harness.content.text("search_best", "nl"))


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_help_names_every_command(harness: BotHarness, language: str) -> None:
    reply = await harness.say(harness.user(1050 if language == "nl" else 1051, language), "/help")
    named = {c.name(language) for c in COMMANDS if f"/{c.name(language)}" in reply.text}
    assert named == {c.name(language) for c in COMMANDS}


async def test_the_daily_actions_are_one_tap_from_the_main_menu(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(1060, "nl")
    menu = await harness.start(anna)
    assert menu.buttons[0][0].text == "📝 Check-in" and menu.buttons[1][1].text == "❓ Hulp"
    for label, starts in [
        ("📝 Check-in", "🔒"),  # first the consent question
        ("⚙️ Instellingen", "⚙️ Instellingen"),
        ("❓ Hulp", "Zo werkt het"),
        ("📈 Mijn overzicht", "Je hebt nog geen check-ins."),
    ]:
        mark = len(harness.fake.calls)
        await harness.fake.tap(anna, menu.message_id, button_text=label)
        call = await harness.fake.wait_for_call("sendMessage", after=mark)
        assert harness.message(1060, call.result["message_id"]).text.startswith(starts), label
