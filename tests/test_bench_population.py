"""The benchmark population copied by the database equals the one made row by row in Python."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.population import PERIOD, TABLES, USER_IDS, seed, seed_in_python
from bot.db.session import create_engine

USERS = 2 * PERIOD + 77  # two copies and part of a third


async def contents(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the population's tables, in id order, without generated ids."""
    engine = create_engine(url)
    found = {}
    async with engine.connect() as connection:
        for name, model in TABLES.items():
            table = model.metadata.tables[name]
            columns = [c for c in table.columns if c is not table.autoincrement_column]
            order = [table.columns[USER_IDS[name][0]], *columns]
            found[name] = [
                tuple(row) for row in await connection.execute(select(*columns).order_by(*order))
            ]
    await engine.dispose()
    return found


async def test_the_copied_population_equals_the_python_one(
    database_url: str, tmp_path: Path
) -> None:
    """`seed` makes PERIOD users in Python and copies them in SQL; `seed_in_python` makes
    all of them in Python. (`database_url`: the test database, SQLite or PostgreSQL.)"""
    reference = f"sqlite+aiosqlite:///{tmp_path / 'python.sqlite3'}"
    await seed(database_url, USERS, 2, None)
    await seed_in_python(reference, USERS, 2)
    copied, made = await contents(database_url), await contents(reference)
    assert {name: len(rows) for name, rows in copied.items()} == {
        "users": USERS,
        "preferences": USERS,
        "consents": len(made["consents"]),
        "deliveries": len(made["deliveries"]),
    }
    assert made["consents"] and made["deliveries"]
    assert copied == made
