"""Daily-tip buttons (👍, 👎, read more), the offer after /start, and /tip."""

from __future__ import annotations

from telegram import Update

from bot import callbacks
from bot.content import Texts
from bot.context import BotContext
from bot.domain.changes import Switch
from bot.handlers.common import (
    StaleButton,
    answer,
    send,
    show_buttons,
    show_in_place,
    the_query,
    topic_or_stale,
    user_texts,
)
from bot.screens import Screen, menus
from bot.screens import tips as tip_screens
from bot.screens.dates import clock_time
from bot.services.preferences import change_choices, has_chosen_about_tips
from bot.services.tips import next_tip_now, rate_tip


async def tip_command(update: Update, context: BotContext) -> None:
    """/tip: one tip now, outside the schedule."""
    texts = await user_texts(update, context)
    user = update.effective_user
    assert user is not None
    tip = await next_tip_now(context.db, context.content, user.id)
    if tip is None:
        await send(update, tip_screens.no_tips_left(texts))
    else:
        await send(update, tip_screens.tip_message(texts, tip, daily=False))


async def offer_tips_once(update: Update, context: BotContext, texts: Texts) -> None:
    """After /start: ask once whether the user wants daily tips (never switched on unasked)."""
    user = update.effective_user
    assert user is not None
    if not await has_chosen_about_tips(context.db, user.id):
        await send(update, tip_screens.tip_offer(texts))


async def answer_offer(
    update: Update, context: BotContext, data: callbacks.AnswerTipOffer, texts: Texts
) -> None:
    query = the_query(update)
    await answer(context, query)
    chosen = await change_choices(
        context.db,
        query.from_user.id,
        Switch("tips", on=data.accepted),
        context.content.tip_tags,
        context.now(),
    )
    if data.accepted:
        text = texts("tip_offer_accepted", time=clock_time(chosen.tip_minute))
    else:
        text = texts("tip_offer_declined")
    await show_in_place(query, Screen(text))


THANKS_KEYS = {"up": "tip_thanks_helpful", "down": "tip_thanks_not_for_me", "clear": "tip_undone"}


async def rate(update: Update, context: BotContext, data: callbacks.RateTip, texts: Texts) -> None:
    """👍/👎 on a tip (or a second tap that undoes it): stored, thanked, and the tip's
    buttons show the choice; the tip's text stays as it is."""
    tip = context.content.tips.get(data.tip_id)
    if tip is None:
        raise StaleButton(f"unknown tip {data.tip_id!r}")
    query = the_query(update)
    helpful = None if data.verdict == "clear" else data.verdict == "up"
    await rate_tip(context.db, query.from_user.id, data.tip_id, helpful, context.now())
    await answer(context, query, texts(THANKS_KEYS[data.verdict]))
    verdict = None if data.verdict == "clear" else data.verdict
    await show_buttons(query, tip_screens.tip_buttons(texts, tip, verdict))


async def open_topic(
    update: Update, context: BotContext, data: callbacks.OpenTopic, texts: Texts
) -> None:
    """ "Read more" under a tip: the topic as a new message, so the tip stays visible."""
    topic = topic_or_stale(context, data.topic_id)
    await answer(context, the_query(update))
    await send(update, menus.topic_screen(texts, topic))
