"""The sandbox's own web app: the chat page and a small JSON/SSE API over `FakeTelegram`.

The page never talks to the fake's Bot API port; every user action goes through the
fake's Python API here (`send_text`, `tap`), exactly as the tests play users.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.app import BotApplication, services_of
from devtools.fakeapi import FakeTelegram, FakeUser
from devtools.sandbox.clock import SandboxClock, next_scheduled_tip
from devtools.sandbox.events import Broadcaster
from devtools.sandbox.render import bot_message_json, user_message_json
from scheduler.tick import Scheduler, TickReport

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
MAX_TEXT = 4096
CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'"
)
Json = dict[str, Any]


@dataclass(frozen=True)
class SandboxUser:
    id: int
    name: str
    language_code: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.language_code})"


USERS = (
    SandboxUser(101, "Anna", "nl"),
    SandboxUser(102, "Bram", "nl"),
    SandboxUser(103, "Emma", "en"),
)


@dataclass
class Sandbox:
    """Everything the routes need; `tick` is serialised so two ticks never overlap."""

    fake: FakeTelegram
    application: BotApplication
    clock: SandboxClock
    zone: ZoneInfo
    events: Broadcaster = field(default_factory=Broadcaster)
    tick_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def scheduler(self) -> Scheduler:
        scheduler = services_of(self.application).scheduler
        if scheduler is None:
            raise RuntimeError("the tip scheduler is not running")
        return scheduler

    def user(self, value: object) -> FakeUser:
        if not isinstance(value, int) or value not in {u.id for u in USERS}:
            raise web.HTTPNotFound(reason="unknown user")
        return self.fake.user(value)

    async def tick(self) -> TickReport:
        async with self.tick_lock:
            return await self.scheduler.tick()

    async def jump_to_next_tip(self) -> bool:
        """Moves the clock to the earliest scheduled tip and ticks; False if none is set."""
        async with self.tick_lock:
            sessionmaker = services_of(self.application).sessionmaker
            assert sessionmaker is not None
            due = await next_scheduled_tip(sessionmaker)
            if due is None:
                return False
            self.clock.advance_to(due)
            await self.scheduler.tick()
        self.events.publish("clock", {})
        return True

    async def clock_json(self) -> Json:
        sessionmaker = services_of(self.application).sessionmaker
        due = await next_scheduled_tip(sessionmaker) if sessionmaker is not None else None
        return {
            "now": self.clock().isoformat(),
            "local": self._local(self.clock()),
            "zone": self.zone.key,
            "offset_seconds": self.clock.offset.total_seconds(),
            "next_tip": due.isoformat() if due is not None else None,
            "next_tip_local": self._local(due) if due is not None else None,
        }

    def _local(self, instant: datetime) -> str:
        return instant.astimezone(self.zone).strftime("%a %Y-%m-%d %H:%M")

    def chat_json(self, user: FakeUser) -> Json:
        chat = self.fake.state.chats[user.id]
        bot = {key: bot_message_json(m) for key, m in chat.bot_messages.items()}
        mine = {key: user_message_json(m) for key, m in chat.user_messages.items()}
        messages = [{**mine, **bot}[key] for key in sorted(bot.keys() | mine.keys())]
        notice = None
        for query in self.fake.state.queries.values():
            if query.chat_id == user.id and query.answer and query.answer.get("text"):
                alert = str(query.answer.get("show_alert", "")).lower() == "true"
                notice = {"id": query.id, "text": str(query.answer["text"]), "alert": alert}
        return {"user_id": user.id, "messages": messages, "notice": notice}


async def _body(request: web.Request) -> Json:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(reason="expected a JSON object") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(reason="expected a JSON object")
    return body


class Routes:
    """Thin handlers; see the package docstring for the API."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def page(self, _: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def users(self, _: web.Request) -> web.Response:
        return web.json_response(
            [
                {"id": u.id, "name": u.name, "language_code": u.language_code, "label": u.label}
                for u in USERS
            ]
        )

    async def chat(self, request: web.Request) -> web.Response:
        user = self.sandbox.user(_int(request.match_info["user_id"]))
        return web.json_response(self.sandbox.chat_json(user))

    async def send(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user = self.sandbox.user(body.get("user_id"))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise web.HTTPBadRequest(reason=f"text must be 1 to {MAX_TEXT} characters")
        message = await self.sandbox.fake.send_text(user, text.strip())
        self.sandbox.events.publish("changed", {"chat_id": user.id})
        return web.json_response({"message_id": message["message_id"]})

    async def tap(self, request: web.Request) -> web.Response:
        body = await _body(request)
        user = self.sandbox.user(body.get("user_id"))
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            raise web.HTTPBadRequest(reason="message_id (number) and data (text) are needed")
        try:
            query_id = await self.sandbox.fake.tap(user, message_id, callback_data=data)
        except AssertionError as error:  # no such message or button (any more)
            raise web.HTTPConflict(reason=str(error).splitlines()[0][:200]) from None
        return web.json_response({"callback_query_id": query_id})

    async def commands(self, request: web.Request) -> web.Response:
        user = self.sandbox.user(_int(request.match_info["user_id"]))
        fake = self.sandbox.fake
        return web.json_response(fake.commands(user.language_code) or fake.commands())

    async def clock(self, _: web.Request) -> web.Response:
        return web.json_response(await self.sandbox.clock_json())

    async def next_tip(self, _: web.Request) -> web.Response:
        jumped = await self.sandbox.jump_to_next_tip()
        return web.json_response({"jumped": jumped, **await self.sandbox.clock_json()})

    async def file(self, request: web.Request) -> web.Response:
        """Stored bytes; anything but an image is a download, never rendered on this origin."""
        stored = self.sandbox.fake.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(reason="no such file")
        mime = stored.mime_type or "application/octet-stream"
        response = web.Response(body=stored.data, content_type=mime)
        if not mime.startswith("image/"):
            name = (stored.file_name or stored.file_id).replace('"', "")
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise web.HTTPNotFound(reason="unknown user") from None


@web.middleware
async def _headers(request: web.Request, handler: Any) -> web.StreamResponse:
    """Security headers on every answer; API errors as JSON {"error": ...}. POSTs must be
    JSON, so another web site cannot drive the sandbox with a plain form (that would need
    a CORS preflight, which this app never grants)."""
    try:
        if request.method == "POST" and request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(reason="send JSON (Content-Type: application/json)")
        response: web.StreamResponse = await handler(request)
    except web.HTTPException as error:
        if not request.path.startswith("/api/") or error.status < 400:
            raise
        response = web.json_response({"error": error.reason}, status=error.status)
    if not response.prepared:  # the event stream has sent its headers already
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
    return response


def build_web_app(sandbox: Sandbox) -> web.Application:
    routes = Routes(sandbox)
    app = web.Application(middlewares=[_headers])
    app.router.add_get("/", routes.page)
    app.router.add_static("/static", STATIC_DIR)
    app.router.add_get("/api/users", routes.users)
    app.router.add_get("/api/chats/{user_id}", routes.chat)
    app.router.add_post("/api/send", routes.send)
    app.router.add_post("/api/tap", routes.tap)
    app.router.add_get("/api/commands/{user_id}", routes.commands)
    app.router.add_get("/api/clock", routes.clock)
    app.router.add_post("/api/clock/next", routes.next_tip)
    app.router.add_get("/api/events", sandbox.events.stream)
    app.router.add_get("/files/{file_id}", routes.file)
    return app


async def tick_forever(sandbox: Sandbox, every: float = 10.0) -> None:
    """Delivers tips when the (offset) clock reaches them by itself; runs until cancelled."""
    while True:
        await asyncio.sleep(every)
        try:
            if await sandbox.tick():
                sandbox.events.publish("clock", {})
        except Exception:  # keep ticking; the log says what went wrong
            log.exception("sandbox tip tick failed")
