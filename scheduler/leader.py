"""One sender per bot: on PostgreSQL, only the holder of an advisory lock sends.

Telegram's limit (about 30 messages a second) is the bot's, not a process's: two
replicas each pacing at the full rate would send twice that. So every scheduler
process tries, at each tick, to take a PostgreSQL *session* advisory lock
(`pg_try_advisory_lock`) on a connection of its own, outside the pool. The process
that holds it is the leader and sends; the others stand by and try again next tick.
The lock lives as long as that connection: when the leader dies (kill -9, a lost
network), PostgreSQL ends its session, the lock is free, and a standby takes it at
its next tick. The leader checks its connection at every tick and before every claim
group, so a leader that lost its connection stops claiming at once.

SQLite has no such lock: there every scheduler is its own leader, and only one
process should run the scheduler (`SCHEDULER_TICK_SECONDS=0` in the others).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Protocol

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 5.0  # seconds; a standby tries again next tick
HANDOVER = 1.1  # seconds: a little over the pacer's window (limiter.WINDOW)


class Leadership(Protocol):
    # Seconds a new leader waits before its first send: the one before it may have
    # sent a second's worth just before it died, and the rate is the bot's.
    handover: float

    async def lead(self) -> bool:
        """True when this process may send now (it holds, or just took, the lock)."""
        ...

    async def still_leading(self) -> bool:
        """True while the lock is still held (checked before each claim group)."""
        ...

    async def close(self) -> None: ...


class AlwaysLeader:
    """SQLite, or a single process: this scheduler always sends."""

    handover = 0.0

    async def lead(self) -> bool:
        return True

    async def still_leading(self) -> bool:
        return True

    async def close(self) -> None:
        return None


def lock_key(bot_id: str) -> int:
    """The advisory lock's 64-bit key: one per bot (the token's numeric id, not secret),
    so two bots sharing a database each have their own leader."""
    digest = hashlib.sha256(f"spasmbot scheduler {bot_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLockLeader:
    """The leader is whoever holds `pg_try_advisory_lock(key)` on its own connection."""

    handover = HANDOVER

    def __init__(self, database_url: str, key: int) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._key = key
        self._connection: asyncpg.Connection | None = None
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    async def lead(self) -> bool:
        if self._held:
            if await self.still_leading():
                return True
            log.warning("scheduler: lost the leader's database connection; standing by")
        try:
            if self._connection is None or self._connection.is_closed():
                self._connection = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
            taken = await self._connection.fetchval("SELECT pg_try_advisory_lock($1)", self._key)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
            log.warning("scheduler: no database for the leader lock: %s", type(exc).__name__)
            await self._drop()
            return False
        if taken:
            log.info("scheduler: this process is the leader (it sends)")
        self._held = bool(taken)
        return self._held

    async def still_leading(self) -> bool:
        if not self._held or self._connection is None:
            return False
        try:
            await self._connection.fetchval("SELECT 1", timeout=CONNECT_TIMEOUT)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            await self._drop()
            return False
        return True

    async def _drop(self) -> None:
        self._held = False
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()

    async def close(self) -> None:
        """Give the lock up (closing the session frees it), so a standby takes over."""
        self._held = False
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await connection.close(timeout=CONNECT_TIMEOUT)
            except (OSError, asyncpg.PostgresError, TimeoutError):
                connection.terminate()


def leadership_for(database_url: str, bot_token: str) -> Leadership:
    """An advisory-lock leader on PostgreSQL; elsewhere this process always leads."""
    if not database_url.startswith("postgresql"):
        return AlwaysLeader()
    return AdvisoryLockLeader(database_url, lock_key(bot_token.split(":", 1)[0]))
