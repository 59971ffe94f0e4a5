"""Fixtures: a real database made by Alembic, the fake Bot API server, the real bot.

The suite runs on SQLite by default. Set SPASMBOT_TEST_DATABASE_URL to a
`postgresql+asyncpg://` URL of a throw-away database to run it on PostgreSQL
(`python3 dev.py test` does this by itself when a server is reachable).

The bot long-polls the fake by default; SPASMBOT_TEST_TRANSPORT=webhook runs the whole
suite with the fake POSTing every update to the bot's webhook instead. The modules in
BOTH_TRANSPORTS always run both ways (the `transport` fixture is parametrized there).
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import hypothesis
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_application, running, services_of
from bot.content import Content, load_content
from bot.db.crypto import Keyring
from bot.db.migrate import upgrade
from bot.db.session import create_engine, create_sessionmaker
from bot.settings import PROJECT_ROOT, Settings
from devtools.fakeapi import FakeTelegram
from tests.auxil.harness import BotHarness, FakeClock

TOKEN = "123456789:TEST-token-that-must-never-be-logged-xyz"
ENCRYPTION_KEY = "nJ0GACJiwj3KHIQbrD0p1KswLHoMmzgqNBe-sMSk0dE="  # the tests' own Fernet key
POSTGRES_URL = os.environ.get("SPASMBOT_TEST_DATABASE_URL", "")
TRANSPORT = os.environ.get("SPASMBOT_TEST_TRANSPORT", "polling")
TRANSPORTS = ("polling", "webhook")
WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdefXYZ"
BOTH_TRANSPORTS = frozenset({"tests.handlers.test_menus", "tests.handlers.test_checkin"})
if TRANSPORT not in TRANSPORTS:
    raise RuntimeError(f"SPASMBOT_TEST_TRANSPORT must be one of {TRANSPORTS}, not {TRANSPORT!r}")
# No time limit per example: a busy CI machine is not a failing property (standard 5).
hypothesis.settings.register_profile("spasmbot", deadline=None)
hypothesis.settings.load_profile("spasmbot")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "transport" in metafunc.fixturenames and metafunc.module.__name__ in BOTH_TRANSPORTS:
        metafunc.parametrize("transport", TRANSPORTS, indirect=True)


def free_port() -> int:
    """A port nobody listens on now (the webhook URL must name it before the bot starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def transport(request: pytest.FixtureRequest) -> str:
    """How the bot gets its updates: "polling" (getUpdates) or "webhook" (the fake POSTs)."""
    return str(getattr(request, "param", TRANSPORT))


def transport_settings(transport: str) -> dict[str, object]:
    """The Settings fields for `transport`: nothing for polling, a local webhook otherwise."""
    if transport == "polling":
        return {"webhook_url": None}  # whatever the environment says
    port = free_port()
    return {
        "webhook_url": f"http://127.0.0.1:{port}/telegram",
        "webhook_secret": SecretStr(WEBHOOK_SECRET),
        "webhook_port": port,
    }


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(PROJECT_ROOT / "content")


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database brought to the newest migration, only through Alembic."""
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        url = POSTGRES_URL
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'spasmbot.sqlite3'}"
        engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory for tests to check what the bot stored (notes decrypted)."""
    engine = create_engine(database_url, Keyring([ENCRYPTION_KEY]))
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(token=TOKEN, bot_username="spasmbot_test_bot")
    await server.start(host="127.0.0.1", port=0)
    yield server
    await server.stop()


@pytest.fixture
def settings(fake: FakeTelegram, database_url: str, transport: str) -> Settings:
    settings = Settings(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_base_url=fake.base_url,
        telegram_base_file_url=fake.base_file_url,
        database_url=database_url,
        encryption_key=SecretStr(ENCRYPTION_KEY),
        scheduler_tick_seconds=0,  # tests call the tick themselves, with the fake clock
        operator_name="MS-vereniging Test",
        operator_contact="privacy@test.invalid",
        health_port=0,  # several apps at once: tests that want it pick a free port
        _env_file=None,  # type: ignore[call-arg]
    )
    return settings.model_copy(update=transport_settings(transport))


@pytest.fixture
def clock() -> FakeClock:
    """Thursday 26 November 2026, 07:00 UTC (08:00 in Amsterdam)."""
    return FakeClock(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))


@pytest.fixture
async def harness(
    fake: FakeTelegram, settings: Settings, content: Content, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The real Application, long-polling the fake server over HTTP on 127.0.0.1 (or
    receiving its updates on a webhook, see `transport`)."""
    application = build_application(settings, content=content, clock=clock)
    async with running(application, poll_timeout=1):
        app_content = services_of(application).content  # with the operator filled in
        yield BotHarness(fake=fake, application=application, content=app_content, clock=clock)
