"""Revision 012 adds `users.broadcasts_enabled` in place: nothing about anyone is lost,
up or down (on SQLite a batch-mode copy of `users` would cascade-delete their rows)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from bot.db.migrate import upgrade
from bot.db.session import create_engine
from tests.db.test_trigger_split import _to

NOW = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


async def test_012_keeps_every_users_rows_and_everyone_gets_broadcasts(database_url: str) -> None:
    engine = create_engine(database_url)
    checkins = text("SELECT count(*) FROM checkins")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_to("011"))
            await connection.execute(
                text(
                    "INSERT INTO users (telegram_id, chat_id, language, timezone) "
                    "VALUES (1, 1, 'nl', 'UTC')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO checkins (user_id, local_date, triggers, created_at, "
                    "updated_at) VALUES (1, :day, '', :now, :now)"
                ),
                {"day": date(2026, 12, 3), "now": NOW},
            )
        await upgrade(engine)
        async with engine.begin() as connection:
            assert await connection.scalar(checkins) == 1
            wanted = text("SELECT broadcasts_enabled FROM users WHERE telegram_id = 1")
            assert await connection.scalar(wanted) in (True, 1)
            await connection.run_sync(_to("011"))
        async with engine.begin() as connection:
            assert await connection.scalar(checkins) == 1
    finally:
        await engine.dispose()
