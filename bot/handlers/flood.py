"""A person who sends many messages in a short time gets one line, not a reply to each.

Up to MAX_MESSAGES messages a minute are answered as usual; the next one gets a single
"I'm here, tap a button" line and the rest of that minute is read but not answered.
Button taps always get an answer (the spinner must stop) and do not count.

The minute is measured with the times Telegram stamps on the messages, not the time the
bot handles them: replies are paced per chat, so a flood is handled later than it came.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from enum import Enum

from bot.context import BotContext

WINDOW = timedelta(minutes=1)
MAX_MESSAGES = 10
TIMES_KEY = "recent_messages"


class Verdict(Enum):
    ANSWER = "answer"
    TELL_ONCE = "tell once"
    IGNORE = "ignore"


def on_message(context: BotContext, sent_at: datetime) -> Verdict:
    """Count one incoming message of this user and say what to do with it."""
    if context.user_data is None:
        return Verdict.ANSWER
    times: deque[datetime] = context.user_data.setdefault(TIMES_KEY, deque())
    while times and times[0] <= sent_at - WINDOW:
        times.popleft()
    times.append(sent_at)
    if len(times) <= MAX_MESSAGES:
        return Verdict.ANSWER
    return Verdict.TELL_ONCE if len(times) == MAX_MESSAGES + 1 else Verdict.IGNORE
