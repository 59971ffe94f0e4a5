"""Tip history per user: 👍/👎, how often each tip was sent, and /tip on demand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content import Content, Tip
from bot.db.models import Preferences, TipFeedback, TipSent
from bot.domain.rotation import choose_tip


async def tip_history(
    session: AsyncSession, user_ids: Sequence[int]
) -> tuple[dict[int, set[str]], dict[int, dict[str, TipSent]]]:
    """For each user: the tips they marked 👎, and their send counts (rows, to update)."""
    disliked: dict[int, set[str]] = defaultdict(set)
    sent: dict[int, dict[str, TipSent]] = defaultdict(dict)
    if user_ids:
        feedback = await session.scalars(
            select(TipFeedback).where(TipFeedback.user_id.in_(user_ids), ~TipFeedback.helpful)
        )
        for row in feedback:
            disliked[row.user_id].add(row.tip_id)
        for sent_row in await session.scalars(select(TipSent).where(TipSent.user_id.in_(user_ids))):
            sent[sent_row.user_id][sent_row.tip_id] = sent_row
    return disliked, sent


def count_send(session: AsyncSession, sent: dict[str, TipSent], user_id: int, tip_id: str) -> None:
    """One more send of `tip_id` to this user (rotation reads these counts)."""
    if tip_id in sent:
        sent[tip_id].times += 1
    else:
        sent[tip_id] = TipSent(user_id=user_id, tip_id=tip_id, times=1)
        session.add(sent[tip_id])


async def next_tip_now(
    sessionmaker: async_sessionmaker[AsyncSession], content: Content, user_id: int
) -> Tip | None:
    """/tip: the next tip in this user's rotation, counted as sent; None when none is left."""
    async with sessionmaker.begin() as session:
        prefs = await session.get(Preferences, user_id)
        tags_off = prefs.tip_tags_off if prefs else frozenset()
        disliked, sent = await tip_history(session, [user_id])
        times = {tip_id: row.times for tip_id, row in sent[user_id].items()}
        tip = choose_tip(content.tips.values(), tags_off, disliked[user_id], times, user_id)
        if tip is not None:
            count_send(session, sent[user_id], user_id, tip.id)
        return tip


async def rate_tip(
    sessionmaker: async_sessionmaker[AsyncSession],
    user_id: int,
    tip_id: str,
    helpful: bool | None,
    now: datetime,
) -> None:
    """Store 👍/👎 (None: neither, an undo); a later tap replaces the earlier one. 👎 keeps
    the tip out of rotation, until it is undone."""
    async with sessionmaker.begin() as session:
        row = await session.get(TipFeedback, (user_id, tip_id))
        if helpful is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(TipFeedback(user_id=user_id, tip_id=tip_id, helpful=helpful, given_at=now))
        else:
            row.helpful, row.given_at = helpful, now
