"""What the user sees. Each screen is a text (Telegram HTML) plus its keyboard, rendered
from content; the modules here mirror `bot/handlers/` (and `scheduler/` renders with
them too)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
