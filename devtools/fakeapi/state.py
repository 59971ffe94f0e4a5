"""Everything the fake Telegram knows, independent of HTTP.

A single `Signal` is fired on every change (a call recorded, an update queued or confirmed,
shutdown); waiters re-check their own condition. That keeps long polls and test helpers
event-driven without one queue per kind of wait.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ApiError, bad_request
from .models import FakeChat, FakeFile, FakeUser, JSONDict, RecordedCall
from .strict import StrictLimits
from .validation import ScopeKey
from .webhook import WebhookDeliverer, WebhookDelivery

Predicate = Callable[[], bool]


class Signal:
    """Wakes every waiter on any change; created lazily so it binds to the running loop."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def fire(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_for(self, predicate: Predicate, within: float) -> bool:
        """Waits until `predicate()` holds; False if `within` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            if self._event is None or self._loop is not loop:
                self._event, self._loop = asyncio.Event(), loop
            event = self._event
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                return predicate()
        return True


@dataclass
class Fault:
    """An injected failure for the next `remaining` calls of `method` (lower-cased)."""

    method: str
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | None


@dataclass
class Delay:
    """The next `remaining` calls of `method` are carried out, but answered `seconds` late:
    what a client sees as a timeout although Telegram did deliver the message."""

    method: str
    seconds: float
    remaining: int
    chat_id: int | None


@dataclass
class CallbackQuery:
    """A callback query a user made; Telegram accepts exactly one answer.

    `chat_id` and `message_id` are None for a button under an inline-mode message (the
    query has `inline_message_id` instead), `data` is None for a game button, and
    `update_id` is None when getUpdates' allowed_updates kept the query from the bot.
    """

    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str | None
    answer: JSONDict | None = None
    update_id: int | None = None


@dataclass
class UpdateQueue:
    """Telegram's per-bot update queue: updates stay until a later offset confirms them."""

    pending: list[JSONDict] = field(default_factory=list)
    last_id: int = 0
    allowed: frozenset[str] | None = None
    poll_generation: int = 0

    def push(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queues the update unless getUpdates' allowed_updates excludes its kind.

        As on Telegram, allowed_updates only filters updates created after it was set.
        """
        self.last_id += 1
        update = {"update_id": self.last_id, kind: payload}
        if self.allowed is None or kind in self.allowed:
            self.pending.append(update)
        return update

    def confirm(self, offset: int | None) -> None:
        """offset > 0 forgets updates below it; offset < 0 keeps only the last -offset."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]


class FakeState:
    """Chats, files, queued updates, recorded calls and injected faults."""

    def __init__(self, token: str, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_user: JSONDict = {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.chats: dict[int, FakeChat] = {}
        self.files: dict[str, FakeFile] = {}
        self.updates = UpdateQueue()
        self.calls: list[RecordedCall] = []
        self.faults: list[Fault] = []
        self.delays: list[Delay] = []
        self.queries: dict[str, CallbackQuery] = {}
        self.commands: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        # setMyDescription / setMyShortDescription: (which, language code or "") -> text
        self.descriptions: dict[tuple[str, str], str] = {}
        self.webhook_url = ""  # set by setWebhook: updates are POSTed there
        self.webhook_secret = ""
        self.webhook_max_connections = 40
        self.webhook_last_error = ""
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.deliverer = WebhookDeliverer(self)
        self.closing = False
        self.signal = Signal()
        self.last_call_at = time.monotonic()
        self.in_flight = 0  # Bot API requests being handled now, long polls excluded
        self.strict: StrictLimits | None = None  # Telegram's send limits (strict.py)
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        """A process-wide counter for file and callback query ids."""
        return next(self._ids)

    def add_chat(self, chat: FakeChat) -> FakeChat:
        if chat.id in self.chats:
            raise ValueError(f"chat {chat.id} already exists")
        self.chats[chat.id] = chat
        return chat

    def user(self, user_id: int) -> FakeUser:
        """The user with this id (their private chat holds them); KeyError if unknown."""
        chat = self.chats.get(user_id)
        if chat is None or chat.user is None:
            raise KeyError(f"no user {user_id}; call add_user first")
        return chat.user

    def chat(self, chat_id: int) -> FakeChat:
        """A chat the bot can see, or Telegram's "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def writable_chat(self, chat_id: int) -> FakeChat:
        """A chat the bot may post in; a blocked private chat gives Telegram's 403."""
        chat = self.chat(chat_id)
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def add_file(
        self, data: bytes, folder: str, file_name: str | None, mime_type: str | None
    ) -> FakeFile:
        number = self.next_id()
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        stored = FakeFile(
            file_id=f"FAKE-{folder.upper()}-{number}",
            file_unique_id=f"u{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> FakeFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    def message_api(self, chat: FakeChat, message_id: int) -> JSONDict:
        """The Bot API dict of a bot message (as it is now)."""
        return chat.bot_messages[message_id].to_api(self.bot_user, chat.to_api())

    def enqueue(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queues an update for getUpdates and wakes the long poll."""
        update = self.updates.push(kind, payload)
        self.signal.fire()
        return update

    def record(self, call: RecordedCall) -> None:
        self.calls.append(call)
        if call.method != "getUpdates":
            self.last_call_at = time.monotonic()
        self.signal.fire()

    def add_fault(self, fault: Fault) -> None:
        self.faults.append(fault)

    def take_fault(self, method: str, chat_id: object) -> ApiError | None:
        """Consumes the first fault matching this call, as an error to answer with."""
        for fault in self.faults:
            if fault.method != method.lower():
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(chat_id):
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self.faults.remove(fault)
            return ApiError(fault.status, fault.description, retry_after=fault.retry_after)
        return None

    def take_delay(self, method: str, chat_id: object) -> float:
        """Consumes the first delay matching this call; 0.0 when there is none."""
        for delay in self.delays:
            if delay.method == method.lower() and (
                delay.chat_id is None or str(delay.chat_id) == str(chat_id)
            ):
                delay.remaining -= 1
                if delay.remaining <= 0:
                    self.delays.remove(delay)
                return delay.seconds
        return 0.0

    def close(self) -> None:
        """Makes pending long polls return now."""
        self.closing = True
        self.signal.fire()
