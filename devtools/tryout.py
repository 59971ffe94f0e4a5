"""`spasmbot try`: chat with the real bot in a terminal, through the fake Bot API server.

For newcomers and content reviewers without a bot token or internet. The bot is the
production Application; only the base URL (and the clock, see `SandboxClock.resume`)
differ. A background task follows the calls the fake server records and prints every
message the bot sends or edits as it arrives, also while you are not typing (a scheduled
tip, the PDF that /export sends a moment later); photos and documents are saved to a
folder named at start. Buttons are listed as `#number [label]`; see HELP.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import BotApplication, build_application, running
from bot.settings import Settings
from devtools.demo_settings import for_fake_server
from devtools.fakeapi import BotMessage, Button, FakeTelegram, FakeUser, RecordedCall
from devtools.sandbox.clock import SandboxClock
from devtools.terminal import PROMPT, Terminal, terminal_lines

TRY_TOKEN = "123456:FAKE-TOKEN-for-local-tries"
SHOWN = {"sendMessage": "bot", "sendPhoto": "bot", "sendDocument": "bot"}  # call → header
SHOWN |= {"editMessageText": "bot, edited", "editMessageReplyMarkup": "bot, new buttons"}
TAP_NUMBER = re.compile(r"#(\d+)")
TAP_LABEL = re.compile(r"\[(.+)\]")
HELP = """\
Type a message or a command (start with /start). Buttons are listed as #number [label]:
  #3    taps button number 3
  [5]   taps the button labelled exactly 5 (on the 0-10 scale, [5] is level 5)
Both tap the bot's latest message with buttons. Ctrl-D or /quit stops.
Photos and files the bot sends are saved in {folder}"""


def _buttons(message: dict[str, Any]) -> list[list[Button]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [[Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows]


def button_lines(rows: list[list[Button]]) -> list[str]:
    """`  #1 [0]   #2 [1]`: the number to type after #, and the label in brackets."""
    lines, number = [], 0
    for row in rows:
        cells = []
        for button in row:
            number += 1
            cells.append(f"#{number} [{button.text}]")
        lines.append("  " + "   ".join(cells))
    return lines


def _free_path(folder: Path, name: str) -> Path:
    """`name` in `folder`, as `name (2).ext` etc. when the bot sends that name again."""
    safe = Path(name.replace("\\", "/")).name or "file"
    path, stem, suffix, number = folder / safe, Path(safe).stem, Path(safe).suffix, 1
    while path.exists():
        number += 1
        path = folder / f"{stem} ({number}){suffix}"
    return path


