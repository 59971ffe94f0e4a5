"""Issue 12: /healthz, /readyz and /metrics over real HTTP, in polling and webhook mode."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_application, running, services_of
from bot.content import Content
from bot.db.migrate import upgrade
from bot.db.models import Appointment
from bot.db.session import create_engine, create_sessionmaker
from bot.health import newest_revision
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from tests.auxil.harness import BotHarness, FakeClock
from tests.conftest import TRANSPORTS, free_port


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def health(
    fake: FakeTelegram, settings: Settings, content: Content, clock: FakeClock
) -> AsyncIterator[tuple[BotHarness, str]]:
    """The real bot with its health server on a free port; yields (harness, base URL)."""
    port = free_port()
    application = build_application(
        settings.model_copy(update={"health_port": port}), content=content, clock=clock
    )
    async with running(application, poll_timeout=1):
        app_content = services_of(application).content
        harness = BotHarness(fake=fake, application=application, content=app_content, clock=clock)
        yield harness, f"http://127.0.0.1:{port}"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} from the Prometheus text format."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(
    client: httpx.AsyncClient, base: str
) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    answer = await client.get(f"{base}/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return answer.text, samples(answer.text)


async def test_healthz_and_readyz_answer_200_when_all_is_well(
    health: tuple[BotHarness, str],
) -> None:
    _, base = health
    async with httpx.AsyncClient() as client:
        live = await client.get(f"{base}/healthz")
        ready = await client.get(f"{base}/readyz")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"ready": True})


async def test_readyz_is_503_with_a_reason_when_the_database_is_down(
    health: tuple[BotHarness, str],
) -> None:
    harness, base = health
    services = services_of(harness.application)
    assert services.engine is not None
    await services.engine.dispose()
    services.engine = create_engine("postgresql+asyncpg://nobody:pw-secret@127.0.0.1:1/down")
    services.sessionmaker = create_sessionmaker(services.engine)
    async with httpx.AsyncClient() as client:
        ready = await client.get(f"{base}/readyz")
        live = await client.get(f"{base}/healthz")
        _, metrics = await scrape(client, base)
    assert ready.status_code == 503
    assert ready.json()["ready"] is False
    assert ready.json()["reason"].startswith("database does not answer (")
    assert "pw-secret" not in ready.text
    assert live.status_code == 200  # alive, only not ready
    assert value(metrics, "spasmbot_database_up") == 0


@pytest.mark.parametrize("transport", ["polling"], indirect=True)
async def test_readyz_is_503_while_the_schema_is_behind(
    fake: FakeTelegram, settings: Settings, content: Content, clock: FakeClock, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    await upgrade(engine, "006")
    await engine.dispose()
    port = free_port()
    old = settings.model_copy(update={"health_port": port, "database_url": url})
    async with (
        running(build_application(old, content=content, clock=clock), poll_timeout=1),
        httpx.AsyncClient() as client,
    ):
        ready = await client.get(f"http://127.0.0.1:{port}/readyz")
    assert ready.status_code == 503
    newest = newest_revision()
    assert newest is not None and newest != "006"
    assert ready.json() == {
        "ready": False,
        "reason": f"database schema at 006, newest is {newest}: run spasmbot migrate",
    }


async def test_metrics_count_updates_errors_and_429s_without_user_ids(
    health: tuple[BotHarness, str],
) -> None:
    harness, base = health
    anna = harness.user(12_201, "nl")
    menu = await harness.say(anna, "/menu")
    await harness.tap(anna, menu, harness.content.topics["what"].title["nl"])
    harness.fake.fail_next("sendMessage", status=429, retry_after=1)
    await harness.say(anna, "/help")
    harness.fake.fail_next("sendMessage", status=502)
    await harness.say(anna, "/help")  # fails, then the apology
    await harness.fake.wait_idle(settle=0.3)
    async with httpx.AsyncClient() as client:
        text, metrics = await scrape(client, base)
    assert value(metrics, "spasmbot_updates_total", type="message", outcome="ok") == 2
    assert value(metrics, "spasmbot_updates_total", type="message", outcome="error") == 1
    assert value(metrics, "spasmbot_updates_total", type="callback_query", outcome="ok") == 1
    assert value(metrics, "spasmbot_update_handling_seconds_count", type="message") == 3
    assert value(metrics, "spasmbot_errors_total", type="NetworkError") == 1
    assert value(metrics, "spasmbot_telegram_rate_limited_total", sender="replies") == 1
    assert value(metrics, "spasmbot_telegram_rate_limited_seconds_total", sender="replies") == 1
    assert value(metrics, "spasmbot_users", state="active") == 1
    assert value(metrics, "spasmbot_users_seen", within="24h") == 1
    assert value(metrics, "spasmbot_database_up") == 1
    assert "12201" not in text and "Anna" not in text  # no user ids or names, ever


async def test_metrics_show_the_scheduler_backlog_lag_and_outcomes(
    health: tuple[BotHarness, str],
) -> None:
    harness, base = health
    for user_id in (12_301, 12_302):
        user = harness.user(user_id, "nl")
        await harness.start(user)
        offer = harness.fake.last_message(user.id)
        await harness.tap(user, offer, harness.content.text("tip_offer_yes", "nl"))
    # 09:00 in Amsterdam is 08:00 UTC; at 08:30 UTC both tips are half an hour late.
    harness.clock.set(datetime(2026, 11, 26, 8, 30, tzinfo=UTC))
    async with httpx.AsyncClient() as client:
        _, before = await scrape(client, base)
        harness.fake.fail_next("sendMessage", status=429, retry_after=1)
        report = await harness.scheduler.tick()
        _, after = await scrape(client, base)
    assert value(before, "spasmbot_scheduler_backlog", kind="tip") == 2
    assert value(before, "spasmbot_scheduler_lag_seconds", kind="tip") == 30 * 60
    assert value(before, "spasmbot_scheduler_backlog", kind="checkin") == 0
    assert value(before, "spasmbot_scheduler_lag_seconds", kind="checkin") == 0
    assert report.sent == 2
    assert value(after, "spasmbot_scheduler_backlog", kind="tip") == 0
    assert value(after, "spasmbot_scheduler_lag_seconds", kind="tip") == 0
    assert value(after, "spasmbot_scheduled_messages_24h", kind="tip", outcome="sent") == 2
    assert value(after, "spasmbot_telegram_rate_limited_total", sender="scheduler") == 1


async def test_each_application_has_its_own_registry(
    fake: FakeTelegram, settings: Settings, content: Content
) -> None:
    first, second = (build_application(settings, content=content) for _ in range(2))
    first_metrics = services_of(first).metrics
    assert first_metrics.registry is not services_of(second).metrics.registry
    first_metrics.errors.labels("ValueError").inc()
    assert (
        services_of(second).metrics.registry.get_sample_value(
            "spasmbot_errors_total", {"type": "ValueError"}
        )
        is None
    )


@pytest.mark.parametrize("transport", ["polling"], indirect=True)
async def test_health_port_0_starts_no_server(harness: BotHarness) -> None:
    assert services_of(harness.application).settings.health_port == 0
    assert services_of(harness.application).health is None


def test_the_metric_names_follow_prometheus_conventions() -> None:
    from bot.metrics import Metrics

    names = {metric.name for metric in Metrics().registry.collect()}
    assert names and all(re.fullmatch(r"spasmbot_[a-z0-9_]+", name) for name in names)


async def test_the_backlog_counts_each_kind_in_its_own_table(
    health: tuple[BotHarness, str], db: async_sessionmaker[AsyncSession]
) -> None:
    """An appointment reminder is due in `appointments`, not `preferences`: with two
    users who have settings, one due reminder is one (not one per settings row)."""
    harness, base = health
    for user_id in (12_311, 12_312):
        user = harness.user(user_id, "nl")
        await harness.start(user)
        offer = harness.fake.last_message(user.id)
        await harness.tap(user, offer, harness.content.text("tip_offer_no", "nl"))
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    async with db.begin() as session:
        session.add(
            Appointment(
                user_id=12_311,
                day=date(2026, 11, 30),
                with_whom="neurologist",
                remind_days=3,
                reminder_at=now - timedelta(minutes=10),
                after_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
                created_at=now,
                updated_at=now,
            )
        )
    async with httpx.AsyncClient() as client:
        _, metrics = await scrape(client, base)
    assert value(metrics, "spasmbot_scheduler_backlog", kind="appointment") == 1
    assert value(metrics, "spasmbot_scheduler_lag_seconds", kind="appointment") == 600
