"""Issue 12: webhook mode — Telegram POSTs updates to the bot, which checks the secret.

The bot runs end to end against the fake Bot API server, which delivers every update
to the webhook the bot set (with the secret header, again on any non-2xx answer).
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from aiohttp import web

from bot.app import ALLOWED_UPDATES
from devtools.fakeapi import FakeTelegram
from tests.auxil.harness import BotHarness
from tests.conftest import TOKEN, WEBHOOK_SECRET


@pytest.fixture
def transport() -> str:
    """Every bot in this module runs in webhook mode, whatever SPASMBOT_TEST_TRANSPORT says."""
    return "webhook"


def webhook_url(harness: BotHarness) -> str:
    url = harness.fake.state.webhook_url
    assert url.startswith("http://127.0.0.1:")
    return url


async def test_the_bot_sets_its_webhook_and_a_start_gets_the_welcome(harness: BotHarness) -> None:
    fake = harness.fake
    (call,) = fake.calls_to("setWebhook")
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert call.params["allowed_updates"] == ALLOWED_UPDATES
    assert call.params["drop_pending_updates"] is False
    assert call.params["max_connections"] == 40
    welcome = await harness.start(harness.user(12_001, "nl"))
    assert welcome.text.startswith("Hallo")
    assert fake.calls_to("getUpdates") == []
    assert fake.webhook_deliveries and all(d.status == 200 for d in fake.webhook_deliveries)
    async with httpx.AsyncClient() as client:
        info = (await client.get(f"{fake.base_url}{TOKEN}/getWebhookInfo")).json()["result"]
    assert info["url"] == webhook_url(harness) and info["pending_update_count"] == 0
    assert sorted(info["allowed_updates"]) == sorted(ALLOWED_UPDATES)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-0123456789abcdefghijkl", "x"])
async def test_a_request_without_the_right_secret_is_403_and_not_handled(
    harness: BotHarness, secret: str | None
) -> None:
    anna = harness.user(12_002, "en")
    update = {
        "update_id": 99_001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": anna.id, "type": "private", "first_name": "Anna"},
            "from": anna.to_api(),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    mark = len(harness.fake.calls)
    async with httpx.AsyncClient() as client:
        answer = await client.post(webhook_url(harness), json=update, headers=headers)
        assert answer.status_code == 403
        # the same update with the right secret is handled: the 403 was the secret only
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        assert (await client.post(webhook_url(harness), json=update, headers=headers)).is_success
    welcome = await harness.fake.wait_for_call("sendMessage", after=mark)
    after_welcome = harness.fake.calls.index(welcome) + 1
    await harness.fake.wait_for_call("sendMessage", after=after_welcome, timeout=10)
    await harness.fake.wait_idle(settle=0.5)
    sent = [c for c in harness.fake.calls[mark:] if c.method == "sendMessage"]
    assert len(sent) == 2  # one /start: welcome and tip offer, not twice that


async def test_an_update_delivered_twice_is_handled_once(harness: BotHarness) -> None:
    """Telegram may deliver an update again (or to another process behind the same load
    balancer): the id is recorded in the database, and the second delivery is skipped."""
    anna = harness.user(12_005, "nl")
    update = {
        "update_id": 99_002,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": anna.id, "type": "private", "first_name": "Anna"},
            "from": anna.to_api(),
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    mark = len(harness.fake.calls)
    async with httpx.AsyncClient() as client:
        for _ in range(2):
            answer = await client.post(webhook_url(harness), json=update, headers=headers)
            assert answer.status_code == 200
    await harness.fake.wait_for_call("sendMessage", after=mark)
    await harness.fake.wait_idle(settle=0.3)
    sent = [c for c in harness.fake.calls[mark:] if c.method == "sendMessage"]
    assert len(sent) == 1  # /help once


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'"text"', b"{}", b'{"update_id": "7"}', b'{"update_id": true}'],
)
async def test_a_body_that_is_not_an_update_is_400(harness: BotHarness, body: bytes) -> None:
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        "Content-Type": "application/json",
    }
    mark = len(harness.fake.calls)
    async with httpx.AsyncClient() as client:
        answer = await client.post(webhook_url(harness), content=body, headers=headers)
    assert answer.status_code == 400
    await harness.fake.wait_idle(settle=0.2)
    assert [c.method for c in harness.fake.calls[mark:]] == []


async def test_an_update_the_library_cannot_read_is_200_and_skipped(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """As when polling: logged by id and kind only, and answered 200 so Telegram does not
    send it again and again; the next update is handled."""
    anna = harness.user(12_003, "nl")
    broken = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": anna.id, "type": "private", "first_name": "Anna"},
        "from": anna.to_api(),
        "text": "mijn geheime tekst",
        "story": {"id": 1},  # a story without its chat: PTB 22.8 cannot read it
    }
    harness.fake.inject("message", broken)
    reply = await harness.say(anna, "/help")
    assert reply.text.startswith("Zo werkt het")
    statuses = [d.status for d in harness.fake.webhook_deliveries]
    assert statuses == [200, 200]
    assert "could not be read and was skipped" in caplog.text
    assert "geheime" not in caplog.text


async def test_the_fake_sends_again_until_the_webhook_answers_2xx() -> None:
    """The fake behaves like Telegram: a non-2xx answer (or none) means "send it again"."""
    answers = [500, 429, 200]
    received: list[tuple[int, str | None]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=answers.pop(0) if answers else 200)

    app = web.Application()
    app.router.add_post("/hook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with FakeTelegram(token=TOKEN) as fake, httpx.AsyncClient() as client:
            api = f"{fake.base_url}{TOKEN}"
            refused = await client.post(f"{api}/setWebhook", json={"url": "http://example.org/"})
            assert refused.status_code == 400  # plain http only to this machine
            set_ = await client.post(
                f"{api}/setWebhook",
                json={"url": f"http://127.0.0.1:{port}/hook", "secret_token": "s3cret"},
            )
            assert set_.json()["result"] is True
            conflict = await client.post(f"{api}/getUpdates")
            assert conflict.status_code == 409
            anna = fake.add_user(7, "Anna")
            await fake.send_text(anna, "hello")
            await fake.wait_idle(timeout=5)
            assert [d.status for d in fake.webhook_deliveries] == [500, 429, 200]
            assert received == [(1, "s3cret")] * 3
            info = (await client.get(f"{api}/getWebhookInfo")).json()["result"]
            assert info["pending_update_count"] == 0
            await client.post(f"{api}/deleteWebhook")
            await fake.send_text(anna, "again")
            await asyncio.sleep(0.1)
            assert len(received) == 3  # no webhook: the update waits for getUpdates
            polled = (await client.post(f"{api}/getUpdates", json={"timeout": 0})).json()
            assert [u["update_id"] for u in polled["result"]] == [2]
    finally:
        await runner.cleanup()


async def test_telegram_gets_its_200_before_the_update_is_handled(harness: BotHarness) -> None:
    """The answer does not wait for the handler: here the reply takes a second to be
    accepted, and the delivery was answered long before."""
    anna = harness.user(12_004, "en")
    harness.fake.delay_next("sendMessage", 1.0)
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/help")
    await harness.fake.state.signal.wait_for(lambda: bool(harness.fake.webhook_deliveries), 5)
    [delivery] = harness.fake.webhook_deliveries
    assert delivery.status == 200
    assert harness.fake.calls_to("sendMessage") == []  # still being handled
    reply = await harness.fake.wait_for_call("sendMessage", after=mark)
    assert reply.ok and reply.params["chat_id"] == anna.id
