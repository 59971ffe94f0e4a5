"""Feeding fuzzed updates to the real bot through the fake, and judging what it did.

`Fuzzer.run(items)` injects raw updates in batches. After each batch a probe user sends
/menu and waits for the main menu: updates are handled one at a time and in order, so
that reply means every update before it is done (and the bot still answers). Then it
collects, with the update that caused each where it can tell:
- errors: log records at ERROR or above (the bot's error handler logs every unhandled
  exception as "error while handling update <id>");
- unanswered: callback queries the bot received and never answered;
- rejected: Bot API calls the fake refused, except `EXPECTED` edits;
- leaks: user-facing texts naming an exception, or "Traceback".
"""

from __future__ import annotations

import asyncio
import builtins
import copy
import logging
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy.exc
import telegram.error

from bot import callbacks
from bot.content import Content
from bot.domain import changes
from bot.domain.choices import COMMON_ZONES
from bot.domain.zones import zone_key
from bot.handlers import common
from bot.services import checkins
from bot.settings import Settings
from devtools.fakeapi import FakeChat, FakeTelegram, RecordedCall

JSONDict = dict[str, Any]
PROBE_ID = 990_000_000  # probes are 990_000_000, 990_000_001, ...: one per batch
# Edits Telegram refuses that the bot handles (show_in_place, remove_buttons): a made-up or
# gone message, a double tap, the user's own message, or a photo/document; the bot then
# sends a new message or, for "not modified", has nothing to do.
EXPECTED = (
    "Bad Request: message to edit not found",
    "Bad Request: message is not modified",
    "Bad Request: message can't be edited",
    "Bad Request: there is no text in the message to edit",
)
EDITS = ("editMessageText", "editMessageReplyMarkup")
SHOWN = {"sendMessage": "text", "editMessageText": "text", "answerCallbackQuery": "text"}
SHOWN |= {"sendPhoto": "caption", "sendDocument": "caption"}


