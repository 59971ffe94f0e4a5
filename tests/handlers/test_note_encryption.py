"""A typed note is stored only encrypted, yet the person sees it in every export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from pypdf import PdfReader
from sqlalchemy.engine import make_url

from bot.logging_setup import configure_logging
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.checkins import at_the_note
from tests.auxil.harness import BotHarness
from tests.conftest import ENCRYPTION_KEY, TOKEN


async def a_check_in_with_a_note(harness: BotHarness, user: FakeUser) -> str:
    """A full check-in through the real bot, with a note nobody else could have typed."""
    note = f"Zebrapad-{uuid.uuid4().hex} na de fysio"
    prompt = await at_the_note(harness, user)
    thanks = await harness.say(user, note)
    assert thanks.text.startswith("✅ Dank je!") and prompt.button_texts[0] == "Overslaan"
    return note


async def raw_notes(database_url: str) -> list[str]:
    """`SELECT note FROM checkins` on a plain connection: no EncryptedText in between."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as connection:
            return [row[0] for row in connection.execute("SELECT note FROM checkins")]
    connection = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        return [row["note"] for row in await connection.fetch("SELECT note FROM checkins")]
    finally:
        await connection.close()


async def stored_bytes(database_url: str) -> bytes:
    """What is on disk: the SQLite file and its -wal file, or pg_dump of the check-ins."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        files = [Path(str(url.database)), Path(f"{url.database}-wal")]
        assert files[0].exists()
        return b"".join(path.read_bytes() for path in files if path.exists())
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed; the raw SELECT above still ran")
    dump = await asyncio.create_subprocess_exec(
        "pg_dump",
        "--data-only",
        "--table=checkins",
        url.set(drivername="postgresql").render_as_string(False),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await dump.communicate()
    assert dump.returncode == 0
    return out


async def test_a_note_reaches_the_database_only_encrypted(
    harness: BotHarness, database_url: str
) -> None:
    note = await a_check_in_with_a_note(harness, harness.user(9101, "nl"))
    [token] = await raw_notes(database_url)
    assert token.startswith("gAAAAA") and "Zebrapad" not in token  # a Fernet token
    on_disk = await stored_bytes(database_url)
    assert b"checkins" in on_disk or b"SQLite format 3" in on_disk  # really the data
    assert note.encode() not in on_disk and b"Zebrapad" not in on_disk


async def documents(
    harness: BotHarness, user: FakeUser, command: str, count: int
) -> list[BotMessage]:
    """The first `count` documents the bot sends after `command`."""
    mark = len(harness.fake.calls)
    await harness.fake.send_text(user, command)
    found = []
    for _ in range(count):
        call = await harness.fake.wait_for_call("sendDocument", after=mark)
        mark = harness.fake.calls.index(call) + 1
        found.append(harness.message(user.id, int(call.result["message_id"])))
    return found


async def test_my_data_and_the_exports_still_show_the_note(harness: BotHarness) -> None:
    anna = harness.user(9102, "nl")
    note = await a_check_in_with_a_note(harness, anna)
    [mine] = await documents(harness, anna, "/mijngegevens", 1)
    assert mine.document is not None
    assert json.loads(mine.document.data)["checkins"][0]["note"] == note
    table, report = await documents(harness, anna, "/export", 2)
    assert table.document is not None and table.document.file_name == "check-ins-spasmen.csv"
    rows = list(csv.reader(io.StringIO(table.document.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][4] == note
    assert report.document is not None and report.document.file_name == "verslag-spasmen.pdf"
    text = PdfReader(io.BytesIO(report.document.data)).pages[0].extract_text()
    assert note in text


@pytest.fixture
def bot_logging(capfd: pytest.CaptureFixture[str]) -> Iterator[None]:
    """The bot's own log set-up at DEBUG, writing to the captured stderr; undone afterwards."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG", TOKEN)
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging.getLogger("telegram").setLevel(logging.NOTSET)


async def test_logs_never_show_a_note_or_the_key(
    capfd: pytest.CaptureFixture[str], bot_logging: None, harness: BotHarness
) -> None:
    anna = harness.user(9103, "nl")
    note = await a_check_in_with_a_note(harness, anna)
    await documents(harness, anna, "/export", 2)
    err = capfd.readouterr().err
    assert "DEBUG" in err  # the loudest level really logged
    assert note not in err and "Zebrapad" not in err
    assert ENCRYPTION_KEY not in err
