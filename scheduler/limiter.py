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

On top of the bucket, at most `rate` sends (rounded up) start within any `window`
seconds: the saved tokens never push a second above the rate. The dispatcher's window
is a little over a second (WINDOW), so that the few milliseconds a request spends on
its way do not make Telegram count more than `rate` in one of its seconds; that costs
4 % of the rate.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

BURST_SECONDS = 0.2  # the default burst, in seconds' worth of sends
ROUNDING = 1e-9  # tokens are floats
WINDOW = 1.04  # seconds: the dispatcher's "second", with room for the way to Telegram


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
        window: float | None = None,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive")
        self._clock, self._sleep = clock, sleep
        self._bucket = None
        self._window = window
        self._starts: deque[float] = deque(maxlen=max(1, math.ceil(rate or 1)))
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
                if (opens := self._window_opens()) > now:
                    await self._sleep(opens - now)
                    continue
                delay = 0.0 if self._bucket is None else self._bucket.take(now)
                if delay <= 0:
                    self._starts.append(now)
                    return
                await self._sleep(delay)

    def _window_opens(self) -> float:
        """When the window has room for one more start (0.0: it has now)."""
        if self._window is None or self._bucket is None:
            return 0.0
        if len(self._starts) < (self._starts.maxlen or 1):
            return 0.0
        return self._starts[0] + self._window

    def pause(self, seconds: float) -> None:
        """Telegram said "retry after N" to the bot: nobody sends until then (never
        shortened), and no burst of saved tokens follows the pause."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        if self._bucket is not None:
            self._bucket.tokens = min(self._bucket.tokens, 1.0)
            self._bucket.updated = max(self._bucket.updated, self._paused_until)
