"""`/_fake/...`: drive the fake over HTTP (manual poking, a future browser sandbox).

No token here: these routes play users, they are not the Bot API.
"""

from __future__ import annotations

import json
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
        body = await self.body(request)
        user = self.fake.add_user(
            int(body["user_id"]), str(body.get("first_name", "Test")), body.get("language_code")
        )
        return _reply(user.to_api())

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
    app.router.add_get("/_fake/chats/{chat_id}", control.chat)
    app.router.add_get("/_fake/calls", control.calls)
