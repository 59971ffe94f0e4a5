"""The operator's /broadcast (`broadcast`) and the counts it sends the admin when it is
through (`broadcast_report`).

A broadcast is one more scheduled kind, so it has every guarantee of the others: the
claim inserts the delivery row before anything is sent (once per person), the
dispatcher paces it within the bot's rate and per chat, a 403 makes the user inactive,
and a crash loses at most what was in flight. Its due column is
`broadcast_recipients.due_at` (one row per person, written when the admin confirms,
spaced at the send rate: `bot/services/broadcasts.py`); the claim deletes the row.

**Delivery kind.** The unique key of `deliveries` is (user, kind, local date), so each
broadcast's rows carry its id: "broadcast:17". Two broadcasts on one day are then two
kinds and both arrive, while one broadcast still reaches each person at most once
(the row of one person and one broadcast has one due time, so one local date). The
ScheduledKind is `broadcast` for all of them (`kinds.kind_of` maps a row back; the
Resumer reads the id from it).

**Grace.** A broadcast is news from the operator that is still worth reading hours
later, and one to many people takes long by itself (100,000 at 25/s: 67 minutes), so
a claim is `missed` only when it is more than BROADCAST_GRACE (a day, or the tips'
grace if that is longer) past its due time — after a long outage — and the report
counts those.

**The report.** Due in `broadcasts.report_at` (at first the last recipient's due
time), for the admin who made it. While someone eligible is still to be claimed or a
claim is not finished, the claim looks again REPORT_RECHECK later (so it follows the
last outcome by about a tick); then it drops the rows of people who became
unreachable or opted out meanwhile (counted as skipped) and sends the counts, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content
from bot.db.models import Broadcast, BroadcastRecipient, Delivery, Preferences, User
from bot.domain.kinds import BROADCAST, BROADCAST_REPORT, delivery_kind, kind_of
from bot.screens.broadcast import broadcast_message, report_screen
from bot.services.broadcasts import (
    DONE,
    ELIGIBLE,
    QUEUED,
    counts,
    drop_leftovers,
    still_sending,
)
from scheduler.claims import ClaimBatch, Plan, ScheduledKind, claim_plans

BROADCAST_GRACE = timedelta(days=1)
REPORT_RECHECK = timedelta(seconds=10)


def _add(total: ClaimBatch, part: ClaimBatch) -> None:
    total.claims.extend(part.claims)
    total.missed += part.missed
    total.skipped += part.skipped
    total.already_had_one += part.already_had_one


def _plan(
    broadcast: Broadcast | None,
    user: User,
    due: datetime,
    silent: bool,
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Plan:
    if broadcast is None or broadcast.state not in (QUEUED, DONE):
        return Plan(user, due, "skipped", item="broadcast gone")
    if not user.broadcasts_enabled:
        return Plan(user, due, "skipped", item="opted out")
    if now - due > max(grace, BROADCAST_GRACE):
        return Plan(user, due, "missed")
    text = broadcast.text_nl if user.language == "nl" else broadcast.text_en or broadcast.text_nl
    screen = broadcast_message(content.texts(user.language), text)
    return Plan(user, due, "claimed", screen, silent=silent)


async def claim_broadcasts(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
    until: datetime,
) -> ClaimBatch:
    """Claim up to `limit` recipients due by now (never early), one delivery kind per
    broadcast; their rows go. "Zonder geluid" from the tip settings is kept."""
    del until
    batch = ClaimBatch()
    async with sessionmaker.begin() as session:
        query = (
            select(BroadcastRecipient, User, Preferences.silent)
            .join(User, User.telegram_id == BroadcastRecipient.user_id)
            .outerjoin(Preferences, Preferences.user_id == BroadcastRecipient.user_id)
            .where(*ELIGIBLE, BroadcastRecipient.due_at <= now)
            .order_by(BroadcastRecipient.due_at)
            .limit(limit)
        )
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(of=BroadcastRecipient, skip_locked=True)
        plans: dict[int, list[Plan]] = {}
        for recipient, user, silent in (await session.execute(query)).tuples().all():
            broadcast = await session.get(Broadcast, recipient.broadcast_id)  # cached after one
            plan = _plan(broadcast, user, recipient.due_at, bool(silent), content, now, grace)
            plans.setdefault(recipient.broadcast_id, []).append(plan)
            await session.delete(recipient)  # one-shot: the delivery row is the record
        for broadcast_id, group in plans.items():
            part, _ = await claim_plans(session, delivery_kind(BROADCAST, broadcast_id), group, now)
            _add(batch, part)
    return batch


async def resume_broadcast(
    session: AsyncSession,
    row: Delivery,
    user: User,
    prefs: Preferences,
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Plan:
    """A claim a crash left unattempted: the same message, unless the user opted out
    meanwhile or it is now more than the grace late."""
    _, broadcast_id = kind_of(row.kind)
    broadcast = await session.get(Broadcast, broadcast_id) if broadcast_id else None
    return _plan(broadcast, user, row.due_at, bool(prefs.silent), content, now, grace)


async def claim_reports(
    kind: ScheduledKind,
    sessionmaker: async_sessionmaker[AsyncSession],
    content: Content,
    now: datetime,
    grace: timedelta,
    limit: int,
    until: datetime,
) -> ClaimBatch:
    """The counts to the admin once a broadcast is through; not yet: look again later."""
    del until, grace
    batch = ClaimBatch()
    async with sessionmaker.begin() as session:
        query = (
            select(Broadcast, User)
            .join(User, User.telegram_id == Broadcast.created_by)
            .where(User.is_active, Broadcast.report_at <= now)
            .order_by(Broadcast.report_at)
            .limit(limit)
        )
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(of=Broadcast, skip_locked=True)
        for broadcast, admin in (await session.execute(query)).tuples().all():
            if await still_sending(session, broadcast.id):
                broadcast.report_at = now + REPORT_RECHECK
                continue
            due = broadcast.report_at
            assert due is not None
            await drop_leftovers(session, broadcast.id)
            broadcast.state, broadcast.finished_at, broadcast.report_at = DONE, now, None
            found = await counts(session, broadcast.id, broadcast.recipients or 0)
            screen = report_screen(content.texts(admin.language), broadcast.id, found)
            name = delivery_kind(BROADCAST_REPORT, broadcast.id)
            part, _ = await claim_plans(session, name, [Plan(admin, due, "claimed", screen)], now)
            _add(batch, part)
    return batch


async def resume_report(
    session: AsyncSession,
    row: Delivery,
    user: User,
    prefs: Preferences,
    content: Content,
    now: datetime,
    grace: timedelta,
) -> Plan:
    """The counts again (they are final once the report was claimed)."""
    _, broadcast_id = kind_of(row.kind)
    broadcast = await session.get(Broadcast, broadcast_id) if broadcast_id else None
    if broadcast is None:
        return Plan(user, row.due_at, "skipped", item="broadcast gone")
    found = await counts(session, broadcast.id, broadcast.recipients or 0)
    return Plan(
        user,
        row.due_at,
        "claimed",
        report_screen(content.texts(user.language), broadcast.id, found),
    )


BROADCASTS = ScheduledKind(
    BROADCAST,
    BroadcastRecipient.due_at,
    User.broadcasts_enabled,
    claim_broadcasts,
    resume_broadcast,
    user_id=BroadcastRecipient.user_id,
    needs_preferences=False,
)
BROADCAST_REPORTS = ScheduledKind(
    BROADCAST_REPORT,
    Broadcast.report_at,
    User.is_active,
    claim_reports,
    resume_report,
    user_id=Broadcast.created_by,
    needs_preferences=False,
)
