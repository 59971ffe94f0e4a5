"""Delivering updates to a webhook, as Telegram does once `setWebhook` has a URL.

Updates are POSTed as JSON one at a time and in order, with the secret (if any) in
`X-Telegram-Bot-Api-Secret-Token`. A 2xx answer confirms the update (it leaves the
queue, like a getUpdates offset would confirm it); any other answer, a refused
connection or a timeout keeps it first in the queue and it is sent again after a
pause that doubles up to `MAX_BACKOFF` (Telegram waits longer; the fake keeps tests
quick). Telegram also opens up to `max_connections` connections at once; the fake uses
one, which keeps every test's order exact.

Unlike Telegram, a plain-http URL is accepted when it points to this machine
(127.0.0.1, localhost, [::1]), so tests need no TLS certificate; a local
telegram-bot-api server allows that too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from .state import FakeState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_BACKOFF = 0.05
MAX_BACKOFF = 1.0
TIMEOUT = 10.0
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST to the webhook: which update, the answer's status (0: no answer), when."""

    update_id: int
    status: int
    time: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def acceptable_url(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.netloc:
        return False
    return parts.scheme == "https" or (
        parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] in LOOPBACK
    )


class WebhookDeliverer:
    """The one task that pushes queued updates to `state.webhook_url` while it is set."""

    def __init__(self, state: FakeState) -> None:
        self.state = state
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _active(self) -> bool:
        return bool(self.state.webhook_url) and not self.state.closing

    async def _run(self) -> None:
        state = self.state
        backoff = FIRST_BACKOFF
        timeout = aiohttp.ClientTimeout(total=TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self._active():
                if not state.updates.pending:
                    await state.signal.wait_for(
                        lambda: not self._active() or bool(state.updates.pending), 3600
                    )
                    continue
                update = state.updates.pending[0]
                state.in_flight += 1  # like a Bot API call: wait_idle's "quiet" starts after
                try:
                    status = await self._post(session, update)
                finally:
                    state.in_flight -= 1
                    state.last_call_at = time.monotonic()
                state.webhook_deliveries.append(
                    WebhookDelivery(int(update["update_id"]), status, time.monotonic())
                )
                if 200 <= status < 300:
                    backoff = FIRST_BACKOFF
                    state.webhook_last_error = ""
                    if state.updates.pending and state.updates.pending[0] is update:
                        state.updates.pending.pop(0)
                    state.signal.fire()
                    continue
                state.webhook_last_error = f"Wrong response from the webhook: {status}"
                state.signal.fire()
                await state.signal.wait_for(lambda: not self._active(), backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, object]) -> int:
        headers = {"Content-Type": "application/json"}
        if self.state.webhook_secret:
            headers[SECRET_HEADER] = self.state.webhook_secret
        try:
            async with session.post(
                self.state.webhook_url, data=json.dumps(update), headers=headers
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0
