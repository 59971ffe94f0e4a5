"""Issue 11: updates the library cannot read, busy groups, inline taps, floods and 429s
never stop the bot for other people, and never put what users wrote into the log."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from devtools.fakeapi import FakeUser
from devtools.fakeapi.state import CallbackQuery
from tests.auxil.harness import BotHarness


def raw_message(user: FakeUser, message_id: int, **fields: object) -> dict[str, object]:
    """A private-chat message as Telegram sends it, with extra (possibly broken) fields."""
    chat = {"id": user.id, "type": "private", "first_name": user.first_name}
    return {"message_id": message_id, "from": user.to_api(), "chat": chat} | {
        "date": int(time.time()),
        **fields,
    }


async def test_an_update_the_library_cannot_read_is_skipped_and_the_rest_answered(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    anna = harness.user(11_001, "nl")
    await harness.say(anna, "/menu")
    mark = len(harness.fake.calls)
    # A poll without `persistent_id` and a malformed story: python-telegram-bot 22.8
    # cannot read either (fields a newer Bot API requires), so the whole batch failed.
    poll = {"id": "p1", "question": "geheime vraag", "options": [], "total_voter_count": 0}
    poll |= {"is_closed": False, "is_anonymous": True, "type": "regular"}
    poll |= {"allows_multiple_answers": False}
    bad_poll = harness.fake.state.enqueue("message", raw_message(anna, 9001, poll=poll))
    bad_story = harness.fake.state.enqueue(
        "message", raw_message(anna, 9002, text="mijn geheime tekst", story={"id": 1})
    )
    await harness.fake.send_text(anna, "/help")
    reply = await harness._replies_after(mark, anna.id, "sendMessage", 1)
    assert reply[0].text.startswith("Zo werkt het")
    await harness.fake.wait_idle()  # the offset moved past both: nothing comes back
    skipped = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
    assert skipped == [
        f"update {bad['update_id']} (message) could not be read and was skipped: TypeError"
        for bad in (bad_poll, bad_story)
    ]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "geheime" not in logged and not [r for r in caplog.records if r.levelno >= 50]
    assert len(harness.fake.calls_to("getUpdates")) < 50  # no tight loop on one batch


async def test_a_group_gets_the_line_once_an_hour_and_never_holds_up_private_chats(
    harness: BotHarness,
) -> None:
    anna, bram = harness.user(11_002, "nl"), harness.user(11_003, "nl")
    group = harness.fake.add_group(chat_id=-11_001, title="MS groep")
    for _ in range(45):
        await harness.fake.send_text(anna, "/start", chat=group)
    menu = await harness.say(bram, "/menu")
    assert menu.buttons  # the private chat is answered
    await harness.fake.wait_idle(settle=0.3)  # the group's 45 handled before the clock moves
    harness.clock.set(harness.clock.now + timedelta(minutes=61))
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "hallo", chat=group)  # an hour later: once more
    await harness.fake.wait_for_call(
        "sendMessage", predicate=lambda c: int(c.params["chat_id"]) == -11_001, after=mark
    )
    expected = harness.content.text("private_chat_only", "nl", bot_username="spasmbot_test_bot")
    assert [m.text for m in harness.fake.chat_messages(-11_001)] == [expected, expected]


async def test_a_tap_on_an_inline_mode_button_is_answered(harness: BotHarness) -> None:
    anna = harness.user(11_004, "en")
    query_id = "inline-1"
    harness.fake.state.queries[query_id] = _query(query_id, anna.id)
    harness.fake.state.enqueue(
        "callback_query",
        {
            "id": query_id,
            "from": anna.to_api(),
            "chat_instance": "inline",
            "inline_message_id": "AAAA",
            "data": "1|t|what",
        },
    )
    answered = await harness.fake.until_answered(query_id)
    expected = harness.content.text("private_chat_only", "en", bot_username="spasmbot_test_bot")
    assert answered.get("text") == expected


def _query(query_id: str, user_id: int) -> CallbackQuery:
    """The fake checks that an answered query exists; an inline one has no chat or message."""
    return CallbackQuery(query_id, user_id, 0, 0, "1|t|what")


async def test_a_flood_gets_one_line_then_quiet_until_the_minute_is_over(
    harness: BotHarness,
) -> None:
    anna = harness.user(11_005, "nl")
    first = len(harness.fake.calls)
    for n in range(20):
        await harness.fake.send_text(anna, f"vraag {n} over baclofen")
    replies = await harness._replies_after(first, anna.id, "sendMessage", 11)
    notice = harness.content.text("flood_notice", "nl")
    assert [r.text.startswith(notice) for r in replies] == [False] * 10 + [True]
    await harness.fake.wait_idle(settle=0.3)
    assert len(harness.fake.chat_messages(anna.id)) == 11  # the other 9 got no reply
    mark = len(harness.fake.calls)
    a_minute_later = raw_message(anna, 9100, text="baclofen", date=int(time.time()) + 61)
    harness.fake.state.enqueue("message", a_minute_later)
    [later] = await harness._replies_after(mark, anna.id, "sendMessage", 1)
    assert later.text.startswith(harness.content.text("search_best", "nl"))


async def test_a_429_in_one_chat_only_pauses_that_chat(harness: BotHarness) -> None:
    anna, bram = harness.user(11_006, "nl"), harness.user(11_007, "nl")
    harness.fake.fail_next("sendMessage", status=429, retry_after=2, chat_id=anna.id)
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/menu")
    await harness.fake.wait_for_call("sendMessage", predicate=lambda c: c.status == 429, after=mark)
    bram_menu = await harness.say(bram, "/menu")  # answered while Anna's chat waits
    anna_menu = await harness._replies_after(mark, anna.id, "sendMessage", 1)
    ok = [c for c in harness.fake.calls[mark:] if c.method == "sendMessage" and c.ok]
    assert [int(c.params["chat_id"]) for c in ok] == [bram.id, anna.id]
    assert bram_menu.buttons and anna_menu[0].buttons
