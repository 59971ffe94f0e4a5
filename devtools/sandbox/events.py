"""Live updates for the page: every Bot API call the fake records for a chat becomes a
Server-Sent Event "changed" with that chat id; the page then refetches that chat."""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

from aiohttp import web

from devtools.fakeapi import FakeTelegram, RecordedCall

KEEP_ALIVE_SECONDS = 15.0


class Broadcaster:
    """Fans events out to every open /api/events stream (one queue per stream)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[str | None]] = set()

    def publish(self, event: str, data: dict[str, Any]) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n"
        for queue in self._queues:
            queue.put_nowait(message)

    def close(self) -> None:
        """Ends every stream, so the web server can shut down without waiting for them."""
        for queue in self._queues:
            queue.put_nowait(None)

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """GET /api/events: an endless text/event-stream, with a comment as keep-alive."""
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._queues.add(queue)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        try:
            await response.prepare(request)
            await response.write(b"retry: 1000\n: connected\n\n")
            while True:
                try:
                    async with asyncio.timeout(KEEP_ALIVE_SECONDS):
                        message = await queue.get()
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if message is None:
                    break
                await response.write(message.encode())
        except ConnectionResetError:
            pass  # the page went away
        finally:
            self._queues.discard(queue)
        return response


def _more_than(calls: list[RecordedCall], count: int) -> bool:
    return len(calls) > count


def chat_of(fake: FakeTelegram, call: RecordedCall) -> int | None:
    """The chat a recorded call touched, if any (callback answers via their query)."""
    if call.method == "answerCallbackQuery":
        query = fake.state.queries.get(str(call.params.get("callback_query_id")))
        return query.chat_id if query is not None else None
    try:
        return int(call.params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


async def watch_calls(fake: FakeTelegram, events: Broadcaster) -> None:
    """Publishes "changed" for each chat the bot touched; runs until cancelled.

    Event-driven: the fake fires its signal on every recorded call.
    """
    state = fake.state
    seen = len(state.calls)
    while True:
        await state.signal.wait_for(partial(_more_than, state.calls, seen), 60.0)
        new, seen = state.calls[seen:], len(state.calls)
        chats = {chat for call in new if (chat := chat_of(fake, call)) is not None}
        for chat in sorted(chats):
            events.publish("changed", {"chat_id": chat})
