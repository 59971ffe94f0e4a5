"""All user-facing text: loaded from `content/` once and validated (see docs/content.md)."""

from bot.content.loader import load_content
from bot.content.model import (
    LANGUAGES,
    ROOT_TOPIC,
    CheckinTrigger,
    Content,
    ContentError,
    Texts,
    Tip,
    Topic,
)

__all__ = [
    "LANGUAGES",
    "ROOT_TOPIC",
    "CheckinTrigger",
    "Content",
    "ContentError",
    "Texts",
    "Tip",
    "Topic",
    "load_content",
]
