"""Sends claimed messages (tips, check-ins) through a dedicated Bot, paced, and reports
what happened to each.

Outcomes (stored on the delivery row by `claims.record_outcomes`):
- sent: Telegram accepted it.
- failed: blocked/deactivated/chat not found (the user is marked inactive), or a
  network/5xx error that persisted after retries with backoff.
- unknown: the request timed out. Telegram may have delivered it and there is no
  idempotency key, so it is never resent.
A 429 pauses every sender for `retry_after` and the send is tried again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.limits import retry_seconds
from scheduler.claims import Claim, Outcome
from scheduler.limiter import SendPacer

log = logging.getLogger(__name__)
GONE_MARKERS = ("chat not found", "user is deactivated", "bot was blocked")


@dataclass
class Dispatcher:
    bot: Bot
    pacer: SendPacer
    concurrency: int = 16
    network_attempts: int = 3
    max_rate_limit_waits: int = 5
    backoff_seconds: float = 1.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def send_all(self, claims: Sequence[Claim]) -> list[Outcome]:
        """Send every claim; one user's failure never stops the others."""
        queue = list(reversed(claims))
        outcomes: list[Outcome] = []

        async def worker() -> None:
            while queue:
                claim = queue.pop()
                outcomes.append(await self._send_one(claim))

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(claims)))))
        return outcomes

    async def _send_one(self, claim: Claim) -> Outcome:
        screen = claim.screen
        network_failures = rate_limited = 0
        while True:
            await self.pacer.wait_turn()
            try:
                await self.bot.send_message(
                    claim.chat_id,
                    screen.text,
                    reply_markup=screen.keyboard,
                    parse_mode=ParseMode.HTML,
                    disable_notification=claim.silent,
                )
                return Outcome(claim, "sent")
            except RetryAfter as exc:
                rate_limited += 1
                self.pacer.pause(retry_seconds(exc))
                if rate_limited > self.max_rate_limit_waits:
                    return Outcome(claim, "failed", "rate limited too often")
            except Forbidden as exc:
                return Outcome(claim, "failed", _short(exc), user_gone=True)
            except BadRequest as exc:
                gone = any(marker in exc.message.lower() for marker in GONE_MARKERS)
                return Outcome(claim, "failed", _short(exc), user_gone=gone)
            except TimedOut:
                return Outcome(claim, "unknown", "timed out: may have been delivered")
            except NetworkError as exc:
                network_failures += 1
                if network_failures >= self.network_attempts:
                    return Outcome(claim, "failed", _short(exc))
                await self.sleep(self.backoff_seconds * 2 ** (network_failures - 1))


def _short(exc: Exception) -> str:
    """Why it failed, for the audit trail: the exception type and Telegram's reason only."""
    message = getattr(exc, "message", "")
    return f"{type(exc).__name__}: {message}"[:200]
