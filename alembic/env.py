"""Alembic environment for spasmbot (async engines).

Two ways in:
- `spasmbot migrate`, `spasmbot run` and the tests call `bot.db.migrate.upgrade()`, which
  opens the connection itself and hands it over in `config.attributes["connection"]`
  (Alembic's "connection sharing" recipe), so it also works inside a running event loop.
  An installed wheel runs its own copy of this folder (bot/_data/alembic, see setup.py).
- the plain `alembic` command line in a checkout (alembic.ini), which reads DATABASE_URL
  (and the encryption keys revision 006 needs for stored notes) through spasmbot's settings.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.models import Base
from bot.db.session import create_engine

target_metadata = Base.metadata


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone() -> None:
    from bot.db.crypto import keyring_for
    from bot.settings import load_settings

    settings = load_settings()
    engine = create_engine(settings.database_url, keyring_for(settings))
    async with engine.begin() as connection:
        await connection.run_sync(run_with_connection)
    await engine.dispose()


shared = context.config.attributes.get("connection")
if shared is not None:
    run_with_connection(shared)
else:
    asyncio.run(run_standalone())
