"""A benchmark population, written straight into a migrated database (and the fake).

    python -m bench.population DATABASE_URL USERS DAYS [FAKE_PORT]
    python -m bench.population vacuum DATABASE_URL     # PostgreSQL: VACUUM, as autovacuum

Mixed zones; 40 % take their tip at 09:00 Amsterdam (the peak minute), the others at
minutes spread over the day in four zones; 20 % have the evening check-in at 20:00
Amsterdam. `DAYS` days of delivery history before T0 (a tip for everyone, a check-in
for the 20 %), then ANALYZE, as a database that has run for a while. Nobody is due at
T0; the next tips fall due from T0 on. Run in its own process, so the measuring
process's RSS is its own.

A user's rows depend only on their id modulo PERIOD (1440), so only the first PERIOD
users are made in Python; the database copies them (`INSERT ... SELECT`, ids shifted by
multiples of PERIOD) up to USERS: 1,000,000 users in about a minute on either database.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import httpx
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.content import load_content
from bot.db.migrate import upgrade
from bot.db.models import Consent, Delivery, Preferences, User
from bot.db.session import create_engine
from bot.domain.schedule import Schedule, next_due
from bot.settings import PROJECT_ROOT

T0 = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)  # 05:00 in Amsterdam: nothing due
ZONES = ("Europe/Amsterdam", "Europe/London", "America/New_York", "Asia/Tokyo")
PEAK_MINUTE, EVENING = 9 * 60, 20 * 60
CHUNK = 10_000
EVERY_DAY = 127
PERIOD = 1440  # tip_of() and has_checkin() repeat every PERIOD ids


def tip_of(user: int) -> tuple[str, int]:
    """(zone, local minute) of a user's tip: every fifth in two at 09:00 Amsterdam."""
    if user % 5 < 2:
        return ZONES[0], PEAK_MINUTE
    return ZONES[user % 4], (user * 37) % 1440


def has_checkin(user: int) -> bool:
    return user % 5 == 2  # 20 %


@cache
def consent_version() -> str:
    return load_content(PROJECT_ROOT / "content").privacy_version


@cache
def due_after(minute: int, zone: str, after: datetime) -> datetime:
    return next_due(Schedule(minute, frozenset(range(7)), zone), after)


def rows(first: int, last: int, days: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    users, prefs, consents, history = [], [], [], []
    for i in range(first, last + 1):
        zone, minute = tip_of(i)
        checkin = has_checkin(i)
        users.append(
            {
                "telegram_id": i,
                "chat_id": i,
                "language": "nl",
                "timezone": zone if not checkin else ZONES[0],
                "created_at": T0 - timedelta(days=days + 1),
                "last_seen_at": T0 - timedelta(days=1),
                "is_active": True,
            }
        )
        if checkin:
            zone = ZONES[0]
            consents.append({"user_id": i, "text_version": consent_version(), "agreed_at": T0})
        prefs.append(
            {
                "user_id": i,
                "tips_enabled": True,
                "tip_minute": minute,
                "tip_days": EVERY_DAY,
                "tip_tags_off": frozenset(),
                "silent": False,
                "told_no_tips": False,
                "next_tip_at": due_after(minute, zone, T0),
                "checkin_enabled": checkin,
                "checkin_minute": EVENING,
                "checkin_days": EVERY_DAY,
                "next_checkin_at": due_after(EVENING, zone, T0) if checkin else None,
                "asked_to_pause": False,
                "morning_enabled": False,
                "morning_minute": 8 * 60,
            }
        )
        for day in range(1, days + 1):
            when = due_after(minute, zone, T0 - timedelta(days=day + 1))
            kinds = ("tip", "checkin") if checkin else ("tip",)
            for kind in kinds:
                history.append(
                    {
                        "user_id": i,
                        "kind": kind,
                        "local_date": date.fromordinal(T0.date().toordinal() - day),
                        "due_at": when,
                        "status": "sent",
                        "item": None,
                        "claimed_at": when,
                        "attempted_at": when,
                        "finished_at": when,
                    }
                )
    yield "users", users
    yield "preferences", prefs
    yield "consents", consents
    yield "deliveries", history


TABLES = {"users": User, "preferences": Preferences, "consents": Consent, "deliveries": Delivery}


async def seed(database_url: str, count: int, days: int, fake_port: int | None) -> float:
    """Seconds it took; the fake (if given) learns every user, so sends to them succeed."""
    started = time.perf_counter()
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.begin() as connection:
        await _insert(connection, 1, min(PERIOD, count), days)
        if count > PERIOD:
            await copy_period(connection, count)
    if fake_port:
        async with httpx.AsyncClient(timeout=60) as client:
            for first in range(1, count + 1, CHUNK):
                users = [{"user_id": i} for i in range(first, min(first + CHUNK, count + 1))]
                await client.post(
                    f"http://127.0.0.1:{fake_port}/_fake/users", json={"users": users}
                )
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE"))
    await engine.dispose()
    return time.perf_counter() - started


async def seed_in_python(database_url: str, count: int, days: int) -> None:
    """Every row made in Python, CHUNK users at a time (what `copy_period` must equal)."""
    engine = create_engine(database_url)
    await upgrade(engine)
    for first in range(1, count + 1, CHUNK):
        async with engine.begin() as connection:
            await _insert(connection, first, min(first + CHUNK - 1, count), days)
    await engine.dispose()


# The columns holding a user id: shifted when the first PERIOD users are copied.
USER_IDS = {
    "users": ("telegram_id", "chat_id"),
    "preferences": ("user_id",),
    "consents": ("user_id",),
    "deliveries": ("user_id",),
}


async def copy_period(connection: AsyncConnection, count: int) -> None:
    """Users PERIOD + 1 … `count` as copies of users 1 … PERIOD, ids shifted, in id order."""
    for name, model in TABLES.items():
        table = model.metadata.tables[name]
        key = USER_IDS[name][0]
        columns = [c.name for c in table.columns if c is not table.autoincrement_column]
        picked = [f"b.{c} + s.n" if c in USER_IDS[name] else f"b.{c}" for c in columns]
        await connection.execute(
            text(
                f"WITH RECURSIVE s(n) AS (SELECT {PERIOD} UNION ALL SELECT n + {PERIOD} FROM s"
                f" WHERE n + {PERIOD} < {int(count)}) "
                f"INSERT INTO {name} ({', '.join(columns)}) "
                f"SELECT {', '.join(picked)} FROM {name} b, s "
                f"WHERE b.{key} <= {PERIOD} AND b.{key} + s.n <= {int(count)} "
                f"ORDER BY s.n, b.{key}"
            )
        )


async def _insert(connection: AsyncConnection, first: int, last: int, days: int) -> None:
    for table, values in rows(first, last, days):
        if values:
            await connection.execute(insert(TABLES[table]), values)


async def vacuum(database_url: str) -> float:
    """PostgreSQL: VACUUM every table (what autovacuum does on a database that runs), so
    index-only scans need no heap visits; seconds it took."""
    started = time.perf_counter()
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM"))
    await engine.dispose()
    return time.perf_counter() - started


if __name__ == "__main__":
    if sys.argv[1] == "vacuum":
        took = asyncio.run(vacuum(sys.argv[2]))
    else:
        port = int(sys.argv[4]) if len(sys.argv) > 4 else None
        took = asyncio.run(seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), port))
    print(f"{took:.1f}")
