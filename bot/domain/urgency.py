"""Does a typed message (or a check-in note) mean someone may need urgent help?

The phrases come from content (`content/urgent.yaml`, both languages); this module
only matches. A message and a phrase are normalised alike (lower case, no accents, no
punctuation, single spaces); a phrase matches when its words stand in the message one
after the other, each word equal or — for words of five letters or more — one letter
off ("benauwt", "ambulanse"). A phrase of several words also matches with the spaces
left out ("drukopmijnborst"). The most serious tier that matches wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import Enum

NON_WORD = re.compile(r"[^a-z0-9]+")
FORGIVING_FROM = 5  # letters; shorter words must be exact


class Tier(Enum):
    """In order of seriousness: the first that matches is shown."""

    EMERGENCY = "emergency"
    CRISIS = "crisis"
    SAME_DAY = "same_day"


def words_of(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("'", "")
    return NON_WORD.sub(" ", plain).split()


def urgency_of(text: str, phrases: Mapping[str, Sequence[str]]) -> Tier | None:
    """The most serious tier one of whose phrases (keyed by tier name) is in `text`."""
    words = words_of(text)
    compact = "".join(words)
    for tier in Tier:
        for phrase in phrases.get(tier.value, ()):
            wanted = words_of(phrase)
            if _in_sequence(wanted, words) or (len(wanted) > 1 and "".join(wanted) in compact):
                return tier
    return None


def _in_sequence(wanted: list[str], words: list[str]) -> bool:
    size = len(wanted)
    return any(
        all(_same_word(w, words[start + i]) for i, w in enumerate(wanted))
        for start in range(len(words) - size + 1)
    )


def _same_word(wanted: str, word: str) -> bool:
    if wanted == word:
        return True
    if len(wanted) < FORGIVING_FROM or wanted.isdigit() or abs(len(wanted) - len(word)) > 1:
        return False
    return _one_edit_apart(wanted, word)


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter replaced, added or left out (not swapped)."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] if len(a) < len(b) else a[i + 1 :] == b[i + 1 :]
