"""Strict mode: the fake enforces Telegram's send limits and answers 429 above them.

Telegram allows a bot about 30 messages a second overall and about one a second in a
chat; above that it answers 429 with `retry_after`. The fake normally accepts any
pace; with strict limits (`FakeTelegram(strict=True)`, `--strict`, or
`POST /_fake/strict {"overall": 30, "per_chat": 1}`; `{"off": true}` ends it) every
send* call (not sendChatAction) counts, and one that would be the 31st within a
second overall, or a chat's second within a second, is refused. What was accepted
and refused is in `GET /_fake/strict`, for benchmarks in another process.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError

if TYPE_CHECKING:
    from .state import FakeState

WINDOW = 1.0  # seconds


def counts(method: str) -> bool:
    """Whether a call is a message sent (what Telegram's limits count)."""
    return method.startswith("send") and method != "sendChatAction"


@dataclass
class StrictLimits:
    overall: float = 30.0  # messages in any second, all chats together
    per_chat: float = 1.0  # messages in any second, one chat
    accepted: list[float] = field(default_factory=list)  # monotonic times
    refused: int = 0
    _recent: deque[float] = field(default_factory=deque)
    _chat_recent: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, chat_id: object, now: float) -> ApiError | None:
        """None (and the send is counted), or the 429 Telegram would answer."""
        while self._recent and now - self._recent[0] >= WINDOW:
            self._recent.popleft()
        chat = self._chat_recent.setdefault(str(chat_id), deque())
        while chat and now - chat[0] >= WINDOW:
            chat.popleft()
        waits = [
            queue[-int(limit)] + WINDOW - now  # until the oldest that makes it full is out
            for queue, limit in ((self._recent, self.overall), (chat, self.per_chat))
            if len(queue) >= limit
        ]
        if waits:
            self.refused += 1
            retry = max(1, math.ceil(max(waits)))
            return ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        self._recent.append(now)
        chat.append(now)
        self.accepted.append(now)
        return None

    def summary(self) -> dict[str, Any]:
        times = self.accepted
        return {
            "overall": self.overall,
            "per_chat": self.per_chat,
            "accepted": len(times),
            "refused": self.refused,
            "first": times[0] if times else None,
            "last": times[-1] if times else None,
            "busiest_second": busiest_second(times),
        }


def refusal(strict: StrictLimits | None, method: str, chat_id: object) -> ApiError | None:
    """The 429 for this call in strict mode, else None (nothing counted when off)."""
    if strict is None or not counts(method):
        return None
    return strict.check(chat_id, time.monotonic())


def busiest_second(times: list[float]) -> int:
    """The most of `times` (sorted) within any one second."""
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= WINDOW:
            first += 1
        most = max(most, last - first + 1)
    return most


def install_strict_control(app: web.Application, state: FakeState) -> None:
    async def configure(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("off"):
            state.strict = None
        else:
            state.strict = StrictLimits(
                float(body.get("overall", 30)), float(body.get("per_chat", 1))
            )
        return web.json_response({"ok": True, "result": state.strict is not None})

    async def report(_: web.Request) -> web.Response:
        summary = state.strict.summary() if state.strict is not None else None
        return web.json_response({"ok": True, "result": summary})

    app.router.add_post("/_fake/strict", configure)
    app.router.add_get("/_fake/strict", report)
