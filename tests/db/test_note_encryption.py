"""Notes at rest: each engine's keys, rotation, a wrong key, and revision 006 on plain notes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main as cli_main
from bot.db.crypto import KeyProblem, Keyring, WrongKey
from bot.db.migrate import alembic_config, upgrade
from bot.db.models import Checkin, Consent, User
from bot.db.session import create_engine, create_sessionmaker
from tests.conftest import ENCRYPTION_KEY, TOKEN

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
NEW_KEY = "Wg2IPpIExcGUmjAKPn-M27nbBUbpnwi5f6b4A6gOZ0A="


async def store_notes(
    db: async_sessionmaker[AsyncSession], notes: list[str], user_id: int = 1
) -> None:
    async with db.begin() as session:
        session.add(User(telegram_id=user_id, chat_id=user_id, language="nl", timezone="UTC"))
        await session.flush()
        for back, note in enumerate(notes):
            day = date(2026, 11, 26) - timedelta(days=back)
            session.add(
                Checkin(user_id=user_id, local_date=day, note=note, created_at=NOW, updated_at=NOW)
            )


async def notes_with(database_url: str, keys: list[str]) -> list[str | None]:
    engine = create_engine(database_url, Keyring(keys))
    try:
        async with create_sessionmaker(engine)() as session:
            return list(await session.scalars(select(Checkin.note).order_by(Checkin.id)))
    finally:
        await engine.dispose()


async def raw_rows(database_url: str) -> list[tuple[object, ...]]:
    """Every check-in as stored (tokens, not notes) and the schema revision."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT * FROM checkins ORDER BY id"))
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            return [*map(tuple, rows), (version,)]
    finally:
        await engine.dispose()


async def test_notes_need_the_engines_key_to_be_stored_or_read(
    database_url: str, db: async_sessionmaker[AsyncSession]
) -> None:
    await store_notes(db, ["stijf na het fietsen", "rustige dag"])
    assert await notes_with(database_url, [ENCRYPTION_KEY]) == [
        "stijf na het fietsen",
        "rustige dag",
    ]
    with pytest.raises(WrongKey, match="does not open the stored notes"):
        await notes_with(database_url, [Fernet.generate_key().decode()])
    keyless = create_engine(database_url)
    try:
        with pytest.raises(StatementError, match="ENCRYPTION_KEY is not set") as refused:
            await store_notes(create_sessionmaker(keyless), ["zonder sleutel"], user_id=2)
        assert isinstance(refused.value.orig, KeyProblem)
        assert "zonder sleutel" not in str(refused.value)  # SQL parameters are hidden
    finally:
        await keyless.dispose()


@pytest.fixture
def operator_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> Iterator[pytest.MonkeyPatch]:
    """The environment of `spasmbot` on this database, from an empty folder (no .env);
    the command's log set-up is undone afterwards."""
    monkeypatch.chdir(tmp_path)
    for name in ("ENCRYPTION_KEY", "ENCRYPTION_KEY_FILE", "RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPERATOR_NAME", "MS-vereniging Test")
    monkeypatch.setenv("OPERATOR_CONTACT", "privacy@test.invalid")
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield monkeypatch
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


async def spasmbot(*argv: str) -> int:
    """The command line in a thread: it runs its own event loop, as in production."""
    return await asyncio.to_thread(cli_main, list(argv))