@dataclass(frozen=True)
class Population:
    """Who and where: every drawn update uses these ids, which the fake knows beforehand."""

    bot: JSONDict
    users: tuple[int, ...]  # write, tap, block
    tappers: tuple[int, ...]  # only ever tap buttons: the bot never heard from them
    groups: tuple[tuple[int, str], ...]  # (chat id, "group" or "supergroup")
    names: tuple[str, ...]  # what a `str` field of button data may name: topics, tips, ...
    triggers: tuple[str, ...]  # check-in triggers, and one that does not exist

    @classmethod
    def of(
        cls, bot: JSONDict, content: Content | None = None, users: int = 50, groups: int = 12
    ) -> Population:
        """Small ids and today's 10-digit ones, up to Telegram's 52 bits."""
        ids = [100_000 + i if i % 3 else 5_000_000_000 + i * 7_919 for i in range(users)]
        ids[-1] = 2**52 - 1
        chats = tuple(
            (-1_000 - i, "group") if i % 2 else (-1_001_000_000_000 - i, "supergroup")
            for i in range(groups)
        )
        triggers = {"no_such_trigger", *(content.checkin_triggers if content else ())}
        names = {"what", *triggers, *(zone_key(zone) for zone in COMMON_ZONES)}
        if content is not None:
            names |= {*content.topics, *content.tips, *content.tip_tags}
        writers, tappers = tuple(ids[: users * 9 // 10]), tuple(ids[users * 9 // 10 :])
        return cls(bot, writers, tappers, chats, tuple(sorted(names)), tuple(sorted(triggers)))

    def register(self, fake: FakeTelegram) -> None:
        for user_id in (*self.users, *self.tappers):
            fake.add_user(user_id, "Fuzz")
        for chat_id, kind in self.groups:
            fake.state.add_chat(FakeChat(chat_id, kind, f"Groep {chat_id}"))


@dataclass(frozen=True)
class LiveTap:
    """A tap on one of the bot's real messages in the chat, picked at injection time: the
    `back`-th newest (modulo their number), its button number `button` (None: keep the
    drawn data)."""

    back: int
    button: int | None


@dataclass(frozen=True)
class Fuzzed:
    kind: str
    payload: JSONDict
    tap: LiveTap | None = None

    @property
    def chat_id(self) -> int | None:
        body = self.payload.get("message") if self.kind == "callback_query" else self.payload
        chat = body.get("chat") if isinstance(body, dict) else None
        return int(chat["id"]) if isinstance(chat, dict) else None


def resolve(item: Fuzzed, fake: FakeTelegram) -> JSONDict:
    """The payload to inject now. Query ids are Telegram's to choose, so they are made
    unique; a live tap shows a bot message (and one of its buttons) as it is now."""
    payload = copy.deepcopy(item.payload)
    if item.kind == "callback_query":
        payload["id"] = f"{payload['id']}{fake.state.next_id():010d}"
    chat = fake.state.chats.get(item.chat_id or 0)
    if item.tap is None or chat is None or not chat.bot_messages:
        return payload
    message_id = sorted(chat.bot_messages)[-1 - item.tap.back % len(chat.bot_messages)]
    payload["message"] = fake.state.message_api(chat, message_id)
    datas = [b.callback_data for row in chat.bot_messages[message_id].buttons for b in row]
    datas = [data for data in datas if data]
    if item.tap.button is not None and datas:
        payload["data"] = datas[item.tap.button % len(datas)]
    return payload


def within_flood_limits(
    items: Iterable[Fuzzed], population: Population, per_group: int = 18
) -> list[Fuzzed]:
    """Drops group messages beyond `per_group` per group. The bot answers each with one
    line and PTB's limiter holds a group to 20 a minute; more would stall every chat
    (issue 11 defect 3, floods in one chat)."""
    groups = {chat_id for chat_id, _ in population.groups}
    seen: Counter[int] = Counter()
    kept = []
    for item in items:
        chat_id = item.chat_id
        if item.kind != "callback_query" and chat_id in groups:
            seen[chat_id] += 1
            if seen[chat_id] > per_group:
                continue
        kept.append(item)
    return kept


def unpaced(settings: Settings) -> Settings:
    """Replies are paced to Telegram's limits (about 1/s a chat, 30/s overall), which
    would make a few thousand updates take many minutes while proving nothing: the fake
    never answers 429 unasked. The pacing itself is tested in test_hostile_world."""
    fast = {"reply_rate_per_chat": 10_000, "reply_burst_per_chat": 10_000}
    return settings.model_copy(update=fast | {"reply_rate_overall": 10_000})


def _exception_names() -> frozenset[str]:
    modules = (builtins, telegram.error, sqlalchemy.exc, callbacks, changes, common, checkins)
    return frozenset(
        name
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, BaseException)
        if not issubclass(value, Warning)
    )


LEAK = re.compile(rf"\b(?:Traceback|{'|'.join(sorted(_exception_names()))})\b")


@dataclass(frozen=True)
class Finding:
    what: str
    update: JSONDict | None


@dataclass
class Report:
    updates: int = 0
    errors: list[Finding] = field(default_factory=list)
    unanswered: list[Finding] = field(default_factory=list)
    rejected: list[Finding] = field(default_factory=list)
    leaks: list[Finding] = field(default_factory=list)
    expected: Counter[str] = field(default_factory=Counter)

    @property
    def findings(self) -> list[Finding]:
        return [*self.errors, *self.unanswered, *self.rejected, *self.leaks]

    def describe(self, most: int = 20) -> str:
        lines = [f"{self.updates} updates; {len(self.findings)} findings:"]
        lines += [f"- {found.what}\n  update: {found.update}" for found in self.findings[:most]]
        return "\n".join(lines)


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _summary(record: logging.LogRecord) -> str:
    error = record.exc_info[1] if record.exc_info else None
    detail = f" [{type(error).__name__}: {error}]" if error is not None else ""
    return f"{record.levelname} {record.name}: {record.getMessage()}{detail}"[:500]


class Fuzzer:
    def __init__(self, fake: FakeTelegram, population: Population) -> None:
        self.fake, self.population = fake, population
        population.register(fake)
        self.batches = 0
        self.report = Report()
        self.forget_calls = False  # the benchmark drops the call log after each batch
        self.between: Callable[[], Awaitable[object]] | None = None  # before each batch

    async def run(self, items: Sequence[Fuzzed], batch: int = 100, within: float = 60) -> Report:
        errors = _Errors()
        logging.getLogger().addHandler(errors)
        try:
            for start in range(0, len(items), batch):
                await self._batch(items[start : start + batch], errors, within)
        finally:
            logging.getLogger().removeHandler(errors)
        return self.report

    async def _batch(self, items: Sequence[Fuzzed], errors: _Errors, within: float) -> None:
        mark, sent = len(self.fake.state.calls), {}
        if self.between is not None:
            await self.between()
        for item in items:
            update = self.fake.inject(item.kind, resolve(item, self.fake))
            sent[update["update_id"]] = update
        self.report.updates += len(items)
        probe = len(self.fake.state.calls)
        # a new probe each batch: one person sending /menu every batch would be a flood
        prober = self.fake.add_user(PROBE_ID + self.batches, "Probe", "en")
        self.batches += 1
        await self.fake.send_text(prober, "/menu")
        await self.fake.wait_for_call(
            "sendMessage", lambda c: chat_of(c) == prober.id and c.ok, within, after=probe
        )
        # chats are handled concurrently: the probe's reply says its own chat is done,
        # a quiet moment with nothing in flight says the others are too
        await self.fake.wait_idle(within, settle=0.3)
        await self._until_answered(sent, within)
        self._judge(self.fake.state.calls[mark:], sent, errors)
        if self.forget_calls:
            del self.fake.state.calls[:]

    async def _until_answered(self, sent: dict[int, JSONDict], within: float) -> None:
        """A tap waiting for the database (SQLite serialises writers) is answered a little
        later; only a tap still unanswered after `within` seconds is a finding."""
        queries = {str(u["callback_query"]["id"]) for u in sent.values() if "callback_query" in u}
        deadline = asyncio.get_running_loop().time() + within
        while queries & set(self.fake.unanswered_queries()):
            if asyncio.get_running_loop().time() > deadline:
                return
            await asyncio.sleep(0.05)

    def _judge(self, calls: list[RecordedCall], sent: dict[int, JSONDict], errors: _Errors) -> None:
        report, queries = self.report, self.fake.state.queries
        for record in errors.records:
            found = re.search(r"handling update (\d+)", record.getMessage())
            report.errors.append(
                Finding(_summary(record), sent.get(int(found[1])) if found else None)
            )
        errors.records.clear()
        by_query = {
            str(u["callback_query"]["id"]): u for u in sent.values() if "callback_query" in u
        }
        for query_id in self.fake.unanswered_queries():
            if query_id in by_query:
                report.unanswered.append(Finding(f"query {query_id}", by_query[query_id]))
        for call in calls:
            text = str(call.params.get(SHOWN.get(call.method, ""), ""))
            if LEAK.search(text):
                report.leaks.append(Finding(f"{call.method}: {text[:200]!r}", None))
            if call.ok or (call.method == "getUpdates" and call.status == 499):
                continue
            if call.method in EDITS and str(call.description).startswith(EXPECTED):
                report.expected[f"{call.method}: {call.description}"[:70]] += 1
                continue
            query = queries.get(str(call.params.get("callback_query_id")))
            update = by_query.get(query.id) if query is not None else None
            what = f"{call.method} {call.status} {call.description} {call.params}"[:400]
            report.rejected.append(Finding(what, update))


def chat_of(call: RecordedCall) -> int | None:
    try:
        return int(call.params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None
