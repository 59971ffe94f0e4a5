"""The fake Telegram server, driven by a real python-telegram-bot `Bot` over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from devtools.fakeapi import Button, FakeTelegram
from tests.conftest import TOKEN  # the `fake` fixture (conftest) serves this token

SECRET = TOKEN.split(":")[1]
BACK = InlineKeyboardMarkup([[InlineKeyboardButton("Terug", callback_data="menu:back")]])


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


async def test_sent_html_message_is_stored_as_the_user_sees_it(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.add_user(1001, "Anna", "nl")
    links = [InlineKeyboardButton("Site", url="https://example.org")]
    markup = InlineKeyboardMarkup([*BACK.inline_keyboard, links])
    html = "<b>Hallo</b> &amp; welkom 😀 <i>Anna</i>\n"
    sent = await bot.send_message(1001, html, parse_mode="HTML", reply_markup=markup)
    assert sent.text == "Hallo & welkom 😀 Anna"
    assert sent.text_html == html.strip()  # entities use UTF-16 offsets, like Telegram
    stored = fake.last_message(1001)
    assert (stored.message_id, stored.text, stored.html) == (sent.message_id, sent.text, html)
    assert stored.buttons == [[Button("Terug", "menu:back")], [Button("Site", None, links[0].url)]]
    second = await bot.send_message(1001, "Nog iets")
    assert second.message_id == sent.message_id + 1
    assert [m.text for m in fake.chat_messages(1001)] == [sent.text, "Nog iets"]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<b>vet", 'can\'t find end tag corresponding to start tag "b"'),
        ("<marquee>x</marquee>", 'unsupported start tag "marquee" at byte offset 0'),
        ("1 < 2", 'unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", 'character "&" at byte offset 4'),
        ("<b>x</i>", 'unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ('<span class="x">y</span>', 'tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_bad_html_is_rejected_like_telegram(
    fake: FakeTelegram, bot: Bot, html: str, reason: str
) -> None:
    fake.add_user(1001)
    with pytest.raises(BadRequest) as info:
        await bot.send_message(1001, html, parse_mode="HTML")
    assert info.value.message.startswith(f"Can't parse entities: {reason}")  # PTB lowercases
    assert fake.chat_messages(1001) == []
    assert fake.calls_to("sendMessage")[-1].status == 400


async def test_length_limits_count_the_text_after_parsing(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_user(1001)
    await bot.send_message(1001, f"<b>{'a' * 4096}</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1001, "a" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(1001, " \n ")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(1001, b"x", filename="a.txt", caption="c" * 1025)
    assert len(fake.chat_messages(1001)) == 1


async def test_inline_keyboard_is_validated(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_user(1001)
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(1001, "64 bytes", reply_markup=fits)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(1001, "66 bytes", reply_markup=too_long)
    async with httpx.AsyncClient(base_url=f"{fake.base_url}{TOKEN}/") as client:
        text_only = {"inline_keyboard": [[{"text": "alleen tekst"}]]}
        reply = await client.post(
            "sendMessage", json={"chat_id": 1001, "text": "x", "reply_markup": text_only}
        )
        assert reply.json()["description"] == (
            "Bad Request: text buttons are unallowed in the inline keyboard"
        )
        form = {"chat_id": "1001", "text": "x", "reply_markup": "[1]"}
        assert (await client.post("sendMessage", data=form)).json()["error_code"] == 400
    assert len(fake.chat_messages(1001)) == 1


async def test_edits_follow_telegram_rules(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_user(1001)
    sent = await bot.send_message(1001, "<b>Stap 1</b>", parse_mode="HTML", reply_markup=BACK)
    with pytest.raises(BadRequest, match="Message is not modified: specified new message content"):
        await bot.edit_message_text(
            "<b>Stap 1</b>", 1001, sent.message_id, parse_mode="HTML", reply_markup=BACK
        )
    await bot.edit_message_text("Stap 2", 1001, sent.message_id)  # no markup: keyboard goes
    stored = fake.last_message(1001)
    assert (stored.text, stored.buttons, stored.edited) == ("Stap 2", [], True)
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=BACK)
    assert fake.last_message(1001).button_texts == ["Terug"]
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", 1001, 999)
    assert await bot.delete_message(1001, sent.message_id)
    assert fake.chat_messages(1001) == []


async def test_unknown_chat_and_blocked_user(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(4242, "hoi")
    user = fake.add_user(1001)
    sent = await bot.send_message(1001, "hoi")
    fake.block(user)
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(1001, "hoi?")
    with pytest.raises(Forbidden):
        await bot.edit_message_text("weg", 1001, sent.message_id)
    fake.unblock(user)
    await bot.send_message(1001, "weer terug")
    updates = await bot.get_updates()
    statuses = [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member]
    assert statuses == ["kicked", "member"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's own
async def test_fail_next_injects_flood_waits_and_gateway_errors(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.add_user(1001)
    fake.add_user(1002)
    fake.fail_next("sendMessage", status=429, retry_after=7, chat_id=1002)
    await bot.send_message(1001, "other chats are unaffected")
    with pytest.raises(RetryAfter, match="Retry in 7 seconds"):
        await bot.send_message(1002, "x")
    fake.fail_next("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway") as info:
            await bot.send_message(1002, "x")
        assert not isinstance(info.value, BadRequest)
    await bot.send_message(1002, "recovered")
    calls = fake.calls_to("sendMessage")
    assert [call.status for call in calls] == [200, 429, 502, 502, 200]
    assert calls[1].description == "Too Many Requests: retry after 7"


async def test_get_updates_long_polls_until_a_user_writes(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.add_user(1001, "Anna", "nl")
    started = time.monotonic()
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()
    assert time.monotonic() - started >= 0.19
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    sent = await fake.send_text(user, "/start@spasmbot_test_bot nu")
    (update,) = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert update.message is not None and update.message.message_id == sent["message_id"]
    assert update.message.from_user is not None and update.message.from_user.language_code == "nl"
    command = update.message.entities[0]
    assert (command.type, command.offset, command.length) == ("bot_command", 0, 24)


async def test_offset_confirms_updates(fake: FakeTelegram, bot: Bot) -> None:
    user = fake.add_user(1001)
    for text in ("een", "twee", "drie"):
        await fake.send_text(user, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["een", "twee"]
    assert len(await bot.get_updates()) == 3  # nothing confirmed yet: all redelivered
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["drie"]
    assert len(fake.pending_updates) == 1
    with pytest.raises(AssertionError, match="still unconfirmed"):
        await fake.wait_idle(timeout=0.05)
    await bot.get_updates(offset=rest[-1].update_id + 1)
    await fake.wait_idle(timeout=0.5)
    assert fake.pending_updates == []


async def test_tap_uses_the_current_keyboard_and_queries_are_answered_once(
    fake: FakeTelegram, bot: Bot
) -> None:
    user = fake.add_user(1001)
    sent = await bot.send_message(1001, "Menu", reply_markup=BACK)
    query_id = await fake.tap(user, sent.message_id, button_text="Terug")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and (query.id, query.data) == (query_id, "menu:back")
    assert query.message is not None and query.message.message_id == sent.message_id
    with pytest.raises(AssertionError, match="Terug"):
        await fake.tap(user, sent.message_id, button_text="Verder")
    answered = asyncio.create_task(fake.until_answered(query_id))
    assert await bot.answer_callback_query(query_id, text="Oké")
    assert (await answered)["text"] == "Oké"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    forged = await fake.tap_data(user, sent.message_id, "no such button")
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=None)
    with pytest.raises(AssertionError, match=r"buttons: \[\]"):
        await fake.tap(user, sent.message_id, button_text="Terug")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(forged + "0")


async def test_commands_are_stored_per_language_and_scope(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin")])
    await bot.set_my_commands([("start", "Beginnen"), ("hulp", "Hulp")], language_code="nl")
    await bot.set_my_commands([("beheer", "Beheer")], scope=BotCommandScopeChat(1001))
    assert fake.commands() == [{"command": "start", "description": "Begin"}]
    assert [c["command"] for c in fake.commands("nl")] == ["start", "hulp"]
    assert fake.commands(scope_type="chat", chat_id=1001)[0]["command"] == "beheer"
    dutch = await bot.get_my_commands(language_code="nl")
    assert [c.description for c in dutch] == ["Beginnen", "Hulp"]
    assert await bot.get_my_commands(language_code="de") == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start!", "x")])
    await bot.delete_my_commands(language_code="nl")
    assert fake.commands("nl") == []


async def test_document_upload_get_file_and_download(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_user(1001)
    payload = bytes(range(256)) * 10
    sent = await bot.send_document(
        1001, payload, filename="verslag.pdf", caption="<i>Je week</i>", parse_mode="HTML"
    )
    stored = fake.last_message(1001)
    doc = stored.document
    assert doc is not None and (doc.data, doc.file_name) == (payload, "verslag.pdf")
    assert (doc.mime_type, stored.caption, stored.caption_html) == (
        "application/pdf",
        "Je week",
        "<i>Je week</i>",
    )
    assert sent.document is not None and sent.caption == "Je week"
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == payload
    assert fake.calls_to("sendDocument")[0].params["document"]["size"] == len(payload)


async def test_get_me_wrong_token_and_unknown_method(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (int(TOKEN.split(":")[0]), "spasmbot_test_bot", True)
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/bot" and fake.port > 0
    with pytest.raises(InvalidToken):
        async with Bot("654321:WRONG-TOKEN", base_url=fake.base_url):
            pass
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{fake.base_url}654321:WRONG-TOKEN/getMe")
        unknown = await client.post(f"{fake.base_url}{TOKEN}/sendTelepathy")
    unauthorized = {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert (wrong.status_code, wrong.json()) == (401, unauthorized)
    assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")
    assert [call.status for call in fake.calls_to("getMe")] == [200, 200, 401, 401]


async def test_token_never_reaches_calls_or_logs(
    fake: FakeTelegram, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="devtools.fakeapi")
    caplog.set_level(logging.DEBUG, logger="aiohttp")
    fake.add_user(1001)
    sent = await bot.send_document(1001, b"data", filename="a.txt")
    assert sent.document is not None
    await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    with pytest.raises(BadRequest):
        await bot.send_message(1001, "<b>", parse_mode="HTML")
    async with httpx.AsyncClient() as client:
        control = await client.get(f"http://127.0.0.1:{fake.port}/_fake/calls")
    records = [r for r in caplog.records if r.name.startswith(("devtools.fakeapi", "aiohttp"))]
    assert any("/bot<token>/sendDocument" in r.getMessage() for r in records)
    assert not any(SECRET in r.getMessage() for r in records)
    assert SECRET not in json.dumps([call.to_json() for call in fake.calls]) + control.text


async def test_control_endpoints_play_users(fake: FakeTelegram, bot: Bot) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{fake.port}/_fake/") as client:
        await client.post("users", json={"user_id": 7, "first_name": "Piet", "language_code": "nl"})
        await client.post("send", json={"user_id": 7, "text": "/start"})
        (update,) = await bot.get_updates()
        assert update.message is not None and update.message.text == "/start"
        sent = await bot.send_message(7, "Kies", reply_markup=BACK)
        tap = {"user_id": 7, "message_id": sent.message_id, "callback_data": "menu:back"}
        assert (await client.post("tap", json=tap)).json()["ok"] is True
        missing = await client.post("tap", json={**tap, "callback_data": "nope"})
        assert missing.status_code == 400 and "Terug" in missing.json()["description"]
        (shown,) = (await client.get("chats/7")).json()["result"]
        assert shown["buttons"] == [[{"text": "Terug", "callback_data": "menu:back", "url": None}]]


async def test_a_real_application_polls_and_answers(fake: FakeTelegram) -> None:
    choose = InlineKeyboardMarkup([[InlineKeyboardButton("Kies", callback_data="pick")]])

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_html("<b>Welkom</b>", reply_markup=choose)

    async def pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("ok")
        await update.callback_query.edit_message_text("Gekozen")

    builder = Application.builder().token(TOKEN).base_url(fake.base_url)
    app = builder.base_file_url(fake.base_file_url).build()
    app.add_handlers([CommandHandler("start", start), CallbackQueryHandler(pick)])
    user = fake.add_user(1001)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=dtm.timedelta(seconds=1))
        await fake.send_text(user, "/start")
        sent = await fake.wait_for_call("sendMessage")
        query_id = await fake.tap(user, sent.result["message_id"], "Kies")
        assert (await fake.until_answered(query_id))["text"] == "ok"
        await fake.wait_idle(settle=0.05)
        await app.updater.stop()
        await app.stop()
    assert fake.last_message(1001).text == "Gekozen"
