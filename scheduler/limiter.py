"""The dispatcher's own rate limiter: an even pace, and a shared pause after a 429.

python-telegram-bot's AIORateLimiter (22.8) ends its 429 pause early when any other
request finishes (upstream #5338) and shares one bucket with menu taps. This one
serves only the bulk sender: menu taps go through the Application's own bot and
are never queued behind a broadcast.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class SendPacer:
    """At most `rate` sends per second (None: unlimited); `pause()` holds everyone."""

    def __init__(
        self,
        rate: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 0.0 if rate is None else 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._next_slot = 0.0
        self._paused_until = 0.0

    async def wait_turn(self) -> None:
        """Wait until this sender may go; slots are handed out in call order."""
        while True:
            now = self._clock()
            slot = max(now, self._next_slot, self._paused_until)
            if slot <= now:
                self._next_slot = now + self._interval
                return
            await self._sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after N": nobody sends until then (never shortened)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
