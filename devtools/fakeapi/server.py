"""The HTTP face of the fake: Bot API routes, file downloads, request decoding, recording.

python-telegram-bot POSTs `/bot<token>/<method>` with form-urlencoded values (objects and
arrays as JSON strings) or multipart when uploading; other clients send JSON. All three
are decoded to one dict. The token only ever appears in the URL and is never logged or
recorded: log lines use `/bot<token>/<method>` literally.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from typing import Any

from aiohttp import web

from .api_bot import HANDLERS as BOT_HANDLERS
from .api_messages import HANDLERS as MESSAGE_HANDLERS
from .api_messages import Handler
from .errors import ApiError, bad_request
from .models import RecordedCall, Upload
from .state import FakeState
from .strict import refusal
from .validation import Params

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Handler] = {**BOT_HANDLERS, **MESSAGE_HANDLERS}
CANONICAL = {name.lower(): name for name in HANDLERS}
DOWNLOAD = "downloadFile"
CLIENT_GONE = 499  # nginx's code for "client closed the request"; recorded, never sent
MAX_BODY = 60 * 1024 * 1024

# Values that stay strings even when they look like JSON ("123" as a message text).
STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "action",
        "language_code",
        "file_id",
        "title",
        "description",
        "short_description",
        "name",
        "secret_token",
        "ip_address",
        "emoji",
        "business_connection_id",
        "message_effect_id",
        "photo",
        "document",
        "audio",
        "video",
        "voice",
        "sticker",
        "animation",
        "thumbnail",
    }
)


def decode_value(name: str, value: str) -> Any:
    """Form values are strings; Telegram reads objects, arrays, numbers and booleans from them."""
    if name in STRING_FIELDS:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return value if isinstance(decoded, str) else decoded


async def read_params(request: web.Request) -> Params:
    """Query string plus a JSON, urlencoded or multipart body, as one dict."""
    params: Params = {key: decode_value(key, value) for key, value in request.query.items()}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        for key, value in body.items():
            params[key] = decode_value(key, value) if isinstance(value, str) else value
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                text = value if isinstance(value, str) else bytes(value).decode()
                params[key] = decode_value(key, text)
    return params


def loggable(params: Params) -> Params:
    """The params as recorded: uploads are summarised instead of holding bytes."""
    return {k: v.describe() if isinstance(v, Upload) else v for k, v in params.items()}


class Routes:
    """The aiohttp handlers, bound to one `FakeState`."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def install(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self.bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self.download)

    def authorised(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.state.token.encode())

    async def bot_api(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        name = request.match_info["method"]
        method = CANONICAL.get(name.lower(), name)
        params: Params = {}
        status, result = CLIENT_GONE, None
        body: dict[str, Any] = {}
        counted = method != "getUpdates"  # long polls do not count as "busy"
        self.state.in_flight += counted
        try:
            status, body, result = await self.answer(request, method, params)
        finally:
            self.state.in_flight -= counted
            description = None if status in (200, CLIENT_GONE) else str(body["description"])
            call = RecordedCall(method, loggable(params), status, received, result, description)
            self.state.record(call)
            logger.debug("%s /bot<token>/%s -> %d", request.method, name, status)
        return web.json_response(body, status=status)

    async def answer(
        self, request: web.Request, method: str, params: Params
    ) -> tuple[int, dict[str, Any], Any]:
        """(status, body, result) for one Bot API call; fills `params` for the record."""
        try:
            if not self.authorised(request.match_info["token"]):
                raise ApiError(401, "Unauthorized")
            handler = HANDLERS.get(method)
            if handler is None:
                raise ApiError(404, "Not Found")
            params.update(await read_params(request))
            fault = self.state.take_fault(method, params.get("chat_id"))
            if fault is not None:
                raise fault
            paid = params.get("allow_paid_broadcast") is True
            refused = refusal(self.state.strict, method, params.get("chat_id"), paid)
            if refused is not None:
                raise refused
            result = await handler(self.state, params)
            if delay := self.state.take_delay(method, params.get("chat_id")):
                await asyncio.sleep(delay)
        except ApiError as error:
            return error.status, error.body(), None
        except Exception:
            logger.exception("fake Bot API crashed on /bot<token>/%s", method)
            return 500, ApiError(500, "Internal Server Error").body(), None
        return 200, {"ok": True, "result": result}, result

    async def download(self, request: web.Request) -> web.Response:
        """`/file/bot<token>/<file_path>` as getFile's file_path points to."""
        received = time.monotonic()
        file_path = request.match_info["path"]
        stored = self.state.file_by_path(file_path)
        if not self.authorised(request.match_info["token"]):
            status, response = 401, web.json_response(ApiError(401, "Unauthorized").body())
        elif stored is None:
            status, response = 404, web.json_response(ApiError(404, "Not Found").body())
        else:
            status = 200
            content_type = stored.mime_type or "application/octet-stream"
            response = web.Response(body=stored.data, headers={"Content-Type": content_type})
        response.set_status(status)
        self.state.record(RecordedCall(DOWNLOAD, {"file_path": file_path}, status, received))
        logger.debug("GET /file/bot<token>/%s -> %d", file_path, status)
        return response


def build_app(state: FakeState) -> web.Application:
    """The aiohttp application for the Bot API part; control routes are added by the caller."""
    app = web.Application(client_max_size=MAX_BODY)
    Routes(state).install(app)
    return app
