"""What the operator relies on: restarts lose nothing, failures are friendly, logs are clean."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_application, running, services_of
from bot.cli import main as cli_main
from bot.content import Content
from bot.db.models import User
from bot.db.session import create_engine, create_sessionmaker
from bot.logging_setup import configure_logging
from bot.settings import PROJECT_ROOT, Settings
from devtools.fakeapi import FakeTelegram
from tests.auxil.harness import BotHarness, FakeClock, eventually
from tests.conftest import TOKEN


async def test_a_restart_answers_what_was_sent_meanwhile_and_old_buttons_work(
    fake: FakeTelegram, settings: Settings, content: Content, clock: FakeClock
) -> None:
    anna = fake.add_user(user_id=3001, first_name="Anna", language_code="nl")
    first_run = build_application(settings, content=content)
    async with running(first_run, poll_timeout=1):
        harness = BotHarness(fake=fake, application=first_run, content=content, clock=clock)
        menu = await harness.say(anna, "/menu")
    # The bot is down: the user writes and taps a button of the old menu.
    mark = len(fake.calls)
    await fake.send_text(anna, "/help")
    query_id = await fake.tap(anna, menu.message_id, button_text=content.topics["what"].title["nl"])
    async with running(build_application(settings, content=content), poll_timeout=1):
        await fake.wait_for_call("sendMessage", after=mark)
        answered = await fake.until_answered(query_id)
        await fake.wait_for_call("editMessageText", after=mark)
    assert answered.get("text") is None  # a normal tap, not a "stale button" notice
    texts = [m.text for m in fake.chat_messages(3001)]
    assert texts[0].startswith(content.topics["what"].title["nl"])
    assert texts[1].startswith("Zo werkt het")


async def test_telegram_429_is_waited_out_and_the_reply_arrives(harness: BotHarness) -> None:
    anna = harness.user(3002, "en")
    harness.fake.fail_next("sendMessage", status=429, retry_after=1)
    reply = await harness.say(anna, "/help")
    assert reply.text.startswith("How it works")
    statuses = [c.status for c in harness.fake.calls_to("sendMessage")]
    assert statuses == [429, 200]


async def test_telegram_5xx_gets_an_apology_with_the_menu(harness: BotHarness) -> None:
    anna = harness.user(3003, "nl")
    harness.fake.fail_next("sendMessage", status=502)
    reply = await harness.say(anna, "/help")  # the first reply failed; the apology is next
    assert reply.text.startswith(harness.content.text("something_went_wrong", "nl"))
    assert "Traceback" not in reply.text and "Error" not in reply.text


async def test_a_database_that_is_down_gets_an_apology_and_menus_keep_working(
    harness: BotHarness,
) -> None:
    anna = harness.user(3004, "en")
    menu = await harness.say(anna, "/menu")  # language now known to this process
    services = services_of(harness.application)
    assert services.engine is not None
    await services.engine.dispose()
    services.engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/down")
    services.sessionmaker = create_sessionmaker(services.engine)
    opened = await harness.tap(anna, menu, harness.content.topics["what"].title["en"])
    assert opened.screen.text.startswith(harness.content.topics["what"].title["en"])
    newcomer = harness.user(3005, "nl")
    reply = await harness.say(newcomer, "/start")
    assert reply.text.startswith(harness.content.text("something_went_wrong", "nl"))
    assert harness.content.topics["what"].title["nl"] in reply.button_texts


async def test_logs_never_show_the_token_or_what_the_user_wrote(
    harness: BotHarness, capfd: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", TOKEN)
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # even the loudest level
    try:
        anna = harness.user(3006, "nl")
        harness.fake.fail_next("sendMessage", status=502)
        await harness.say(anna, "mijn geheime vraag over baclofen")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        for name in ("httpx", "telegram"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    err = capfd.readouterr().err
    assert "sendMessage" in err  # httpx did log the request URLs ...
    assert "<token>" in err  # ... with the token replaced
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert "geheime vraag" not in err


def test_run_without_token_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    assert cli_main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in err and "README" in err


def test_run_without_an_encryption_key_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name in ("ENCRYPTION_KEY", "ENCRYPTION_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    assert cli_main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "ENCRYPTION_KEY is not set" in err and "ENCRYPTION_KEY_FILE" in err
    assert "`spasmbot generate-key`" in err


def test_generate_key_prints_a_new_fernet_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["generate-key"]) == 0
    assert cli_main(["generate-key"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first != second
    assert Fernet(second).decrypt(Fernet(second).encrypt(b"ok")) == b"ok"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x"),
        ("ENCRYPTION_KEY", "not-a-fernet-key"),
        ("ENCRYPTION_KEY_FILE", "/no/such/keys.txt"),
        ("DEFAULT_TIMEZONE", "Mars/Base"),
        ("LOG_LEVEL", "loud"),
        ("ADMIN_IDS", "12,abc"),
        ("TELEGRAM_BASE_URL", "ftp://x"),
    ],
)
def test_a_bad_setting_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert cli_main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and variable in err and "Traceback" not in err
    assert "not-a-fernet-key" not in err  # a key is never repeated


def test_migrate_command_creates_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    assert cli_main(["migrate"]) == 0
    tables = {r[0] for r in sqlite3.connect(database).execute("select name from sqlite_master")}
    assert {"users", "alembic_version"} <= tables


async def test_blocking_and_unblocking_flip_the_active_flag(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(3007, "nl")
    await harness.start(anna)

    async def active() -> bool:
        async with db() as session:
            user = await session.get(User, 3007)
            assert user is not None
            return user.is_active

    async def inactive() -> bool:
        return not await active()

    harness.fake.block(anna)
    await eventually(inactive)
    harness.fake.unblock(anna)
    await eventually(active)


def test_a_logged_exception_keeps_its_traceback_but_not_its_message(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """An exception's message can quote a note (a parse or database error): from any
    library, the log shows where it happened and what kind of error, never the text."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", TOKEN)
    note = "mijn geheime notitie"  # what a user typed (the traceback shows code lines)
    try:
        try:
            raise ValueError(note)
        except ValueError as exc:
            logging.getLogger("some.library").error("it failed", exc_info=exc)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    err = capfd.readouterr().err
    assert "it failed" in err and "builtins.ValueError" in err and "test_operations.py" in err
    assert "geheime" not in err


