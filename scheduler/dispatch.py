"""Sends claimed messages through a dedicated Bot, paced, recording as it goes.

At most `concurrency` deliveries are `sending` at any moment: a claim is marked
`sending` (with others, in one UPDATE) just before its HTTP call, and its slot is
only free again once its outcome is written (also a few at a time). So a crash can
leave at most `concurrency` rows whose fate is unknown; everything still `claimed`
was never attempted and is sent by the next run (`ledger.open_rows`).

Claims are served in due-time order, whatever their kind; a chat never has two
sends in flight, nor two sends started within CHAT_SPACING seconds (Telegram allows
about one message a second in a chat). More claims are fetched (`more`) while the
last ones are sent.

On `stop(within)` (SIGTERM) no new send starts: the sends in flight get `within`
seconds to finish and their outcomes are written; claims not yet attempted stay
`claimed`, and the next run sends them first. A send still running at the deadline
is cut off: `unknown` if its HTTP call had begun, back to `claimed` if it was still
waiting for its turn. So a stopped run leaves no row `sending`, and every `claimed`
row is one that was never tried.

A 429 (retry_after) is taken as meant for its chat: that chat waits, the others go
on. When a second chat gets a 429 while the first one's wait is still running, the
limit is the bot's: every sender pauses for retry_after (the pacer). Telegram's
answer does not say which limit it was; a per-chat limit hits one chat, a bot-wide
one every chat at once.

With `paid` (ALLOW_PAID_BROADCAST), claims at risk of being missed go as paid
broadcasts through their own pacer; everything else stays as above (scheduler/paid.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot

from scheduler.claims import Claim, Outcome
from scheduler.ledger import RETRY, Ledger
from scheduler.limiter import SendPacer
from scheduler.paid import PaidBroadcast
from scheduler.sender import Sender, Turn

log = logging.getLogger(__name__)
CHAT_SPACING = 1.1  # seconds between two scheduled messages to one chat, at least
FLUSH_SECONDS = 0.25  # an outcome waits at most about this long to be written
CUT_OFF = "stopped while sending: may have been delivered"
MoreClaims = Callable[[], Coroutine[Any, Any, list[Claim] | None]]  # None: nothing more is due


@dataclass
class Dispatcher:
    bot: Bot
    pacer: SendPacer
    concurrency: int = 16
    max_rate_limit_waits: int = 5
    chat_spacing: float = CHAT_SPACING
    monotonic: Callable[[], float] = time.monotonic
    paid: PaidBroadcast | None = None  # None: never a paid broadcast (the default)
    sender: Sender = field(init=False)
    chat_ready: dict[int, float] = field(default_factory=dict, init=False)  # chat → moment
    stop_at: float | None = field(default=None, init=False)  # monotonic; set by stop()
    stop_requested: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    def __post_init__(self) -> None:
        self.sender = Sender(self.bot)

    def stop(self, within: float) -> None:
        """Start no more sends; those in flight get `within` seconds (see the module)."""
        self.stop_at = self.monotonic() + max(0.0, within)
        self.stop_requested.set()

    @property
    def stopping(self) -> bool:
        return self.stop_at is not None

    def turn(self, chat_id: int, pacer: SendPacer | None = None) -> Turn:
        """What a send to `chat_id` waits for: the pacer (a paid send: the paid one); then
        the chat's next send may start no sooner than `chat_spacing` later."""

        async def wait() -> None:
            await (pacer or self.pacer).wait_turn()
            self.chat_ready[chat_id] = self.monotonic() + self.chat_spacing

        return wait

    def pause(self, seconds: float) -> None:
        """A bot-wide 429: every sender waits, paid or not."""
        for pacer in [self.pacer] + ([self.paid.pacer] if self.paid else []):
            pacer.pause(seconds)

    def forget_idle_chats(self) -> None:
        now = self.monotonic()
        self.chat_ready = {chat: at for chat, at in self.chat_ready.items() if at > now}

    @property
    def group(self) -> int:
        """How many rows one `sending` or outcome UPDATE covers, at most."""
        return max(1, self.concurrency // 4)

    async def run(self, first: Sequence[Claim], more: MoreClaims, ledger: Ledger) -> list[Outcome]:
        """Send `first`, then whatever `more` returns until it returns None; one user's
        failure never stops the others. Returns every final outcome."""
        return await _Run(self, ledger, more).go(first)


class _Run:
    def __init__(self, dispatcher: Dispatcher, ledger: Ledger, more: MoreClaims) -> None:
        self.d, self.ledger, self.more = dispatcher, ledger, more
        self.queue: list[Claim] = []  # in due order
        self.not_before: dict[int, float] = {}  # delivery id → monotonic time (after a 429)
        self.running: dict[asyncio.Task[Outcome], Claim] = {}
        self.busy_chats: set[int] = set()
        self.unwritten: list[Outcome] = []
        self.unwritten_since = 0.0
        self.outcomes: list[Outcome] = []
        self.rate_limited: Counter[int] = Counter()
        self.chat_waits: dict[int, float] = {}  # chat → end of its 429 wait
        self.fetching: asyncio.Task[list[Claim] | None] | None = None
        self.exhausted = False
        self.error: BaseException | None = None
        self.calling: set[int] = set()  # delivery ids whose HTTP call has begun
        self.stop_waiter: asyncio.Task[object] | None = None

    async def go(self, first: Sequence[Claim]) -> list[Outcome]:
        self.d.forget_idle_chats()
        self._add(first)
        self.stop_waiter = asyncio.create_task(self.d.stop_requested.wait())
        try:
            while not self.d.stopping:
                self._fetch_if_low()
                await self._start_ready()
                if not (self.queue or self.running or self.fetching or not self.exhausted):
                    break
                await self._wait()
                await self._collect()
            if self.d.stopping:
                await self._stop()
            await self._flush()
        except BaseException:
            for task in self.running:
                task.cancel()
            if self.fetching is not None:
                self.fetching.cancel()
            raise
        finally:
            self.stop_waiter.cancel()
        if self.error is not None:
            raise self.error
        return self.outcomes

    def _add(self, claims: Sequence[Claim]) -> None:
        self.queue.extend(claims)
        self.queue.sort(key=lambda c: c.due)

    def _fetch_if_low(self) -> None:
        if not self.exhausted and self.fetching is None and len(self.queue) < self.d.concurrency:
            self.fetching = asyncio.create_task(self.more())

    def _startable(self, claim: Claim, now: float, taken: set[int]) -> bool:
        chat = claim.chat_id
        if chat in self.busy_chats or chat in taken:
            return False
        return self._ready_at(claim) <= now

    def _ready_at(self, claim: Claim) -> float:
        return max(
            self.not_before.get(claim.delivery_id, 0.0), self.d.chat_ready.get(claim.chat_id, 0.0)
        )

    async def _start_ready(self) -> None:
        free = self.d.concurrency - len(self.running) - len(self.unwritten)
        if free <= 0:
            return
        now, chats, ready = self.d.monotonic(), set[int](), list[Claim]()
        more_ready = False
        for claim in self.queue:
            if self._startable(claim, now, chats):
                if len(ready) == free:
                    more_ready = True
                    break
                ready.append(claim)
                chats.add(claim.chat_id)
        if not ready or (len(ready) < self.d.group and more_ready and self.running):
            return  # wait until a whole group of slots is free
        for claim in ready:
            self.queue.remove(claim)
        paid = await self.d.paid.take(ready) if self.d.paid else set[int]()  # `sending`, too
        allowed = paid | await self.ledger.start([c for c in ready if c.delivery_id not in paid])
        for claim in ready:
            if claim.delivery_id in allowed:  # else another process took it meanwhile
                self.busy_chats.add(claim.chat_id)
                if self.d.paid and claim.delivery_id in paid:
                    send = self.d.paid.send(
                        self.d.sender, claim, self._turn(claim, self.d.paid.pacer)
                    )
                else:
                    send = self.d.sender.send(claim, self._turn(claim))
                task = asyncio.create_task(send)
                self.running[task] = claim

    def _turn(self, claim: Claim, pacer: SendPacer | None = None) -> Turn:
        """The dispatcher's turn, noting that the HTTP call begins once it is over."""
        wait_turn = self.d.turn(claim.chat_id, pacer)

        async def turn() -> None:
            await wait_turn()
            self.calling.add(claim.delivery_id)

        return turn

    async def _wait(self) -> None:
        waitables: set[asyncio.Future[object]] = set(self.running)  # type: ignore[arg-type]
        if self.fetching is not None:
            waitables.add(self.fetching)  # type: ignore[arg-type]
        if self.stop_waiter is not None:
            waitables.add(self.stop_waiter)
        timeout = self._next_change()
        if waitables:
            await asyncio.wait(waitables, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        elif timeout is not None:
            await asyncio.sleep(timeout)

    def _next_change(self) -> float | None:
        """Seconds until a waiting claim may go or the outcomes should be written."""
        now = self.d.monotonic()
        moments = [self._ready_at(c) for c in self.queue]
        if self.unwritten:
            moments.append(self.unwritten_since + FLUSH_SECONDS)
        later = [moment - now for moment in moments if moment > now]
        if len(later) < len(moments):
            return 0.0 if not self.running else min(later, default=FLUSH_SECONDS)
        return min(later, default=None)

    async def _collect(self) -> None:
        if self.fetching is not None and self.fetching.done():
            fetched, self.fetching = self.fetching, None
            if fetched.exception() is not None:
                self.error, self.exhausted = fetched.exception(), True
            elif (claims := fetched.result()) is None:
                self.exhausted = True
            else:
                self._add(claims)
        retried = False
        for task in [t for t in self.running if t.done()]:
            claim = self.running.pop(task)
            self.busy_chats.discard(claim.chat_id)
            outcome = task.result()
            if outcome.status == RETRY:
                outcome, retried = self._retry(outcome), True
            if not self.unwritten:
                self.unwritten_since = self.d.monotonic()
            self.unwritten.append(outcome)
            if outcome.status != RETRY:
                self.outcomes.append(outcome)
        if self.unwritten and (
            retried
            or len(self.unwritten) >= self.d.group
            or not self.running
            or self.d.monotonic() - self.unwritten_since >= FLUSH_SECONDS
        ):
            await self._flush()

    def _retry(self, outcome: Outcome) -> Outcome:
        """Telegram answered 429: this chat waits `retry_after` (everyone does, if another
        chat is still waiting out one), then this claim goes again (its row is `claimed`
        meanwhile) — unless that happened too often."""
        claim, now = outcome.claim, self.d.monotonic()
        self.rate_limited[claim.delivery_id] += 1
        if self.rate_limited[claim.delivery_id] > self.d.max_rate_limit_waits:
            return Outcome(claim, "failed", "rate limited too often")
        others = [chat for chat, until in self.chat_waits.items() if until > now]
        if any(chat != claim.chat_id for chat in others):
            log.warning(
                "Telegram asked the bot to wait %.0f s: all scheduled sends wait", outcome.wait
            )
            self.d.pause(outcome.wait)
        self.chat_waits[claim.chat_id] = now + outcome.wait
        self.not_before[claim.delivery_id] = now + outcome.wait
        self._add([claim])
        return outcome

    async def _flush(self) -> None:
        written, self.unwritten = self.unwritten, []
        await self.ledger.finish(written)

    async def _stop(self) -> None:
        """Asked to stop: a claim group being fetched and the sends in flight get until
        the deadline; then whatever was not attempted is released."""
        assert self.d.stop_at is not None
        pending: set[asyncio.Future[object]] = set(self.running)  # type: ignore[arg-type]
        if self.fetching is not None:
            pending.add(self.fetching)  # type: ignore[arg-type]
        if pending:
            await asyncio.wait(pending, timeout=max(0.0, self.d.stop_at - self.d.monotonic()))
        await self._collect()  # outcomes of what finished; a 429 goes back to the queue
        if self.fetching is not None:  # still claiming at the deadline: rolled back
            self.fetching.cancel()
            self.fetching = None
        cut_off = 0
        for task, claim in self.running.items():
            task.cancel()
            if claim.delivery_id in self.calling:
                self.unwritten.append(Outcome(claim, "unknown", CUT_OFF))
                self.outcomes.append(self.unwritten[-1])
                cut_off += 1
            else:
                self.queue.append(claim)
        self.running = {}
        await self._flush()
        released = await self.ledger.release(self.queue)
        self.queue = []
        log.info(
            "scheduler stopped: %d claims left for the next run, %d sends cut off",
            released,
            cut_off,
        )
