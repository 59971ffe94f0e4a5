"""Creates and drops a throw-away PostgreSQL database for one test run (used by dev.py).

    python -m tests.auxil.postgres create   → prints the asyncpg URL of a new, empty database
    python -m tests.auxil.postgres drop URL

The server comes from SPASMBOT_TEST_POSTGRES (default: postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid

import asyncpg

SERVER = os.environ.get("SPASMBOT_TEST_POSTGRES", "postgres@127.0.0.1:5432")


async def create() -> str:
    name = f"spasmbot_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(f"postgresql://{SERVER}/postgres", timeout=5)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"postgresql+asyncpg://{SERVER}/{name}"


async def drop(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    if not name.startswith("spasmbot_test_"):
        raise SystemExit(f"refusing to drop {name!r}: not a test database")
    connection = await asyncpg.connect(f"postgresql://{SERVER}/postgres", timeout=5)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["create"]:
            print(asyncio.run(create()))
        elif argv[:1] == ["drop"] and len(argv) == 2:
            asyncio.run(drop(argv[1]))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        print(f"no PostgreSQL at {SERVER}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
