"""Pacing of the bot's replies: per chat and overall, and a 429 only pauses its own chat.

Telegram allows about one message per second in a chat (short bursts pass) and about
30 per second overall. python-telegram-bot's AIORateLimiter pauses *every* request
after any 429 and queues private chats behind busy groups; `ReplyLimiter` instead gives
each chat its own bucket, so one chat that floods or gets a 429 never slows the others.
Answers to button taps (answerCallbackQuery) are not paced: the spinner must stop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
# Methods that add a message to a chat. Edits are not paced: each follows one tap.
PACED_PREFIXES = ("send", "copy", "forward")
MAX_CHATS = 10_000  # idle buckets beyond this many are forgotten


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait (an int or a timedelta, by PTB version/setting)."""
    retry_after: object = exc.retry_after
    total_seconds = getattr(retry_after, "total_seconds", None)
    return float(total_seconds() if callable(total_seconds) else retry_after)  # type: ignore[arg-type]


class Bucket:
    """A token bucket: `rate` per second, up to `burst` at once; `pause()` holds it."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate, self._burst, self._clock = rate, burst, clock
        self._tokens = float(burst)
        self._updated = clock()
        self._paused_until = 0.0

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        return now

    def delay(self) -> float:
        """Seconds to wait before the next send; 0 takes a token now."""
        now = self._refill()
        if now < self._paused_until:
            return self._paused_until - now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self._rate

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def idle(self) -> bool:
        return self._refill() >= self._paused_until and self._tokens >= self._burst


class ReplyLimiter(BaseRateLimiter[None]):
    def __init__(
        self,
        per_chat: float,
        chat_burst: int,
        *,
        overall: float = 30.0,
        max_retries: int = 2,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_retry_after: Callable[[float], None] | None = None,
    ) -> None:
        self._per_chat, self._chat_burst = per_chat, chat_burst
        self._on_retry_after = on_retry_after  # told every 429 (the metrics count them)
        self._overall = Bucket(overall, int(overall))
        self._chats: dict[object, Bucket] = {}
        self._max_retries, self._sleep = max_retries, sleep

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if chat_id is None or not endpoint.startswith(PACED_PREFIXES):
            return await callback(*args, **kwargs)
        bucket = self._bucket(chat_id)
        for attempt in range(self._max_retries + 1):
            await self._wait(bucket)
            await self._wait(self._overall)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                if self._on_retry_after is not None:
                    self._on_retry_after(seconds)
                if attempt == self._max_retries:
                    raise
                log.warning("Telegram asked to wait %.0f s in one chat", seconds)
                bucket.pause(seconds)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _bucket(self, chat_id: object) -> Bucket:
        if chat_id not in self._chats and len(self._chats) >= MAX_CHATS:
            self._chats = {key: b for key, b in self._chats.items() if not b.idle}
        return self._chats.setdefault(chat_id, Bucket(self._per_chat, self._chat_burst))

    async def _wait(self, bucket: Bucket) -> None:
        while (seconds := bucket.delay()) > 0:
            await self._sleep(seconds)