@dataclass
class TryOut:
    """One try-out session: a user's private chat with the bot, shown on a `Terminal`."""

    fake: FakeTelegram
    user: FakeUser
    application: BotApplication
    terminal: Terminal
    folder: Path
    seen: int = 0  # calls of the fake already looked at

    async def follow(self) -> None:
        """Prints every message the bot sends or edits in this chat, in order; event-driven
        (the fake fires its signal on each recorded call). Runs until cancelled."""
        state = self.fake.state
        while True:
            await state.signal.wait_for(lambda: len(state.calls) > self.seen, 3600.0)
            self.catch_up()

    def catch_up(self) -> None:
        """Shows the calls recorded since the last look."""
        calls = self.fake.state.calls
        while self.seen < len(calls):
            call, self.seen = calls[self.seen], self.seen + 1
            try:
                self.show(call)
            except Exception as error:  # one odd call must not stop the printing
                self.terminal.write(f"(could not show a {call.method} call: {error!r})")

    def in_chat(self, call: RecordedCall) -> bool:
        """A successful call that shows something in this chat (a message or a notice)."""
        if not call.ok:
            return False
        if call.method == "answerCallbackQuery":
            query = self.fake.state.queries.get(str(call.params.get("callback_query_id")))
            return query is not None and query.chat_id == self.user.id
        return call.method in SHOWN and str(call.params.get("chat_id")) == str(self.user.id)

    def show(self, call: RecordedCall) -> None:
        if not self.in_chat(call):
            return
        if call.method != "answerCallbackQuery":
            self.terminal.write(self.render(call))
        elif call.params.get("text"):
            self.terminal.write(f"  ⓘ {call.params['text']}")  # a tap's notice

    def render(self, call: RecordedCall) -> str:
        message: dict[str, Any] = call.result
        lines = [f"── {SHOWN[call.method]} ──"]
        for kind in ("photo", "document"):
            if message.get(kind):
                lines.append(self.save(kind, message[kind], call.params))
        lines += [text] if (text := message.get("text") or message.get("caption")) else []
        return "\n".join(lines + button_lines(_buttons(message)))

    def save(self, kind: str, media: Any, params: dict[str, Any]) -> str:
        """Writes the file's bytes (as the fake stored them) to the folder; says where."""
        entry = media[-1] if isinstance(media, list) else media
        stored = self.fake.state.files[entry["file_id"]]
        upload = params.get(kind)
        uploaded = upload.get("filename") if isinstance(upload, dict) else None
        name = stored.file_name or uploaded or stored.file_path.rsplit("/", 1)[-1]
        path = _free_path(self.folder, name)
        path.write_bytes(stored.data)
        what = "📷 photo" if kind == "photo" else "📄 file"
        return f"{what} {name} ({stored.size:,} bytes), saved as {path}"

    def pick(self, line: str) -> tuple[BotMessage, int, Button] | str:
        """The button that `#N` or `[label]` means in the bot's latest message with
        buttons (as that message is now), with its number; or why there is none."""
        with_buttons = [m for m in self.fake.chat_messages(self.user.id) if m.buttons]
        if not with_buttons:
            return "(no message with buttons yet)"
        message = with_buttons[-1]
        flat = [b for row in message.buttons for b in row]
        if number := TAP_NUMBER.fullmatch(line):
            index = int(number.group(1))
            if not 1 <= index <= len(flat):
                return f"(no button #{index}: the latest message has #1 to #{len(flat)})"
            return message, index, flat[index - 1]
        label = TAP_LABEL.fullmatch(line)
        assert label is not None
        wanted = label.group(1).strip()
        for index, button in enumerate(flat, start=1):
            if button.text == wanted:
                return message, index, button
        labels = " ".join(f"[{b.text}]" for b in flat)
        return f"(no button labelled [{wanted}]; the labels are: {labels})"

    async def handle(self, line: str) -> None:
        """Sends one typed line as a message or a tap, then lets the bot answer it."""
        text = line.strip()
        if not text:
            return
        self.terminal.echo(text)
        mark = len(self.fake.state.calls)
        if TAP_NUMBER.fullmatch(text) or TAP_LABEL.fullmatch(text):
            picked = self.pick(text)
            if isinstance(picked, str):
                self.terminal.write(picked)
                return
            message, number, button = picked
            if button.callback_data is None:
                self.terminal.write(f"(#{number} [{button.text}] opens {button.url})")
                return
            self.terminal.write(f"(you tapped #{number} [{button.text}])")
            await self.fake.tap(self.user, message.message_id, callback_data=button.callback_data)
        else:
            await self.fake.send_text(self.user, text)
        await self.answered(mark)

    async def answered(self, mark: int) -> None:
        """Waits (10 s at most) for the bot's first answer to a line, then for a short quiet
        spell. It only paces the input, so that the next tap meets the keyboard the answer
        brought; whatever comes later is printed by `follow` all the same."""
        calls = self.fake.state.calls
        if await self.fake.state.signal.wait_for(
            lambda: any(self.in_chat(call) for call in calls[mark:]), 10.0
        ):
            with suppress(AssertionError):
                await self.fake.wait_idle(timeout=10.0, settle=0.3)

    async def run(self, lines: AsyncIterator[str]) -> None:
        self.terminal.write(HELP.format(folder=self.folder))
        async for line in lines:
            if line.strip() == "/quit":
                return
            await self.handle(line)


@asynccontextmanager
async def session(
    settings: Settings,
    language: str,
    terminal: Terminal,
    folder: Path,
    *,
    clock: Callable[[], datetime] | None = None,
) -> AsyncIterator[TryOut]:
    """The fake server, the real bot and the printing task; all stopped on exit."""
    fake = FakeTelegram(token=TRY_TOKEN, bot_username="spasmbot_try_bot")
    await fake.start(host="127.0.0.1", port=0)
    try:
        user = fake.add_user(user_id=1, first_name="Tester", language_code=language)
        bot_settings = for_fake_server(settings, fake, TRY_TOKEN)
        if clock is None:  # never before what is stored, e.g. after the sandbox's jumps
            clock = await SandboxClock.resume(settings.database_url)
        application = build_application(bot_settings, clock=clock)
        async with running(application, poll_timeout=1):
            tryout = TryOut(fake, user, application, terminal, folder)
            follower = asyncio.create_task(tryout.follow())
            try:
                yield tryout
            finally:
                follower.cancel()
                await asyncio.gather(follower, return_exceptions=True)
                tryout.catch_up()
    finally:
        await fake.stop()


async def chat(settings: Settings, language: str, terminal: Terminal, folder: Path) -> None:
    async with session(settings, language, terminal, folder) as tryout:
        await tryout.run(terminal_lines(terminal))


def main(settings: Settings, language: str) -> int:
    folder = Path(tempfile.mkdtemp(prefix="spasmbot-try-"))
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    terminal = Terminal(sys.stdout, PROMPT if interactive else "")
    with suppress(KeyboardInterrupt):
        asyncio.run(chat(settings, language, terminal, folder))
    if interactive:
        print()  # end the prompt line
    if any(folder.iterdir()):
        print(f"The files the bot sent are in {folder}", file=sys.stderr)
    else:
        folder.rmdir()
    return 0
