"""Checks text against the subset of HTML that Telegram's HTML parse mode accepts.

Used by the content loader so that a text that Telegram would reject with
"can't parse entities" is caught by `spasmbot check-content`, not by a user.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "code"})
TOKEN = re.compile(r"<(/?)([a-zA-Z-]*)\s*>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[<>&]")


def html_problems(text: str) -> list[str]:
    """Every reason Telegram would refuse `text` (empty list when it is fine)."""
    problems: list[str] = []
    open_tags: list[str] = []
    for match in TOKEN.finditer(text):
        closing, tag, entity = match.group(1), match.group(2), match.group(3)
        if entity is not None:
            continue
        if tag is None:
            problems.append(f"bare {match.group(0)!r} at {match.start()} (escape it)")
        elif tag not in ALLOWED_TAGS:
            problems.append(f"tag <{closing}{tag}> is not allowed")
        elif not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            problems.append(f"</{tag}> closes nothing")
    problems.extend(f"<{tag}> is never closed" for tag in open_tags)
    return problems


def plain_text(text: str) -> str:
    """What the user sees, for length checks: tags removed, entities decoded."""
    return html.unescape(re.sub(r"</?[a-zA-Z-]+\s*>", "", text))
