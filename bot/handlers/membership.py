"""Telegram tells the bot when a user blocks or unblocks it (`my_chat_member`)."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.context import BotContext
from bot.services.users import set_reachable

log = logging.getLogger(__name__)
GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def on_membership(update: Update, context: BotContext) -> None:
    """Blocked → inactive (nothing more is sent); unblocked → active again."""
    change = update.my_chat_member
    assert change is not None
    reachable = change.new_chat_member.status not in GONE
    known = await set_reachable(context.db, change.from_user.id, reachable)
    log.info("user %s the bot (known user: %s)", "unblocked" if reachable else "blocked", known)
