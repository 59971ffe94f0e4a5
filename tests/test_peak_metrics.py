"""Issue 13: the scheduler's peak warning (`Scheduler.peak_load()`) in /metrics, over HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_application, running, services_of
from bot.content import Content
from bot.metrics import PEAK_EVERY
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from tests.auxil.harness import BotHarness, FakeClock
from tests.conftest import free_port

# 09:00 in Amsterdam (the default tip time) is 08:00 UTC on 26 November 2026.
PEAK_MINUTE = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
async def slow_bot(
    fake: FakeTelegram, settings: Settings, content: Content, clock: FakeClock
) -> AsyncIterator[tuple[BotHarness, str]]:
    """The real bot with its health server, sending one message every 50 s with a grace
    of one minute and no spread: three tips due in one minute do not fit."""
    port = free_port()
    slow = settings.model_copy(
        update={
            "health_port": port,
            "tip_rate_per_second": 0.02,
            "tip_grace_minutes": 1,
            "tip_spread_minutes": 0,
        }
    )
    application = build_application(slow, content=content, clock=clock)
    async with running(application, poll_timeout=1):
        harness = BotHarness(
            fake=fake,
            application=application,
            content=services_of(application).content,
            clock=clock,
        )
        yield harness, f"http://127.0.0.1:{port}"


async def take_tips(harness: BotHarness, *user_ids: int) -> None:
    for user_id in user_ids:
        user = harness.user(user_id, "nl")
        await harness.start(user)
        offer = harness.fake.last_message(user.id)
        await harness.tap(user, offer, harness.content.text("tip_offer_yes", "nl"))


async def peak_samples(client: httpx.AsyncClient, base: str) -> tuple[str, dict[str, float]]:
    answer = await client.get(f"{base}/metrics")
    assert answer.status_code == 200
    found = {
        sample.name.removeprefix("spasmbot_scheduler_peak_"): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name.startswith("spasmbot_scheduler_peak_")
    }
    return answer.text, found


@pytest.mark.parametrize("transport", ["polling"], indirect=True)
async def test_a_peak_that_does_not_fit_shows_its_numbers_in_metrics(
    slow_bot: tuple[BotHarness, str], caplog: pytest.LogCaptureFixture
) -> None:
    harness, base = slow_bot
    await take_tips(harness, 13_101, 13_102, 13_103)
    with caplog.at_level(logging.WARNING, logger="scheduler.tick"):
        await harness.scheduler.check_peak()  # what the first tick logs at start
    async with httpx.AsyncClient() as client:
        text, peak = await peak_samples(client, base)
    assert peak == {
        "minute_timestamp_seconds": PEAK_MINUTE.timestamp(),
        "due": 3,
        "needed_seconds": 150,  # 3 at 0.02/s
        "allowed_seconds": 60,  # the grace; no spread
        "would_miss": 2,  # one fits in the minute
        "computed_timestamp_seconds": harness.clock().timestamp(),
    }
    assert "peak minute 08:00 UTC: 3 due, 150 s at 0.02/s, 60 s allowed, 2 would be missed" in (
        caplog.text
    )  # the log line and the metrics tell the same numbers
    assert not any(str(user_id) in text for user_id in (13_101, 13_102, 13_103))


@pytest.mark.parametrize("transport", ["polling"], indirect=True)
async def test_the_peak_is_worked_out_again_at_most_every_few_minutes(
    slow_bot: tuple[BotHarness, str],
) -> None:
    harness, base = slow_bot
    async with httpx.AsyncClient() as client:
        _, empty = await peak_samples(client, base)
        await take_tips(harness, 13_201)
        _, cached = await peak_samples(client, base)
        harness.clock.set(harness.clock() + PEAK_EVERY - timedelta(seconds=1))
        _, still = await peak_samples(client, base)
        harness.clock.set(harness.clock() + timedelta(seconds=1))
        _, fresh = await peak_samples(client, base)
    assert empty["due"] == cached["due"] == still["due"] == 0
    assert empty["minute_timestamp_seconds"] == 0 and empty["would_miss"] == 0
    assert fresh["due"] == 1 and fresh["would_miss"] == 0  # one fits in the grace
    assert fresh["minute_timestamp_seconds"] == PEAK_MINUTE.timestamp()
    assert fresh["needed_seconds"] == 50
