"""Revision 007: stored "heat" answers become the legacy "heat_or_fever", nothing else moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db.migrate import alembic_config, upgrade
from bot.db.session import create_engine

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
BEFORE = ["", "heat", "heat,stress", "pain,stress", "full_bladder,heat,touch"]
AFTER = [
    "",
    "heat_or_fever",
    "heat_or_fever,stress",
    "pain,stress",
    "full_bladder,heat_or_fever,touch",
]


def _to(revision: str) -> Callable[[Connection], None]:
    def step(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    return step


async def test_old_heat_answers_keep_their_meaning_both_ways(database_url: str) -> None:
    engine = create_engine(database_url)
    stored = text("SELECT triggers FROM checkins ORDER BY id")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_to("006"))
            await connection.execute(
                text(
                    "INSERT INTO users (telegram_id, chat_id, language, timezone) "
                    "VALUES (1, 1, 'nl', 'UTC')"
                )
            )
            for day, triggers in enumerate(BEFORE, start=1):
                await connection.execute(
                    text(
                        "INSERT INTO checkins (user_id, local_date, triggers, created_at, "
                        "updated_at) VALUES (1, :day, :triggers, :now, :now)"
                    ),
                    {"day": date(2026, 11, day), "triggers": triggers, "now": NOW},
                )
        await upgrade(engine)
        async with engine.begin() as connection:
            assert list(await connection.scalars(stored)) == AFTER
            await connection.execute(
                text("UPDATE checkins SET triggers = 'fever,warm' WHERE triggers = ''")
            )
            await connection.run_sync(_to("006"))
            assert list(await connection.scalars(stored)) == ["heat", *BEFORE[1:]]
    finally:
        await engine.dispose()
