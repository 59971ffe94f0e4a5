"""The browser sandbox's web API, without a browser: what a reviewer's page would show."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from devtools.fakeapi import BotMessage, FakeFile
from devtools.sandbox import SandboxClock
from devtools.sandbox.render import bot_message_json, safe_html
from tests.auxil.checkins import checkins
from tests.auxil.sandbox import running_sandbox

T = TypeVar("T")
Json = dict[str, Any]


async def eventually(check: Callable[[], Awaitable[T | None]], timeout: float = 5.0) -> T:  # noqa: ASYNC109
    """Polls `check` until it returns something (not None) or the deadline passes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result is not None:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def sandbox(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The whole sandbox on a free port, with an HTTP client for its web API."""
    async with (
        running_sandbox(database_url) as url,
        httpx.AsyncClient(base_url=url, timeout=5) as http,
    ):
        yield http


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with sandbox(database_url) as http:
        yield http


async def chat(client: httpx.AsyncClient, user_id: int) -> list[Json]:
    response = await client.get(f"/api/chats/{user_id}")
    response.raise_for_status()
    messages: list[Json] = response.json()["messages"]
    return messages


async def send(client: httpx.AsyncClient, user_id: int, text: str) -> int:
    response = await client.post("/api/send", json={"user_id": user_id, "text": text})
    response.raise_for_status()
    return int(response.json()["message_id"])


async def bot_message(client: httpx.AsyncClient, user_id: int, starts: str, after: int = 0) -> Json:
    """Waits for a bot message (after id `after`) whose text starts with `starts`."""

    async def found() -> Json | None:
        for message in await chat(client, user_id):
            is_bot, later = message["from"] == "bot", message["id"] > after
            if is_bot and later and message["text"].startswith(starts):
                return message
        return None

    return await eventually(found)


def button(message: Json, label: str) -> str:
    data: str = next(b["data"] for row in message["buttons"] for b in row if b["text"] == label)
    return data


async def test_page_static_files_and_users(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>spasmbot sandbox</title>" in page.text
    assert 'aria-live="polite"' in page.text
    for asset in ("/static/sandbox.js", "/static/sandbox.css"):
        assert (await client.get(asset)).status_code == 200
    users = (await client.get("/api/users")).json()
    assert [u["label"] for u in users] == ["Anna (nl)", "Bram (nl)", "Emma (en)"]
    assert [u["id"] for u in users] == [101, 102, 103]


async def test_start_then_a_tap_edits_the_welcome_in_place(client: httpx.AsyncClient) -> None:
    sent = await send(client, 101, "/start")
    welcome = await bot_message(client, 101, "Hallo Anna!")
    assert welcome["id"] > sent
    assert "Wat zijn spasmen?" in [b["text"] for row in welcome["buttons"] for b in row]
    mine = [m for m in await chat(client, 101) if m["from"] == "user"]
    assert [(m["id"], m["text"]) for m in mine] == [(sent, "/start")]

    tap = {
        "user_id": 101,
        "message_id": welcome["id"],
        "data": button(welcome, "Wat zijn spasmen?"),
    }
    assert (await client.post("/api/tap", json=tap)).status_code == 200
    topic = await bot_message(client, 101, "Wat zijn spasmen?")
    assert topic["id"] == welcome["id"] and topic["edited"]
    assert "<b>spasme</b>" in topic["html"]
    assert "⬅️ Terug" in [b["text"] for row in topic["buttons"] for b in row]


async def test_commands_follow_the_users_language(client: httpx.AsyncClient) -> None:
    dutch = [c["command"] for c in (await client.get("/api/commands/101")).json()]
    english = [c["command"] for c in (await client.get("/api/commands/103")).json()]
    assert "instellingen" in dutch and "settings" not in dutch
    assert "settings" in english and "instellingen" not in english


async def test_the_event_stream_reports_a_changed_chat(client: httpx.AsyncClient) -> None:
    async with client.stream("GET", "/api/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.aiter_lines()
        async with asyncio.timeout(5):
            while await anext(lines) != ": connected":
                pass
            await send(client, 102, "/start")
            event = ""
            while not (event.startswith("event: changed") and '"chat_id": 102' in event):
                line = await anext(lines)
                event = line if line.startswith("event:") else f"{event}\n{line}"


async def test_jump_to_the_next_tip(client: httpx.AsyncClient) -> None:
    nothing = (await client.post("/api/clock/next", json={})).json()
    assert nothing["jumped"] is False and nothing["next_tip"] is None
    await send(client, 101, "/start")
    offer = await bot_message(client, 101, "Wil je elke dag")
    tap = {"user_id": 101, "message_id": offer["id"], "data": button(offer, "✅ Ja, graag")}
    assert (await client.post("/api/tap", json=tap)).status_code == 200

    async def scheduled() -> Json | None:
        clock: Json = (await client.get("/api/clock")).json()
        return clock if clock["next_tip"] else None

    before = await eventually(scheduled)
    assert before["next_tip_local"].endswith("09:00")
    jumped = (await client.post("/api/clock/next", json={})).json()
    assert jumped["jumped"] is True
    assert jumped["local"].endswith("09:00") and jumped["zone"] == "Europe/Amsterdam"
    assert jumped["now"] >= before["next_tip"]
    tip = await bot_message(client, 101, "💡 Tip van de dag", after=offer["id"])
    assert [b["text"] for b in tip["buttons"][0]] == ["👍 Nuttig", "👎 Nooit meer"]
    later = (await client.get("/api/clock")).json()
    assert later["next_tip"] > jumped["now"]  # tomorrow's tip; the clock stays moved
    assert later["offset_seconds"] >= jumped["offset_seconds"] > 0


async def test_a_document_the_bot_sent_can_be_downloaded(client: httpx.AsyncClient) -> None:
    await send(client, 101, "/start")
    await bot_message(client, 101, "Hallo Anna!")
    mark = await send(client, 101, "/mijngegevens")

    async def document() -> Json | None:
        found = [m for m in await chat(client, 101) if m["id"] > mark and m["document"]]
        return found[0]["document"] if found else None

    sent = await eventually(document)
    assert sent["name"].endswith(".json")
    response = await client.get(sent["url"])
    assert response.status_code == 200
    assert len(response.content) == sent["size"]
    assert "attachment" in response.headers["content-disposition"]
    assert "101" in json.dumps(json.loads(response.content))
    assert (await client.get("/files/FAKE-NOPE-1")).status_code == 404


async def test_bad_requests_are_answered_clearly(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/chats/999")).status_code == 404
    no_user = await client.post("/api/send", json={"user_id": 999, "text": "hoi"})
    assert no_user.status_code == 404 and no_user.json()["error"]
    empty = await client.post("/api/send", json={"user_id": 101, "text": "  "})
    assert empty.status_code == 400
    form = await client.post("/api/send", data={"user_id": "101", "text": "hi"})
    assert form.status_code == 415  # only JSON: a plain form from another site cannot post
    gone = await client.post("/api/tap", json={"user_id": 101, "message_id": 42, "data": "1|m"})
    assert gone.status_code == 409 and "no bot message 42" in gone.json()["error"]


def test_bot_html_is_escaped_except_telegrams_tags() -> None:
    dirty = (
        "<b>bold</b> <script>alert(1)</script><img src=x onerror=alert(1)>"
        '<a href="javascript:alert(1)">x</a> <a href="https://ms.nl/?a=1&amp;b=2">ok</a>'
        "<i>open &lt;tag&gt;"
    )
    clean = safe_html(dirty)
    assert "<script" not in clean and "<img" not in clean and "onerror" not in clean
    assert '<a href="#"' in clean and 'href="https://ms.nl/?a=1&amp;b=2"' in clean
    assert clean.startswith("<b>bold</b> alert(1)")
    assert clean.endswith("<i>open &lt;tag&gt;</i>")  # unclosed tags are closed
    assert safe_html("<span class='tg-spoiler'>s</span>") == '<span class="tg-spoiler">s</span>'
    # Text that was not sent as HTML is shown as it reads, "<" and all.
    assert safe_html("a <b and c", "a <b and c") == "a &lt;b and c"


def test_the_clock_only_moves_forward() -> None:
    clock = SandboxClock()
    start = clock()
    assert start.tzinfo is UTC or start.utcoffset() == timedelta(0)
    assert clock.advance_to(start + timedelta(hours=5))
    assert clock() >= start + timedelta(hours=5)
    assert not clock.advance_to(datetime(2000, 1, 1, tzinfo=UTC))
    assert clock() >= start + timedelta(hours=5)
    assert SandboxClock(datetime(2000, 1, 1, tzinfo=UTC))() >= start  # a start in the past
    assert SandboxClock(start + timedelta(days=3))() >= start + timedelta(days=3)


def test_photos_and_documents_become_links_to_the_files_route() -> None:
    photo = FakeFile("FAKE-PHOTOS-1", "u1", "photos/file_1.jpg", b"jpeg", None, "image/jpeg")
    caption = "Kijk <b>hier</b> &amp; <u>daar</u>"
    shown = bot_message_json(
        BotMessage(7, 101, 0, caption="Kijk hier & daar", caption_html=caption, photo=photo)
    )
    assert shown["photo"] == "/files/FAKE-PHOTOS-1" and shown["document"] is None
    assert shown["text"] == "Kijk hier & daar" and shown["html"] == caption
    report = FakeFile("FAKE-DOCUMENTS-2", "u2", "documents/file_2.pdf", b"%PDF", "report.pdf")
    listed = bot_message_json(BotMessage(8, 101, 0, document=report))
    assert listed["document"] == {"name": "report.pdf", "size": 4, "url": "/files/FAKE-DOCUMENTS-2"}
    assert listed["html"] == "" and listed["buttons"] == []


def local_day(clock: Json) -> date:
    """The sandbox's local date from /api/clock ("Thu 2026-11-26 09:00")."""
    return date.fromisoformat(clock["local"].split()[1])


async def tap(client: httpx.AsyncClient, user_id: int, message: Json, label: str) -> None:
    body = {"user_id": user_id, "message_id": message["id"], "data": button(message, label)}
    (await client.post("/api/tap", json=body)).raise_for_status()


async def test_the_clock_is_not_set_back_by_a_restart(
    database_url: str, db: async_sessionmaker[AsyncSession]
) -> None:
    """Jump a day ahead, check in, restart: the sandbox's day is still the day checked in
    (not today's real date, which would put that check-in in the future)."""
    real_today = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    async with sandbox(database_url) as client:
        await send(client, 103, "/start")
        offer = await bot_message(client, 103, "Would you like one short tip")
        await tap(client, 103, offer, "✅ Yes, please")

        async def scheduled() -> Json | None:
            clock: Json = (await client.get("/api/clock")).json()
            return clock if clock["next_tip"] else None

        await eventually(scheduled)
        for _ in range(3):  # 09:00 today, if it is still to come, then 09:00 tomorrow
            jumped = (await client.post("/api/clock/next", json={})).json()
            if local_day(jumped) > real_today:
                break
        assert jumped["jumped"] and local_day(jumped) > real_today

        mark = await send(client, 103, "/checkin")
        consent = await bot_message(client, 103, "🔒", after=mark)
        await tap(client, 103, consent, "✅ I agree")
        level = await bot_message(client, 103, "📝 Check-in for", after=mark)
        await tap(client, 103, level, "5")

        async def night_asked() -> Json | None:
            messages = await chat(client, 103)
            return next((m for m in messages if "step 2 of 4" in m["text"]), None)

        await eventually(night_asked)
        [stored] = await checkins(db, 103)
        assert (stored.local_date, stored.nrs) == (local_day(jumped), 5)

    async with sandbox(database_url) as client:
        clock = (await client.get("/api/clock")).json()
        assert datetime.fromisoformat(clock["now"]) >= datetime.fromisoformat(jumped["now"])
        assert datetime.fromisoformat(clock["now"]) >= stored.updated_at
        assert local_day(clock) == stored.local_date
        mark = await send(client, 103, "/checkin")
        again = await bot_message(client, 103, "📝 Check-in for", after=mark)
        assert "You already checked in for this day." in again["text"]
