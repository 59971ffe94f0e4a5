"""One scheduled message to Telegram, and what became of it (an `Outcome`).

- sent: Telegram accepted it.
- failed: blocked/deactivated/chat not found (the user is marked inactive), or a
  network/5xx error that persisted after retries with backoff.
- unknown: the request timed out. Telegram may have delivered it and there is no
  idempotency key, so it is never resent.
- claimed (a retry): Telegram answered 429, so it was not delivered; the dispatcher
  tries again after `retry_after` (see dispatch.py for who waits).

`paid=True` sends it as a paid broadcast (`allow_paid_broadcast`, billed in Telegram
Stars; scheduler/paid.py decides when); otherwise the parameter is not sent at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.limits import retry_seconds
from scheduler.claims import Claim, Outcome
from scheduler.ledger import RETRY

GONE_MARKERS = ("chat not found", "user is deactivated", "bot was blocked")
Turn = Callable[[], Awaitable[None]]  # waits until this send may start


@dataclass
class Sender:
    bot: Bot
    network_attempts: int = 3
    backoff_seconds: float = 1.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def send(self, claim: Claim, wait_turn: Turn, *, paid: bool = False) -> Outcome:
        """Send `claim` once its turn comes (`wait_turn`); 5xx and network errors are
        retried here with backoff, a 429 is handed back to the caller."""
        screen = claim.screen
        network_failures = 0
        while True:
            await wait_turn()
            try:
                await self.bot.send_message(
                    claim.chat_id,
                    screen.text,
                    reply_markup=screen.keyboard,
                    parse_mode=ParseMode.HTML,
                    disable_notification=claim.silent,
                    allow_paid_broadcast=True if paid else None,
                )
                return Outcome(claim, "sent")
            except RetryAfter as exc:
                return Outcome(claim, RETRY, wait=retry_seconds(exc))
            except Forbidden as exc:
                return Outcome(claim, "failed", short_reason(exc), user_gone=True)
            except BadRequest as exc:
                gone = any(marker in exc.message.lower() for marker in GONE_MARKERS)
                return Outcome(claim, "failed", short_reason(exc), user_gone=gone)
            except TimedOut:
                return Outcome(claim, "unknown", "timed out: may have been delivered")
            except NetworkError as exc:
                network_failures += 1
                if network_failures >= self.network_attempts:
                    return Outcome(claim, "failed", short_reason(exc))
                await self.sleep(self.backoff_seconds * 2 ** (network_failures - 1))


def short_reason(exc: Exception) -> str:
    """Why it failed, for the audit trail: the exception type and Telegram's reason only
    (once: PTB keeps "Forbidden: " in a Forbidden's message, and strips "Bad Request: ")."""
    name, message = type(exc).__name__, str(getattr(exc, "message", ""))
    return (message if message.startswith(f"{name}:") else f"{name}: {message}")[:200]
