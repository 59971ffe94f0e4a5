"""Issue 11: a bad setting at start-up is one clear line, and the token is never printed.

Each case runs the real `spasmbot` command line (`bot.cli.main`) the way an operator
does, and reads everything the process wrote to stdout and stderr (at file-descriptor
level, so a traceback printed past the logging would be caught too).
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.cli import main as cli_main
from bot.settings import PROJECT_ROOT
from devtools.fakeapi import FakeTelegram
from tests.conftest import TOKEN


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A token, a key and a SQLite file in a fresh folder; no .env file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.delenv("ENCRYPTION_KEY_FILE", raising=False)
    monkeypatch.setenv("SCHEDULER_TICK_SECONDS", "0")
    monkeypatch.setenv("OPERATOR_NAME", "MS-vereniging Test")
    monkeypatch.setenv("OPERATOR_CONTACT", "privacy@test.invalid")
    return tmp_path


async def start_spasmbot_run() -> asyncio.subprocess.Process:
    """`spasmbot run` as its own process (signals need the main thread), with this
    test's environment, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def spasmbot_run() -> tuple[int | None, bytes, bytes]:
    """`start_spasmbot_run` to its end: (exit code, stdout, stderr)."""
    process = await start_spasmbot_run()
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out, err


def one_clear_line(capfd: pytest.CaptureFixture[str], *names: str) -> str:
    out, err = capfd.readouterr()
    everything = out + err
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert "Traceback" not in everything
    last = err.strip().splitlines()[-1]
    assert last.startswith("spasmbot: ") and all(name in last for name in names), last
    return last


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        ("sqlite+aiosqlite:////no/such/folder/bot.sqlite3", "folder"),
        ("postgresql+asyncpg://nobody:secret-pw@127.0.0.1:1/spasmbot", "server runs"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(
    operator_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    url: str,
    hint: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli_main(["migrate"]) == 2
    line = one_clear_line(capfd, "DATABASE_URL", hint)
    assert "secret-pw" not in line


@pytest.mark.parametrize("missing", ["OPERATOR_NAME", "OPERATOR_CONTACT"])
def test_the_bot_does_not_start_without_saying_who_runs_it(
    operator_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    missing: str,
) -> None:
    """The privacy text names the operator and a contact: without them, no start."""
    monkeypatch.delenv(missing)
    assert cli_main(["run"]) == 2
    one_clear_line(capfd, "OPERATOR_NAME and OPERATOR_CONTACT must be set")


def test_a_bot_api_that_cannot_be_reached_is_one_line(
    operator_env: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:1/bot")
    monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", "http://127.0.0.1:1/file/bot")
    assert cli_main(["run"]) == 2
    one_clear_line(capfd, "TELEGRAM_BASE_URL", "cannot be reached")


async def test_a_token_telegram_refuses_is_one_line_without_the_token(
    operator_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`spasmbot run` as its own process (signals need the main thread), against a fake
    Bot API that knows another token and answers 401, with the loudest logging."""
    async with FakeTelegram(token="999:another-token-the-server-knows-abcdef") as fake:
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
        monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", fake.base_file_url)
        monkeypatch.setenv("LOG_LEVEL", "DEBUG")
        returncode, out, err = await spasmbot_run()
    everything = (out + err).decode()
    assert returncode == 2
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert "Traceback" not in everything
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("spasmbot: ") and "TELEGRAM_BOT_TOKEN" in last and "refused" in last


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        (None, "WEBHOOK_URL is set but WEBHOOK_SECRET is not"),
        ("short-secret", "WEBHOOK_SECRET: must be 32 to 256 characters"),
        ("a" * 31 + "!", "WEBHOOK_SECRET: must be 32 to 256 characters"),
    ],
)
def test_a_webhook_needs_a_good_secret_in_one_line(
    operator_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    secret: str | None,
    expected: str,
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    if secret is None:
        monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    else:
        monkeypatch.setenv("WEBHOOK_SECRET", secret)
    assert cli_main(["run"]) == 2
    line = one_clear_line(capfd, expected)
    assert secret is None or secret not in line  # a secret is never repeated


@pytest.mark.parametrize(
    "url", ["http://bot.example.org/telegram", "ftp://x", "bot.example.org/telegram"]
)
def test_a_webhook_url_must_be_https(
    operator_env: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], url: str
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", url)
    monkeypatch.setenv("WEBHOOK_SECRET", "s" * 40)
    assert cli_main(["run"]) == 2
    one_clear_line(capfd, "WEBHOOK_URL", "https://")


async def test_spasmbot_run_with_a_webhook_answers_and_stops_on_sigterm(
    operator_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`spasmbot run` as its own process in webhook mode: it sets the webhook, a /start
    delivered by the fake gets the welcome, and SIGTERM ends it with exit code 0."""
    from tests.conftest import WEBHOOK_SECRET, free_port

    port = free_port()
    async with FakeTelegram(token=TOKEN) as fake:
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
        monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", fake.base_file_url)
        monkeypatch.setenv("WEBHOOK_URL", f"http://127.0.0.1:{port}/telegram")
        monkeypatch.setenv("WEBHOOK_PORT", str(port))
        monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
        monkeypatch.setenv("HEALTH_PORT", "0")
        process = await start_spasmbot_run()
        try:
            await fake.wait_for_call("setWebhook", timeout=60)
            anna = fake.add_user(12_101, "Anna", "nl")
            await fake.send_text(anna, "/start")
            await fake.wait_for_call("sendMessage", timeout=20)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()[-2000:]
    everything = (out + err).decode()
    assert TOKEN not in everything and WEBHOOK_SECRET not in everything
    assert fake.chat_messages(12_101)[0].text.startswith("Hallo")


@pytest.mark.parametrize("variable", ["HEALTH_PORT", "WEBHOOK_PORT"])
async def test_a_port_that_is_taken_is_one_line(
    operator_env: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """The health server's port (here in polling mode, through run_polling) or the
    webhook's port is used by another process."""
    from tests.conftest import WEBHOOK_SECRET, free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        async with FakeTelegram(token=TOKEN) as fake:
            monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
            monkeypatch.setenv("TELEGRAM_BASE_FILE_URL", fake.base_file_url)
            if variable == "WEBHOOK_PORT":
                monkeypatch.setenv("WEBHOOK_URL", f"http://127.0.0.1:{busy}/telegram")
                monkeypatch.setenv("WEBHOOK_PORT", str(busy))
                monkeypatch.setenv("WEBHOOK_SECRET", WEBHOOK_SECRET)
                monkeypatch.setenv("HEALTH_PORT", str(free_port()))
            else:
                monkeypatch.delenv("WEBHOOK_URL", raising=False)
                monkeypatch.setenv("HEALTH_PORT", str(busy))
            returncode, out, err = await spasmbot_run()
    assert returncode == 2, err.decode()[-2000:]
    assert "Traceback" not in (out + err).decode()
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("spasmbot: cannot listen on") and f"{variable} {busy}" in last
