"""Strict mode: the fake enforces Telegram's send limits and answers 429 above them.

Telegram allows a bot about 30 messages a second overall and about one a second in a
chat; above that it answers 429 with `retry_after`. The fake normally accepts any
pace; with strict limits (`FakeTelegram(strict=True)`, `--strict`, or
`POST /_fake/strict {"overall": 30, "per_chat": 1}`; `{"off": true}` ends it) every
send* call (not sendChatAction) counts, and one that would be the 31st within a
second overall, or a chat's second within a second, is refused. What was accepted
and refused is in `GET /_fake/strict`, for benchmarks in another process.

A send with `allow_paid_broadcast` (Telegram: "up to 1000 messages per second, ignoring
broadcasting limits for a fee of 0.1 Telegram Stars per message") is not held to the
30/s: it is refused only as the 1001st send (paid or not) within a second overall, or
as a chat's second within a second — paying does not lift the per-chat limit. Paid
sends do not count towards the free 30/s; they are counted apart (`paid`).
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
    paid_overall: float = 1000.0  # messages in any second, with allow_paid_broadcast
    accepted: list[float] = field(default_factory=list)  # monotonic times
    refused: int = 0
    paid: int = 0  # of the accepted, sent with allow_paid_broadcast
    _recent: deque[float] = field(default_factory=deque)
    _all_recent: deque[float] = field(default_factory=deque)  # free and paid
    _chat_recent: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, chat_id: object, now: float, paid: bool = False) -> ApiError | None:
        """None (and the send is counted), or the 429 Telegram would answer."""
        chat = self._chat_recent.setdefault(str(chat_id), deque())
        for queue in (self._recent, self._all_recent, chat):
            while queue and now - queue[0] >= WINDOW:
                queue.popleft()
        overall = (self._all_recent, self.paid_overall) if paid else (self._recent, self.overall)
        waits = [
            queue[-int(limit)] + WINDOW - now  # until the oldest that makes it full is out
            for queue, limit in (overall, (chat, self.per_chat))
            if len(queue) >= limit
        ]
        if waits:
            self.refused += 1
            retry = max(1, math.ceil(max(waits)))
            return ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        self._all_recent.append(now)
        if not paid:
            self._recent.append(now)
        chat.append(now)
        self.accepted.append(now)
        self.paid += int(paid)
        return None

    def summary(self) -> dict[str, Any]:
        times = self.accepted
        return {
            "overall": self.overall,
            "per_chat": self.per_chat,
            "accepted": len(times),
            "refused": self.refused,
            "paid": self.paid,
            "first": times[0] if times else None,
            "last": times[-1] if times else None,
            "busiest_second": busiest_second(times),
        }


def refusal(
    strict: StrictLimits | None, method: str, chat_id: object, paid: bool = False
) -> ApiError | None:
    """The 429 for this call in strict mode, else None (nothing counted when off)."""
    if strict is None or not counts(method):
        return None
    return strict.check(chat_id, time.monotonic(), paid)


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
