"""`FakeTelegram`: the fake Bot API server plus the handles tests use to play users."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType

from aiohttp import web

from . import players
from .control import install_control
from .errors import default_description
from .models import BotMessage, FakeChat, FakeUser, JSONDict, RecordedCall
from .players import ChatRef
from .server import build_app
from .state import Delay, FakeState, Fault
from .strict import StrictLimits, install_strict_control
from .webhook import WebhookDelivery

CallPredicate = Callable[[RecordedCall], bool]


class FakeTelegram:
    """A local Telegram Bot API; point PTB's `base_url`/`base_file_url` at it."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "spasmbot_test_bot",
        bot_first_name: str = "Spasmbot",
        *,
        strict: bool | StrictLimits = False,
    ) -> None:
        """`strict`: enforce Telegram's send limits (30/s overall, 1/s a chat; strict.py)."""
        self.state = FakeState(token, bot_username, bot_first_name)
        if strict:
            self.state.strict = strict if isinstance(strict, StrictLimits) else StrictLimits()
        self.host = "127.0.0.1"
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Starts serving; port 0 picks a free port (read it from `port` afterwards)."""
        if self._runner is not None:
            raise RuntimeError("FakeTelegram is already running")
        app = build_app(self.state)
        install_control(app, self)
        install_strict_control(app, self.state)
        self.state.closing = False
        # No access log: it would print the token. Handler cancellation ends a long poll
        # whose client hung up, so it is recorded as 499 instead of lingering.
        runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=2.0, handler_cancellation=True
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        self.port = int(runner.addresses[0][1])
        if self.state.webhook_url:  # started again: go on delivering
            self.state.deliverer.ensure_running()

    async def stop(self) -> None:
        """Ends pending long polls first so shutdown does not wait for their timeout."""
        self.state.close()
        await self.state.deliverer.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSONDict:
        return dict(self.state.bot_user)

    # -- users and chats ------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str = "Test",
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """A user plus their private chat with the bot (chat id == user id)."""
        user = FakeUser(user_id, first_name, language_code, last_name, username)
        self.state.add_chat(FakeChat(user_id, "private", user=user))
        return user

    def add_group(self, chat_id: int, title: str, *, supergroup: bool = False) -> FakeChat:
        """A group the bot is in; any added user may write in it."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        return self.state.add_chat(
            FakeChat(chat_id, "supergroup" if supergroup else "group", title)
        )

    def user(self, user_id: int) -> FakeUser:
        return self.state.user(user_id)

    def block(self, user: FakeUser) -> None:
        """The user blocks the bot: send*/edit* to them answer 403 from now on."""
        players.set_blocked(self.state, user, True)

    def unblock(self, user: FakeUser) -> None:
        players.set_blocked(self.state, user, False)

    # -- what users do ------------------------------------------------------------------------

    async def send_text(self, user: FakeUser, text: str, *, chat: ChatRef = None) -> JSONDict:
        """Queues a text message from `user`; returns the Bot API message dict."""
        target = players.resolve_chat(self.state, user, chat)
        return players.user_message(self.state, user, target, players.text_content(text))

    async def send_sticker(self, user: FakeUser, *, chat: ChatRef = None) -> JSONDict:
        target = players.resolve_chat(self.state, user, chat)
        content = players.media_content(self.state, "sticker", b"fake sticker")
        return players.user_message(self.state, user, target, content)

    async def send_photo(
        self,
        user: FakeUser,
        data: bytes = b"fake photo",
        *,
        caption: str | None = None,
        chat: ChatRef = None,
    ) -> JSONDict:
        target = players.resolve_chat(self.state, user, chat)
        content = players.media_content(self.state, "photo", data, caption)
        return players.user_message(self.state, user, target, content)

    async def send_voice(
        self,
        user: FakeUser,
        data: bytes = b"fake voice",
        *,
        duration: int = 3,
        chat: ChatRef = None,
    ) -> JSONDict:
        target = players.resolve_chat(self.state, user, chat)
        content = players.media_content(self.state, "voice", data, duration=duration)
        return players.user_message(self.state, user, target, content)

    async def edit_user_message(
        self, user: FakeUser, message_id: int, text: str, *, chat: ChatRef = None
    ) -> JSONDict:
        """Queues an `edited_message` update for a message `user` sent."""
        target = players.resolve_chat(self.state, user, chat)
        return players.edit_user_message(self.state, user, target, message_id, text)

    async def tap(
        self,
        user: FakeUser,
        message_id: int,
        button_text: str | None = None,
        *,
        callback_data: str | None = None,
        chat: ChatRef = None,
    ) -> str:
        """Taps a button of the message's *current* keyboard; returns the callback query id."""
        target = players.resolve_chat(self.state, user, chat)
        message = players.bot_message(target, message_id)
        button = players.find_button(message, button_text, callback_data)
        assert button.callback_data is not None
        return players.callback_query(self.state, user, target, message_id, button.callback_data)

    async def tap_data(
        self, user: FakeUser, message_id: int, data: str, *, chat: ChatRef = None
    ) -> str:
        """A callback query with any data, e.g. forged or from a keyboard long gone."""
        target = players.resolve_chat(self.state, user, chat)
        return players.callback_query(self.state, user, target, message_id, data)

    def inject(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queues a raw update (`{"update_id": n, kind: payload}`) as given; see players.inject."""
        return players.inject(self.state, kind, payload)

    # -- what the bot did -----------------------------------------------------------------------

    def unanswered_queries(self) -> list[str]:
        """Ids of callback queries the bot received (confirmed by a later getUpdates) and
        never answered; on Telegram their button keeps spinning until the client gives up."""
        pending = {update["update_id"] for update in self.state.updates.pending}
        return [
            query.id
            for query in self.state.queries.values()
            if query.answer is None and query.update_id is not None
            if query.update_id not in pending
        ]

    def chat_messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in that chat as they are now (edits applied, deleted ones gone)."""
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise AssertionError(f"unknown chat {chat_id}")
        return [chat.bot_messages[key] for key in sorted(chat.bot_messages)]

    def last_message(self, chat_id: int) -> BotMessage:
        messages = self.chat_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot has no messages in chat {chat_id}")
        return messages[-1]

    def commands(
        self,
        language_code: str | None = None,
        scope_type: str = "default",
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> list[dict[str, str]]:
        """The commands setMyCommands stored for exactly this scope and language."""
        key = ((scope_type, chat_id, user_id), language_code or "")
        return [dict(command) for command in self.state.commands.get(key, [])]

    @property
    def calls(self) -> list[RecordedCall]:
        """Every request so far, in the order they were answered."""
        return list(self.state.calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.state.calls if call.method.lower() == method.lower()]

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every POST to the webhook so far (after setWebhook), with the status it got."""
        return list(self.state.webhook_deliveries)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self.state.updates.pending)

    # -- waiting ------------------------------------------------------------------------------

    async def wait_for_call(
        self,
        method: str,
        predicate: CallPredicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper signature
        after: int = 0,
    ) -> RecordedCall:
        """The first call to `method` at index >= `after` in `calls` matching `predicate`."""
        calls, position, found = self.state.calls, after, []

        def match() -> bool:
            nonlocal position
            while position < len(calls):
                call, position = calls[position], position + 1
                if call.method.lower() == method.lower() and (predicate is None or predicate(call)):
                    found.append(call)
                    return True
            return False

        if not await self.state.signal.wait_for(match, timeout):
            recent = ", ".join(f"{c.method}:{c.status}" for c in calls[after:][-10:]) or "none"
            raise AssertionError(f"no matching {method} call within {timeout}s; last: {recent}")
        return found[0]

    async def until_answered(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper signature
    ) -> JSONDict:
        """Waits for answerCallbackQuery with that id (any outcome); returns its params."""
        call = await self.wait_for_call(
            "answerCallbackQuery",
            lambda c: str(c.params.get("callback_query_id")) == query_id,
            timeout,
        )
        return dict(call.params)

    async def wait_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper signature
        *,
        settle: float = 0.0,
    ) -> None:
        """Waits until every queued update was fetched and then confirmed by a later offset.

        Confirmation only proves the bot *received* the updates: PTB handles them while it
        already polls again. With `settle` > 0 this also waits until no Bot API request is
        in flight and none (getUpdates aside) arrived for `settle` seconds, which in
        practice means the handlers have finished.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        state = self.state
        if not await state.signal.wait_for(lambda: not state.updates.pending, timeout):
            pending = [u["update_id"] for u in state.updates.pending]
            raise AssertionError(f"updates {pending} still unconfirmed after {timeout}s")
        while settle > 0:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"the bot did not go quiet for {settle}s within {timeout}s")
            if state.in_flight:
                await state.signal.wait_for(lambda: state.in_flight == 0, remaining)
                continue
            quiet = time.monotonic() - state.last_call_at
            if quiet >= settle:
                return
            await asyncio.sleep(min(settle - quiet, remaining))

    # -- fault injection ----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (in `chat_id` only, if given) fail like this."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = description or default_description(status, retry_after)
        self.state.add_fault(Fault(method.lower(), status, text, retry_after, times, chat_id))

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, chat_id: int | None = None
    ) -> None:
        """The next `times` calls of `method` succeed, but the answer comes `seconds` late."""
        self.state.delays.append(Delay(method.lower(), seconds, times, chat_id))
