"""A check-in note's length: what fits, and which part of a longer one is kept."""

from __future__ import annotations

MAX_NOTE_CHARS = 300


def shorten_note(text: str, limit: int = MAX_NOTE_CHARS) -> str:
    """The first part of a note that is too long, ending at a word where one ends near the
    limit: a long note is kept in part, never thrown away."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace() and (at_word := cut.rfind(" ")) >= limit * 0.8:
        cut = cut[:at_word]
    return cut.rstrip()
