"""The operator's window into a running bot: /healthz, /readyz and /metrics over HTTP.

A small aiohttp server in the bot's own process and event loop, on HEALTH_LISTEN:
HEALTH_PORT (127.0.0.1:9090 by default; HEALTH_PORT=0 turns it off), in polling and in
webhook mode alike. It starts when the database is connected (post_init) and stops
before the database is closed.

- `GET /healthz` → 200 while the process runs (a liveness probe: restart me if not).
- `GET /readyz` → 200 only when the database answers, its schema is at the newest
  Alembic revision and the content is loaded; otherwise 503 with a short JSON reason.
- `GET /metrics` → Prometheus text format (bot.metrics), with the gauges that come from
  the database (scheduler backlog and lag, scheduled messages, users) read per scrape.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiohttp import web
from alembic.script import ScriptDirectory
from prometheus_client.exposition import choose_encoder
from sqlalchemy import func, select
from sqlalchemy import text as sql_text  # not `text(...)`: that name is the texts lookup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.migrate import alembic_config
from bot.db.models import Delivery, User
from bot.services.stats import deliveries_by_kind
from bot.settings import SettingsError
from scheduler.backlog import due_by_kind
from scheduler.tick import SCHEDULED

if TYPE_CHECKING:
    from bot.context import Services

log = logging.getLogger(__name__)
CHECK_TIMEOUT = 3.0  # seconds: a database slower than this counts as not answering
SEEN_WITHIN = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def newest_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _json(code: int, **body: object) -> web.Response:
    return web.json_response(body, status=code)


class HealthServer:
    def __init__(self, services: Services) -> None:
        self._services = services
        self._head = newest_revision()
        self._runner: web.AppRunner | None = None
        self._scrape = asyncio.Lock()
        self.port = 0  # the port it listens on, once started

    async def start(self) -> None:
        settings = self._services.settings
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.health_listen, settings.health_port).start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(
                f"cannot listen on HEALTH_LISTEN {settings.health_listen}, HEALTH_PORT "
                f"{settings.health_port} ({exc.strerror or type(exc).__name__}): is another "
                "process using the port? HEALTH_PORT=0 turns the health server off"
            ) from None
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("health and metrics on http://%s:%d/", settings.health_listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, request: web.Request) -> web.Response:
        return _json(200, status="ok")

    async def readyz(self, request: web.Request) -> web.Response:
        reason = await self.not_ready()
        if reason is not None:
            return _json(503, ready=False, reason=reason)
        return _json(200, ready=True)

    async def not_ready(self) -> str | None:
        """Why the bot cannot serve users now, in a few words; None when it can."""
        services = self._services
        if services.stopping:
            return "stopping"
        if not services.content.topics or not services.content.tips:
            return "content not loaded"
        if services.sessionmaker is None:
            return "database not connected"
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), services.sessionmaker() as session:
                revision = (
                    await session.execute(sql_text("SELECT version_num FROM alembic_version"))
                ).scalar()
        except Exception as exc:  # what kind of failure only: the message may hold a URL
            return f"database does not answer ({type(exc).__name__})"
        if revision != self._head:
            return f"database schema at {revision}, newest is {self._head}: run spasmbot migrate"
        return None

    async def metrics(self, request: web.Request) -> web.Response:
        # the format Prometheus asks for (text 0.0.4 or 1.0.0, or OpenMetrics)
        encode, content_type = choose_encoder(request.headers.get("Accept", ""))
        async with self._scrape:
            await self._read_database()
            body = encode(self._services.metrics.registry)
        response = web.Response(body=body)
        response.headers["Content-Type"] = content_type
        return response

    async def _read_database(self) -> None:
        services, metrics = self._services, self._services.metrics
        engine = services.engine
        checked_out = getattr(engine.pool, "checkedout", None) if engine is not None else None
        metrics.pool_in_use.set(checked_out() if callable(checked_out) else 0)
        if services.sessionmaker is None:
            metrics.database_up.set(0)
            return
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), services.sessionmaker() as session:
                await _fill_from_database(session, services)
        except Exception as exc:
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            metrics.database_up.set(0)
            return
        metrics.database_up.set(1)
        if services.scheduler is not None:  # the peak gauges, cached (bot.metrics.PeakGauges)
            await metrics.peak.refresh(services.scheduler.peak_load, services.clock())


async def _fill_from_database(session: AsyncSession, services: Services) -> None:
    """The gauges that are facts in the database, as of the bot's clock."""
    metrics, now = services.metrics, services.clock()
    backlog = await due_by_kind(session, SCHEDULED, now)
    outcomes = await deliveries_by_kind(session, Delivery.claimed_at >= now - timedelta(hours=24))
    users: dict[bool, int] = {
        bool(active): int(count)
        for active, count in await session.execute(
            select(User.is_active, func.count()).group_by(User.is_active)
        )
    }
    seen = {}
    for label, period in SEEN_WITHIN.items():
        seen[label] = (
            await session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.is_active, User.last_seen_at >= now - period)
            )
        ) or 0
    # every value is read before any gauge changes: a failed query leaves the last scrape's
    metrics.backlog.clear()
    metrics.lag.clear()
    for name, (count, oldest) in backlog.items():
        metrics.backlog.labels(name).set(count)
        lag = (now - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        metrics.lag.labels(name).set(max(lag, 0.0))
    metrics.scheduled.clear()
    for (kind_name, status), count in outcomes.items():
        metrics.scheduled.labels(kind_name, status).set(count)
    metrics.users.labels("active").set(users.get(True, 0))
    metrics.users.labels("inactive").set(users.get(False, 0))
    for label, count in seen.items():
        metrics.users_seen.labels(label).set(count)


def _aware(moment: datetime) -> datetime:
    """min() over a UTCDateTime column may come back naive (UTC) on SQLite."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
