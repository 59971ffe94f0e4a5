"""All user-facing text: loaded from `content/` once and validated (see docs/content.md)."""

from bot.content.checks import content_warnings
from bot.content.loader import load_content
from bot.content.model import (
    ID_PATTERN,
    LANGUAGES,
    ROOT_TOPIC,
    CheckinTrigger,
    Content,
    ContentError,
    Language,
    Texts,
    Tip,
    Topic,
)

__all__ = [
    "ID_PATTERN",
    "LANGUAGES",
    "ROOT_TOPIC",
    "CheckinTrigger",
    "Content",
    "ContentError",
    "Language",
    "Texts",
    "Tip",
    "Topic",
    "content_warnings",
    "load_content",
]
