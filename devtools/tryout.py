"""`spasmbot try`: chat with the real bot in a terminal, through the fake Bot API server.

For newcomers and content reviewers without a bot token or internet. The bot is
the same Application as in production; only the base URL points to the fake.
Type text or commands; `#2` taps the second button of the bot's last message.
"""

from __future__ import annotations

import asyncio
import sys

from pydantic import SecretStr

from bot.app import build_application, running
from bot.settings import Settings
from devtools.fakeapi import BotMessage, FakeTelegram, FakeUser

TRY_TOKEN = "123456:FAKE-TOKEN-for-local-tries"
REPLY_METHODS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
HELP = "Type a message or /start. '#N' taps button N. Ctrl-D or /quit stops."


def render(message: BotMessage) -> str:
    lines = [message.text or message.caption or ""]
    number = 0
    for row in message.buttons:
        cells = []
        for button in row:
            number += 1
            cells.append(f"[{number}] {button.text}")
        lines.append("   ".join(cells))
    return "\n".join(lines)


async def _wait_for_reply(fake: FakeTelegram, mark: int) -> None:
    waits = [asyncio.create_task(fake.wait_for_call(m, after=mark)) for m in REPLY_METHODS]
    await asyncio.wait(waits, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    for task in waits:
        task.cancel()
    await asyncio.sleep(0.05)  # let a follow-up edit of the same tap land


async def chat(settings: Settings, language: str) -> None:
    fake = FakeTelegram(token=TRY_TOKEN, bot_username="spasmbot_try_bot")
    await fake.start(host="127.0.0.1", port=0)
    user = fake.add_user(user_id=1, first_name="Tester", language_code=language)
    settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TRY_TOKEN),
            "telegram_base_url": fake.base_url,
            "telegram_base_file_url": fake.base_file_url,
        }
    )
    try:
        async with running(build_application(settings), poll_timeout=1):
            print(HELP)
            await _loop(fake, user)
    finally:
        await fake.stop()


async def _loop(fake: FakeTelegram, user: FakeUser) -> None:
    chat_id = user.id
    while True:
        line = await asyncio.to_thread(_read_line)
        if line is None or line.strip() == "/quit":
            return
        mark = len(fake.calls)
        messages = fake.chat_messages(chat_id)
        if line.startswith("#") and line[1:].strip().isdigit() and messages:
            target = next((m for m in reversed(messages) if m.buttons), messages[-1])
            flat = [b for row in target.buttons for b in row]
            index = int(line[1:]) - 1
            if not 0 <= index < len(flat):
                print(f"(no button {index + 1})")
                continue
            await fake.tap(user, target.message_id, button_text=flat[index].text)
        elif line.strip():
            await fake.send_text(user, line.strip())
        else:
            continue
        await _wait_for_reply(fake, mark)
        shown = {
            int(c.params["message_id"])
            for c in fake.calls[mark:]
            if c.method == "editMessageText" and c.ok
        }
        for message in fake.chat_messages(chat_id):
            if message.message_id in shown or message.message_id > _last_seen(messages):
                print("\n" + render(message) + "\n")


def _last_seen(messages: list[BotMessage]) -> int:
    return messages[-1].message_id if messages else 0


def _read_line() -> str | None:
    try:
        return input("you> ")
    except EOFError:
        return None


def main(settings: Settings, language: str) -> int:
    try:
        asyncio.run(chat(settings, language))
    except KeyboardInterrupt:
        print(file=sys.stderr)
    return 0