async def test_rotate_key_moves_every_note_to_the_newest_key(
    database_url: str,
    db: async_sessionmaker[AsyncSession],
    operator_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    notes = [f"notitie {n}" for n in range(5)]
    await store_notes(db, notes)
    operator_env.setenv("ENCRYPTION_KEY", f"{NEW_KEY},{ENCRYPTION_KEY}")
    assert await spasmbot("rotate-key", "--batch-size", "2") == 0
    assert capsys.readouterr().out == (
        "rotate-key: 5 notes re-encrypted with the newest key, 0 already used it\n"
    )
    assert await notes_with(database_url, [NEW_KEY]) == notes  # the old key can go
    with pytest.raises(WrongKey):
        await notes_with(database_url, [ENCRYPTION_KEY])
    stored = await raw_rows(database_url)
    assert await spasmbot("rotate-key") == 0  # again: nothing left to do
    assert capsys.readouterr().out == (
        "rotate-key: 0 notes re-encrypted with the newest key, 5 already used it\n"
    )
    assert await raw_rows(database_url) == stored


async def test_rotate_key_moves_the_report_name_too(
    db: async_sessionmaker[AsyncSession],
    operator_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every encrypted column rotates, not only the notes: the name on the report too."""
    await store_notes(db, ["notitie"])
    async with db.begin() as session:
        session.add(Consent(user_id=1, text_version="v", agreed_at=NOW, report_name="A. de Vries"))
    operator_env.setenv("ENCRYPTION_KEY", f"{NEW_KEY},{ENCRYPTION_KEY}")
    assert await spasmbot("rotate-key") == 0
    assert "2 notes re-encrypted" in capsys.readouterr().out
    async with db() as session:
        token = await session.scalar(text("SELECT report_name FROM consents"))
    assert Keyring([NEW_KEY]).decrypt(str(token)) == "A. de Vries"
    with pytest.raises(WrongKey):
        Keyring([ENCRYPTION_KEY]).decrypt(str(token))


async def test_rotate_key_without_a_key_that_opens_the_notes_changes_nothing(
    database_url: str,
    db: async_sessionmaker[AsyncSession],
    operator_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await store_notes(db, ["een", "twee", "drie"])
    stored = await raw_rows(database_url)
    operator_env.setenv("ENCRYPTION_KEY", NEW_KEY)
    assert await spasmbot("rotate-key") == 2
    err = capsys.readouterr().err
    line = err.splitlines()[-1]  # after the log lines of the migration check
    assert "Traceback" not in err and line.startswith(
        "spasmbot: ENCRYPTION_KEY does not open the note of check-in"
    )
    assert NEW_KEY not in line
    assert await raw_rows(database_url) == stored


async def test_a_wrong_key_stops_start_up_and_changes_nothing(
    database_url: str,
    db: async_sessionmaker[AsyncSession],
    operator_env: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    await store_notes(db, ["last van de warmte"])
    stored = await raw_rows(database_url)
    wrong = Fernet.generate_key().decode()
    operator_env.setenv("ENCRYPTION_KEY", wrong)
    operator_env.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    operator_env.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:9/bot")  # never reached
    assert await spasmbot("run") == 2
    err = capfd.readouterr().err
    assert err.splitlines()[-1] == (
        "spasmbot: ENCRYPTION_KEY does not open the stored notes; nothing was changed"
    )
    assert "Traceback" not in err and wrong not in err and "warmte" not in err
    assert await raw_rows(database_url) == stored


def _to(revision: str) -> Callable[[Connection], None]:
    def step(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    return step


async def plain_notes_at_005(engine: AsyncEngine, notes: list[str]) -> None:
    """A database from before encryption, with notes stored in plain text."""
    async with engine.begin() as connection:
        await connection.run_sync(_to("005"))
        await connection.execute(
            text(
                "INSERT INTO users (telegram_id, chat_id, language, timezone) "
                "VALUES (1, 1, 'nl', 'UTC')"
            )
        )
        for day, note in enumerate(notes, start=1):
            await connection.execute(
                text(
                    "INSERT INTO checkins (user_id, local_date, triggers, note, created_at, "
                    "updated_at) VALUES (1, :day, '', :note, :now, :now)"
                ),
                {"day": date(2026, 11, day), "note": note, "now": NOW},
            )


async def test_revision_006_encrypts_plain_notes_and_the_downgrade_decrypts_them(
    database_url: str,
) -> None:
    notes = [f"Oude notitie {n} met Kikkerdril" for n in range(3)]
    engine = create_engine(database_url, Keyring([ENCRYPTION_KEY]))
    try:
        await plain_notes_at_005(engine, notes)
        await upgrade(engine)
        async with engine.connect() as connection:
            tokens = await connection.scalars(text("SELECT note FROM checkins"))
            assert all(token.startswith("gAAAAA") for token in tokens)
        assert await notes_with(database_url, [ENCRYPTION_KEY]) == notes
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite":  # no plain copy left in free pages or the WAL
            files = [Path(str(url.database)), Path(f"{url.database}-wal")]
            assert b"Kikkerdril" not in b"".join(p.read_bytes() for p in files if p.exists())
        async with engine.begin() as connection:
            await connection.run_sync(_to("005"))
            plain = await connection.scalars(text("SELECT note FROM checkins ORDER BY id"))
            assert list(plain) == notes
    finally:
        await engine.dispose()


async def test_revision_006_with_plain_notes_and_no_key_stops_before_any_change(
    database_url: str, operator_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(database_url)
    try:
        await plain_notes_at_005(engine, ["nog niet versleuteld"])
    finally:
        await engine.dispose()
    stored = await raw_rows(database_url)
    assert await spasmbot("migrate") == 2
    err = capsys.readouterr().err
    line = err.splitlines()[-1]
    assert "Traceback" not in err and line.startswith(
        "spasmbot: revision 006 encrypts 1 stored notes; nothing was changed."
    )
    assert "ENCRYPTION_KEY_FILE" in line and "spasmbot generate-key" in line
    assert await raw_rows(database_url) == stored
