"""`serve()`: the fake Telegram, the real bot and the sandbox web app in one process."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys
from collections.abc import Callable
from contextlib import suppress
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.app import build_application, running
from bot.settings import Settings
from devtools.demo_settings import for_fake_server
from devtools.fakeapi import FakeTelegram
from devtools.sandbox.clock import SandboxClock
from devtools.sandbox.events import watch_calls
from devtools.sandbox.web import USERS, Sandbox, build_web_app, tick_forever

SANDBOX_TOKEN = "123456:SANDBOX-token-for-the-browser-sandbox"
STOP_SIGNALS = [
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
]


class SandboxError(Exception):
    """The sandbox cannot start (e.g. its port is taken); the message is one line."""


class PortInUse(SandboxError):
    """Another program listens on the sandbox's port."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"cannot listen on {host}:{port}: the port is in use")
        self.host, self.port = host, port


def listen(host: str, port: int) -> socket.socket:
    """The web page's listening socket, made first: a taken port fails before anything
    else starts. Address reuse as aiohttp does it, so a restart need not wait."""
    try:
        info = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(info[0], info[1], info[2])
    except OSError as error:
        raise SandboxError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(host, port) from None
        raise SandboxError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    sock.setblocking(False)
    return sock


async def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Runs until cancelled; calls `ready(url)` once the page can be opened.

    The bot is the production Application: only its base URL (the in-process fake) and
    its clock (`SandboxClock`, resumed from the database) differ. Data goes to
    DATABASE_URL, so it persists. On cancellation everything is stopped in order: the
    web app, the bot, the fake server; the port is free again when this returns.
    """
    sock = listen(host, port)
    try:
        fake = FakeTelegram(token=SANDBOX_TOKEN, bot_username="spasmbot_sandbox_bot")
        await fake.start(host="127.0.0.1", port=0)
        try:
            for user in USERS:
                fake.add_user(user.id, user.name, user.language_code)
            clock = await SandboxClock.resume(settings.database_url)
            # The sandbox ticks the scheduler itself, see tick_forever.
            bot_settings = for_fake_server(settings, fake, SANDBOX_TOKEN, scheduler_tick_seconds=0)
            application = build_application(bot_settings, clock=clock)
            async with running(application, poll_timeout=1):
                sandbox = Sandbox(fake, application, clock, ZoneInfo(settings.default_timezone))
                await _serve_web(sandbox, sock, host, ready)
        finally:
            await fake.stop()
    finally:
        sock.close()


async def _serve_web(
    sandbox: Sandbox, sock: socket.socket, host: str, ready: Callable[[str], None] | None
) -> None:
    runner = web.AppRunner(
        build_web_app(sandbox), access_log=None, shutdown_timeout=1.0, handler_cancellation=True
    )
    await runner.setup()
    tasks: list[asyncio.Task[None]] = []
    try:
        await web.SockSite(runner, sock).start()
        tasks.append(asyncio.create_task(watch_calls(sandbox.fake, sandbox.events)))
        tasks.append(asyncio.create_task(tick_forever(sandbox)))
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
        if ready is not None:
            ready(f"http://{shown}:{sock.getsockname()[1]}")
        await asyncio.Event().wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sandbox.events.close()
        await runner.cleanup()


async def serve_until_stopped(
    settings: Settings, port: int, ready: Callable[[str], None] | None = None
) -> None:
    """`serve()` until Ctrl-C, SIGTERM or SIGHUP; each of them shuts down cleanly."""
    loop = asyncio.get_running_loop()
    server = asyncio.create_task(serve(settings, port=port, ready=ready))
    stopped = False

    def stop() -> None:
        nonlocal stopped
        if not stopped:  # a second Ctrl-C must not cut the shutdown short
            stopped = True
            server.cancel()

    handled = []
    for number in STOP_SIGNALS:
        with suppress(NotImplementedError):  # Windows: Ctrl-C still ends asyncio.run
            loop.add_signal_handler(number, stop)
            handled.append(number)
    try:
        await server
    except asyncio.CancelledError:
        if not stopped:
            raise
    finally:
        for number in handled:
            loop.remove_signal_handler(number)


def main(settings: Settings, port: int) -> int:
    """`spasmbot sandbox`: serve until stopped (migrations are the caller's job)."""

    def announce(url: str) -> None:
        print(f"Sandbox: {url} — Ctrl-C stops", flush=True)

    try:
        asyncio.run(serve_until_stopped(settings, port, announce))
    except KeyboardInterrupt:
        pass  # where signals cannot be handled in the loop
    except PortInUse as error:
        print(
            f"spasmbot: port {error.port} is in use (is the sandbox running already?); "
            f"start with --port {_free_port_after(error.host, error.port)}",
            file=sys.stderr,
        )
        return 1
    except SandboxError as error:
        print(f"spasmbot: {error}; choose another with --port", file=sys.stderr)
        return 1
    print("Sandbox stopped.", file=sys.stderr)
    return 0


def _free_port_after(host: str, port: int) -> int:
    """The first port after `port` that can be listened on now (a suggestion only)."""
    for candidate in range(port + 1, min(port + 100, 65535)):
        try:
            listen(host, candidate).close()
        except SandboxError:
            continue
        return candidate
    return port + 1
