"""The one "the next text is for…" slot, instead of a flag per flow.

A prompt ("type your time zone", "add a note") fills the slot; the next plain text
goes to that flow. The slot empties when the flow is done, after EXPIRES_AFTER, and
on any command or button tap (the guard in group -1 calls `forget`), so a question
typed later is never taken for a note or a zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from bot.context import BotContext

SLOT_KEY = "next_text"
EXPIRES_AFTER = timedelta(minutes=15)


class Purpose(Enum):
    TIMEZONE = "timezone"
    NOTE = "note"
    REPORT_NAME = "report_name"
    APPOINTMENT_DATE = "appointment_date"
    APPOINTMENT_QUESTION = "appointment_question"
    APPOINTMENT_AFTER = "appointment_after"
    BROADCAST_NL = "broadcast_nl"  # /broadcast, admins only: the Dutch text
    BROADCAST_EN = "broadcast_en"  # ... the English text
    BROADCAST_PREVIEW = "broadcast_preview"  # ... the preview waits for a tap


@dataclass(frozen=True)
class NextText:
    purpose: Purpose
    expires_at: datetime
    day: date | None = None  # the check-in day a note belongs to
    prompt_message_id: int | None = None  # the message whose buttons end with the flow


def expect(
    context: BotContext,
    purpose: Purpose,
    *,
    day: date | None = None,
    prompt_message_id: int | None = None,
) -> None:
    if context.user_data is not None:
        context.user_data[SLOT_KEY] = NextText(
            purpose, context.now() + EXPIRES_AFTER, day, prompt_message_id
        )


def pending(context: BotContext) -> NextText | None:
    """What the next text is for, if a prompt is still open."""
    slot = context.user_data.get(SLOT_KEY) if context.user_data is not None else None
    if not isinstance(slot, NextText):
        return None
    if slot.expires_at <= context.now():
        forget(context)
        return None
    return slot


def forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(SLOT_KEY, None)
