"""`/_fake/...`: drive the fake over HTTP (manual poking, a future browser sandbox).

No token here: these routes play users, they are not the Bot API.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .fake import FakeTelegram


def _reply(result: Any, status: int = 200) -> web.Response:
    body = {"ok": True, "result": result} if status == 200 else {"ok": False, "description": result}
    return web.json_response(body, status=status)


class Control:
    """Thin JSON wrappers around the FakeTelegram user API."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def body(self, request: web.Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise web.HTTPBadRequest(text="expected a JSON object") from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        return body

    async def add_user(self, request: web.Request) -> web.Response:
        """One user, or many at once with {"users": [{...}, ...]} (benchmarks add 100,000)."""
        body = await self.body(request)
        users = [
            self.fake.add_user(
                int(entry["user_id"]),
                str(entry.get("first_name", "Test")),
                entry.get("language_code"),
            )
            for entry in body.get("users", [body])
        ]
        return _reply(users[0].to_api() if "users" not in body else len(users))

    async def send(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        user = self.fake.user(int(body["user_id"]))
        chat = int(body["chat_id"]) if body.get("chat_id") is not None else None
        return _reply(await self.fake.send_text(user, str(body["text"]), chat=chat))

    async def tap(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        user = self.fake.user(int(body["user_id"]))
        chat = int(body["chat_id"]) if body.get("chat_id") is not None else None
        query_id = await self.fake.tap(
            user,
            int(body["message_id"]),
            callback_data=str(body["callback_data"]),
            chat=chat,
        )
        return _reply({"callback_query_id": query_id})

    async def tap_and_time(self, request: web.Request) -> web.Response:
        """Tap, wait for the bot's answerCallbackQuery, and say how long it took (ms),
        measured here from queueing the update to receiving the answer."""
        body = await self.body(request)
        mark = len(self.fake.state.calls)
        started = time.monotonic()
        query_id = await self.fake.tap(
            self.fake.user(int(body["user_id"])),
            int(body["message_id"]),
            callback_data=str(body["callback_data"]),
        )
        call = await self.fake.wait_for_call(
            "answerCallbackQuery",
            lambda c: str(c.params.get("callback_query_id")) == query_id,
            float(body.get("timeout", 10)),
            after=mark,
        )
        return _reply({"latency_ms": (call.time - started) * 1000})

    async def count(self, request: web.Request) -> web.Response:
        """Calls of ?method= answered with 200 from call number ?after= on: how many, and
        when the first and last arrived (monotonic seconds) — for measuring send rates."""
        method, after = request.query.get("method", ""), int(request.query.get("after", 0))
        calls = self.fake.state.calls
        times = [c.time for c in calls[after:] if c.method == method and c.ok]
        return _reply(
            {
                "count": len(times),
                "first": min(times, default=None),
                "last": max(times, default=None),
                "next": len(calls),
            }
        )

    async def chat(self, request: web.Request) -> web.Response:
        messages = self.fake.chat_messages(int(request.match_info["chat_id"]))
        return _reply([message.to_json() for message in messages])

    async def calls(self, request: web.Request) -> web.Response:
        return _reply([call.to_json() for call in self.fake.calls])


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turns a bad control request (unknown user, missing button) into a 400 with the reason."""
    try:
        response: web.StreamResponse = await handler(request)
    except (AssertionError, KeyError, TypeError, ValueError) as error:
        if not request.path.startswith("/_fake/"):
            raise
        return _reply(str(error) or type(error).__name__, status=400)
    return response


def install_control(app: web.Application, fake: FakeTelegram) -> None:
    control = Control(fake)
    app.middlewares.append(_errors)
    app.router.add_post("/_fake/users", control.add_user)
    app.router.add_post("/_fake/send", control.send)
    app.router.add_post("/_fake/tap", control.tap)
    app.router.add_post("/_fake/tap_and_time", control.tap_and_time)
    app.router.add_get("/_fake/count", control.count)
    app.router.add_get("/_fake/chats/{chat_id}", control.chat)
    app.router.add_get("/_fake/calls", control.calls)
