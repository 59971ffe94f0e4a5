"""The try-out's terminal: output that keeps your half-typed line, and input read by a
thread so the bot's messages can be printed while you type."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator
from typing import TextIO

PROMPT = "you> "


class Terminal:
    """Where the try-out writes. With a prompt (a real terminal), a message that arrives
    while you type is printed above your line, and the prompt and your typing return."""

    def __init__(self, out: TextIO, prompt: str = "") -> None:
        self.out = out
        self.prompt = prompt
        self.reading = False  # the input thread is waiting in input()

    def write(self, text: str) -> None:
        redraw = bool(self.prompt) and self.reading
        if redraw:
            self.out.write("\r\033[K")  # clear the prompt line
        self.out.write(text + "\n")
        if redraw:
            self.out.write(self.prompt + _typed_so_far())
        self.out.flush()

    def echo(self, line: str) -> None:
        if not self.prompt:  # a terminal shows what you typed; piped input is echoed
            self.write(f"{PROMPT}{line}")


def _typed_so_far() -> str:
    try:
        import readline
    except ImportError:  # no readline (Windows): the typed text stays on the line above
        return ""
    return readline.get_line_buffer()


async def terminal_lines(terminal: Terminal) -> AsyncIterator[str]:
    """Lines from stdin, read by a daemon thread only when the next one is wanted (so the
    prompt appears when the try-out is ready, and Ctrl-C never waits for the thread)."""
    loop = asyncio.get_running_loop()
    wanted: queue.SimpleQueue[None] = queue.SimpleQueue()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        while True:
            wanted.get()
            terminal.reading = True
            try:
                line: str | None = input(terminal.prompt)
            except (EOFError, OSError, ValueError):
                line = None
            finally:
                terminal.reading = False
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop is gone: the try-out has stopped
                return
            if line is None:
                return

    threading.Thread(target=read, name="tryout-input", daemon=True).start()
    while True:
        wanted.put(None)
        line = await lines.get()
        if line is None:
            return
        yield line
