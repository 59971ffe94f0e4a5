"""The fake's strict mode: Telegram's send limits, answered with 429 and retry_after."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter

from devtools.fakeapi import FakeTelegram
from devtools.fakeapi.strict import StrictLimits, busiest_second
from tests.conftest import TOKEN


def test_above_the_overall_rate_or_a_chats_rate_is_refused_with_retry_after() -> None:
    limits = StrictLimits(overall=3, per_chat=1)
    assert [limits.check(chat, 10.0 + chat / 100) for chat in (1, 2, 3)] == [None] * 3
    refused = limits.check(4, 10.5)  # a fourth within the second
    assert refused is not None and refused.status == 429 and refused.retry_after == 1
    assert limits.check(4, 11.1) is None  # the first has left the window
    again = limits.check(4, 11.6)  # the same chat within a second
    assert again is not None and again.retry_after == 1
    assert limits.summary()["accepted"] == 4 and limits.summary()["refused"] == 2
    assert busiest_second([0.0, 0.5, 0.99, 1.0, 1.6]) == 3


async def test_a_real_bot_gets_429_for_a_chats_second_message_and_control_switches_it() -> None:
    fake = FakeTelegram(token=TOKEN, strict=True)
    await fake.start()
    try:
        fake.add_user(1)
        fake.add_user(2)
        async with Bot(TOKEN, base_url=fake.base_url) as bot:
            await bot.send_message(1, "one")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "two")  # (unless a second passed in between)
            await bot.send_message(2, "another chat")
            await bot.send_chat_action(1, "typing")  # not a message: not counted
            async with httpx.AsyncClient(base_url=f"http://{fake.host}:{fake.port}") as control:
                summary = (await control.get("/_fake/strict")).json()["result"]
                assert (summary["accepted"], summary["refused"]) == (2, 1)
                await control.post("/_fake/strict", json={"off": True})
                await bot.send_message(1, "no limits now")
                await bot.send_message(1, "none at all")
                assert (await control.get("/_fake/strict")).json()["result"] is None
    finally:
        await fake.stop()


def test_paid_broadcasts_pass_above_30_a_second_but_not_twice_a_second_in_a_chat() -> None:
    limits = StrictLimits(overall=3, per_chat=1, paid_overall=6)
    assert [limits.check(chat, 10.0) for chat in (1, 2, 3)] == [None] * 3  # the free 3
    assert limits.check(4, 10.1) is not None  # a 4th free one: 429
    assert [limits.check(chat, 10.2, paid=True) for chat in (5, 6, 7)] == [None] * 3
    assert limits.check(8, 10.3, paid=True) is not None  # the 7th in the second, paid or not
    assert limits.check(5, 11.1, paid=True) is not None  # a chat's second within a second
    assert limits.check(5, 11.3, paid=True) is None
    assert limits.summary()["paid"] == 4 and limits.summary()["accepted"] == 7


async def test_the_fake_takes_allow_paid_broadcast_from_a_real_bot() -> None:
    fake = FakeTelegram(token=TOKEN, strict=StrictLimits(overall=1))
    await fake.start()
    try:
        for chat in (1, 2, 3):
            fake.add_user(chat)
        async with Bot(TOKEN, base_url=fake.base_url) as bot:
            await bot.send_message(1, "free")
            with pytest.raises(RetryAfter):
                await bot.send_message(2, "free, over 1/s")
            await bot.send_message(2, "paid", allow_paid_broadcast=True)
            await bot.send_message(3, "paid", allow_paid_broadcast=True)
        assert [c.params.get("allow_paid_broadcast") for c in fake.calls_to("sendMessage")] == [
            None,
            None,
            True,
            True,
        ]
    finally:
        await fake.stop()
