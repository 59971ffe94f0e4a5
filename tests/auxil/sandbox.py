"""The whole sandbox (fake Telegram, real bot, web app) in the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from devtools.sandbox import serve
from tests.conftest import ENCRYPTION_KEY


@asynccontextmanager
async def running_sandbox(database_url: str) -> AsyncIterator[str]:
    """Starts the sandbox on a free port and yields its URL; stops it, leaving no task."""
    settings = Settings(
        database_url=database_url,
        encryption_key=SecretStr(ENCRYPTION_KEY),  # `spasmbot sandbox` would make a local one
        _env_file=None,  # type: ignore[call-arg]
    )
    listening: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, port=0, ready=listening.set_result))
    try:
        started: set[asyncio.Future[Any]] = {listening, task}
        await asyncio.wait(started, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # start-up failed: show why
        yield listening.result()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert left == [], f"serve() left tasks behind: {left}"
