"""Engine and session factory. Created in the app's post_init, never at import time."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.crypto import Keyring, attach_keyring


def create_engine(database_url: str, keyring: Keyring | None = None) -> AsyncEngine:
    """An async engine whose notes are sealed with `keyring` (without one, storing or
    reading a note stops with a clear error). SQL parameters never appear in errors or
    logs. SQLite gets foreign keys on, a busy timeout, secure_delete (deleted rows and
    replaced values are overwritten, not left in free pages), and WAL with
    synchronous=NORMAL: readers do not block the scheduler's writes, and a commit does
    not wait for a full fsync (a power cut may lose the last commits, never corrupt)."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            database_url, connect_args={"timeout": 15}, hide_parameters=True
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    else:
        engine = create_async_engine(database_url, pool_pre_ping=True, hide_parameters=True)
    if keyring is not None:
        attach_keyring(engine.dialect, keyring)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
