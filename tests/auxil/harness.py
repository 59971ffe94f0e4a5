"""Drives the real bot through the fake Bot API server the way a person would.

`say` sends a message and returns the bot's reply; `tap` taps a button by its
label and returns the notice shown and the message as it looks afterwards.
Waiting is event-driven (the fake signals each recorded call), never sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.app import BotApplication, services_of
from bot.content import Content
from devtools.fakeapi import BotMessage, FakeTelegram, FakeUser
from scheduler.tick import Scheduler, TickReport

REPLY_METHODS = ("sendMessage", "editMessageText")


@dataclass(frozen=True)
class Tapped:
    """What a tap produced: the spinner's notice (or None) and the resulting screen."""

    notice: str | None
    screen: BotMessage


def chat_of(call_params: dict[str, Any]) -> int:
    return int(call_params["chat_id"])


class FakeClock:
    """The injectable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now


@dataclass
class BotHarness:
    fake: FakeTelegram
    application: BotApplication
    content: Content
    clock: FakeClock

    @property
    def scheduler(self) -> Scheduler:
        scheduler = services_of(self.application).scheduler
        assert scheduler is not None
        return scheduler

    async def tick_at(self, now: datetime) -> TickReport:
        """Move the clock to `now` and run one scheduler tick."""
        self.clock.set(now)
        return await self.scheduler.tick()

    def user(self, user_id: int = 1001, language_code: str | None = "nl") -> FakeUser:
        return self.fake.add_user(user_id=user_id, first_name="Anna", language_code=language_code)

    async def _replies_after(
        self, mark: int, chat_id: int, method: str, count: int
    ) -> list[BotMessage]:
        """The first `count` messages the bot sent to `chat_id` after call number `mark`."""
        replies: list[BotMessage] = []
        for _ in range(count):
            call = await self.fake.wait_for_call(
                method, predicate=lambda c: c.ok and chat_of(c.params) == chat_id, after=mark
            )
            mark = self.fake.calls.index(call) + 1
            replies.append(self.message(chat_id, int(call.result["message_id"])))
        return replies

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        return next(m for m in self.fake.chat_messages(chat_id) if m.message_id == message_id)

    async def say(self, user: FakeUser, text: str) -> BotMessage:
        """Send `text` in the private chat; returns the bot's new message."""
        return (await self.say_many(user, text, 1))[0]

    async def say_many(self, user: FakeUser, text: str, replies: int) -> list[BotMessage]:
        """Send `text` and wait for `replies` new messages (e.g. /start: welcome + tip offer)."""
        mark = len(self.fake.calls)
        await self.fake.send_text(user, text)
        return await self._replies_after(mark, user.id, "sendMessage", replies)

    async def start(self, user: FakeUser) -> BotMessage:
        """/start for someone who has not answered the tip offer: returns the welcome."""
        welcome, offer = await self.say_many(user, "/start", 2)
        assert offer.text == self.content.text(
            "tip_offer", "nl" if welcome.text.startswith("Hallo") else "en"
        )
        return welcome

    async def tap(
        self,
        user: FakeUser,
        message: BotMessage,
        label: str,
        *,
        data: str | None = None,
        edit: str = "editMessageText",
    ) -> Tapped:
        """Tap the button labelled `label` (or send raw `data`); waits for the edited screen
        (`edit`: the Bot API method that changes it; a tip's rating edits only its buttons)."""
        mark = len(self.fake.calls)
        if data is None:
            query_id = await self.fake.tap(user, message.message_id, button_text=label)
        else:
            query_id = await self.fake.tap_data(user, message.message_id, data)
        answered = await self.fake.until_answered(query_id)
        await self.fake.wait_for_call(
            edit,
            predicate=lambda call: int(call.params["message_id"]) == message.message_id,
            after=mark,
        )
        return Tapped(notice=answered.get("text"), screen=self.message(user.id, message.message_id))

    async def taps(self, user: FakeUser, screen: BotMessage, *labels: str) -> BotMessage:
        """Tap through several buttons of one message; returns how it looks at the end."""
        for label in labels:
            screen = (await self.tap(user, screen, label)).screen
        return screen


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Wait until `check()` is true, for effects with no Bot API call to wait on (DB writes)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still not true after {within}s: {check.__name__}")
        await asyncio.sleep(0.02)
