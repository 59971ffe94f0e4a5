"""How updates come in: read one by one, then handled concurrently but in order per chat.

python-telegram-bot parses a whole getUpdates batch at once; one update it cannot read
(a newer Bot API field it requires, a malformed part) makes the call fail, and the
Updater fetches the same batch again and again, logging the raw batch — users' texts —
at CRITICAL. `ReadableUpdatesRequest` checks each update of the batch first: one that
cannot be read is logged by id and kind only, counted, and replaced by an empty update
with the same id, so the offset moves past it and every other update is handled.

`PerChatProcessor` lets updates of different chats run at the same time (one slow or
flooding chat never holds up the others), while updates of the same chat keep their order.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.logging_setup import CURRENT_UPDATE
from bot.metrics import Metrics, update_type

log = logging.getLogger(__name__)


class ReadableUpdatesRequest(HTTPXRequest):
    """The request object for getUpdates only (`ApplicationBuilder.get_updates_request`):
    the answer's updates are checked one by one before python-telegram-bot parses them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unreadable = 0  # updates skipped since start

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status != HTTPStatus.OK or not url.endswith("/getUpdates"):
            return status, payload
        try:
            answer = json.loads(payload)
            updates = answer["result"]
        except (ValueError, KeyError, TypeError):
            return status, payload  # not an answer we can improve: PTB reports it
        if not isinstance(updates, list):
            return status, payload
        answer["result"] = [self._readable(raw) for raw in updates]
        return status, json.dumps(answer).encode()

    def _readable(self, raw: Any) -> Any:
        try:
            Update.de_json(raw, None)
            return raw
        except Exception as exc:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if not isinstance(update_id, int):
                raise  # without an id the offset cannot move past it: let PTB report it
            kinds = [key for key in raw if key != "update_id"]
            self.unreadable += 1
            log.warning(
                "update %s (%s) could not be read and was skipped: %s",
                update_id,
                ",".join(kinds) or "empty",
                type(exc).__name__,
            )
            return {"update_id": update_id}


class PerChatProcessor(BaseUpdateProcessor):
    """Concurrent updates, one at a time per chat (or per user, for updates without a chat).

    PTB's own limit (`max_concurrent_updates`) is taken before `do_process_update` runs, so
    it is set high (it only bounds memory); the real limit, `running`, is taken after the
    chat's lock, so updates waiting behind a busy chat never take other chats' places."""

    def __init__(self, running: int, queued: int = 10_000, metrics: Metrics | None = None) -> None:
        super().__init__(queued)
        self._metrics = metrics
        self._running = asyncio.Semaphore(running)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._running:
                await self._handle(update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._running:
                await self._handle(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this chat: forget it
                del self._waiting[key], self._locks[key]

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handlers with the update's id and type in every log line they write
        (bot.logging_setup), and measure them (bot.metrics)."""
        kind = update_type(update)
        token = CURRENT_UPDATE.set((update.update_id if isinstance(update, Update) else None, kind))
        started = time.monotonic()
        try:
            await coroutine
        finally:
            CURRENT_UPDATE.reset(token)
            if self._metrics is not None:
                self._metrics.update_handled(update, time.monotonic() - started)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