async def test_json_logs_are_one_object_per_line_without_token_or_user_text(
    harness: BotHarness, capfd: pytest.CaptureFixture[str]
) -> None:
    """LOG_FORMAT=json: every line is a JSON object with time, level, logger and message;
    a line written while an update is handled names its id and type; the token filter
    still applies and what the user wrote never appears."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", TOKEN, "json")
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # request URLs, with the token in them
    try:
        anna = harness.user(3010, "nl")
        harness.fake.fail_next("sendMessage", status=502)
        await harness.say(anna, "mijn geheime vraag over baclofen")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        for name in ("httpx", "telegram"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    err = capfd.readouterr().err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert "geheime vraag" not in err
    entries = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert entries and all(isinstance(entry, dict) for entry in entries)
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    assert any("<token>" in entry["message"] for entry in entries)  # httpx, redacted
    [failure] = [e for e in entries if e["message"].startswith("error while handling update")]
    assert failure["level"] == "ERROR" and failure["logger"] == "bot.handlers.errors"
    assert failure["kind"] == "message" and isinstance(failure["update_id"], int)
    assert str(failure["update_id"]) in failure["message"]
    assert "NetworkError" in failure["error"] and "Traceback" not in failure["message"]
    assert datetime.fromisoformat(failure["time"]).tzinfo is not None


def test_log_format_must_be_text_or_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "xml")
    assert cli_main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "LOG_FORMAT: must be one of text, json" in err


def test_every_setting_has_a_row_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert {name.upper() for name in Settings.model_fields} <= rows
