"""Apply Alembic migrations from code: the only way the schema is made, in tests too."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import data_dir


def alembic_config() -> Config:
    """Built in code, not read from alembic.ini: an installed wheel has no alembic.ini."""
    config = Config()
    # Config values are %-interpolated; a "%" in the path must not count as one.
    config.set_main_option("script_location", str(data_dir("alembic")).replace("%", "%%"))
    return config


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database behind `engine` to `revision` inside one transaction.

    On SQLite the write-ahead log is then emptied: a migration that copies a table
    (revision 006 encrypting plain notes) must not leave the old pages in the -wal file.
    """
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade_on, revision)
    if engine.dialect.name == "sqlite":
        async with engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
