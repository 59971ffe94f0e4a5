"""The dispatcher's own pace: a token bucket, and a shared pause after a bot-wide 429.

python-telegram-bot's AIORateLimiter (22.8) ends its 429 pause early when any other
request finishes (upstream #5338) and shares one bucket with menu taps. This one
serves only the bulk sender: menu taps go through the Application's own bot and
are never queued behind a broadcast.

The bucket earns `rate` tokens a second and saves at most `burst` (a fifth of a
second's worth by default, never more than one second's): over any window of w
seconds at most rate × w + burst sends go out, and a sender that wakes up late
finds the tokens it earned meanwhile, so the long-run pace stays at `rate` (a pacer
that sleeps a fixed interval per message loses every late wake-up).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

BURST_SECONDS = 0.2  # the default burst, in seconds' worth of sends
ROUNDING = 1e-9  # tokens are floats


class TokenBucket:
    """The arithmetic only: no clock, no sleeping; `now` is passed in."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        if rate <= 0 or not 1 <= burst <= max(1.0, rate):
            raise ValueError("rate must be positive and 1 <= burst <= one second's worth")
        self.rate, self.burst = rate, burst
        self.tokens, self.updated = burst, now

    def take(self, now: float) -> float:
        """0.0 and one token taken, or the seconds until a token will be there."""
        if now > self.updated:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
        if self.tokens >= 1 - ROUNDING:  # else a float just below 1 would never get there
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        return (1 - self.tokens) / self.rate


class SendPacer:
    """At most `rate` sends per second (None: unlimited); `pause()` holds everyone.
    Turns are handed out in call order."""

    def __init__(
        self,
        rate: float | None,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self._clock, self._sleep = clock, sleep
        self._bucket = None
        if rate is not None:
            default = min(max(1.0, rate * BURST_SECONDS), max(1.0, rate))
            self._bucket = TokenBucket(rate, default if burst is None else burst, clock())
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Wait until this sender may go."""
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                delay = 0.0 if self._bucket is None else self._bucket.take(now)
                if delay <= 0:
                    return
                await self._sleep(delay)

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after N" to the bot: nobody sends until then (never
        shortened), and no burst of saved tokens follows the pause."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        if self._bucket is not None:
            self._bucket.tokens = min(self._bucket.tokens, 1.0)
            self._bucket.updated = max(self._bucket.updated, self._paused_until)
