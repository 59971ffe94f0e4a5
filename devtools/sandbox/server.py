"""`serve()`: the fake Telegram, the real bot and the sandbox web app in one process."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import SecretStr

from bot.app import build_application, running
from bot.settings import Settings
from devtools.fakeapi import FakeTelegram
from devtools.sandbox.clock import SandboxClock
from devtools.sandbox.events import watch_calls
from devtools.sandbox.web import USERS, Sandbox, build_web_app, tick_forever

SANDBOX_TOKEN = "123456:SANDBOX-token-for-the-browser-sandbox"


class SandboxError(Exception):
    """The sandbox cannot start (e.g. its port is taken); the message is one line."""


async def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Runs until cancelled; calls `ready(url)` once the page can be opened.

    The bot is the production Application: only its base URL (the in-process fake) and
    its clock (`SandboxClock`) differ. Data goes to DATABASE_URL, so it persists.
    """
    fake = FakeTelegram(token=SANDBOX_TOKEN, bot_username="spasmbot_sandbox_bot")
    await fake.start(host="127.0.0.1", port=0)
    try:
        for user in USERS:
            fake.add_user(user.id, user.name, user.language_code)
        clock = SandboxClock()
        bot_settings = settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(SANDBOX_TOKEN),
                "telegram_base_url": fake.base_url,
                "telegram_base_file_url": fake.base_file_url,
                "scheduler_tick_seconds": 0,  # the sandbox ticks itself, see tick_forever
            }
        )
        application = build_application(bot_settings, clock=clock)
        async with running(application, poll_timeout=1):
            sandbox = Sandbox(fake, application, clock, ZoneInfo(settings.default_timezone))
            await _serve_web(sandbox, host, port, ready)
    finally:
        await fake.stop()


async def _serve_web(
    sandbox: Sandbox, host: str, port: int, ready: Callable[[str], None] | None
) -> None:
    runner = web.AppRunner(
        build_web_app(sandbox), access_log=None, shutdown_timeout=1.0, handler_cancellation=True
    )
    await runner.setup()
    tasks: list[asyncio.Task[None]] = []
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            reason = str(error.strerror or error).rsplit(": ", 1)[-1]
            raise SandboxError(f"cannot listen on {host}:{port} ({reason})") from None
        tasks.append(asyncio.create_task(watch_calls(sandbox.fake, sandbox.events)))
        tasks.append(asyncio.create_task(tick_forever(sandbox)))
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
        if ready is not None:
            ready(f"http://{shown}:{runner.addresses[0][1]}")
        await asyncio.Event().wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sandbox.events.close()
        await runner.cleanup()


def main(settings: Settings, port: int) -> int:
    """`spasmbot sandbox`: serve until Ctrl-C (migrations are the caller's job)."""

    def announce(url: str) -> None:
        print(f"Sandbox: {url} — Ctrl-C stops", flush=True)

    try:
        asyncio.run(serve(settings, port=port, ready=announce))
    except KeyboardInterrupt:
        print("Sandbox stopped.", file=sys.stderr)
    except SandboxError as error:
        print(f"spasmbot: {error}", file=sys.stderr)
        return 1
    return 0
