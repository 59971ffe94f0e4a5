"""Which tip does a user get next? The least-sent eligible tip, in a per-user order.

Choosing the tip sent least often means no tip repeats until every eligible tip
(the user's tags, minus the ones they marked 👎) has been sent once; then a new
cycle starts. Ties are broken by a stable per-user shuffle, so users do not all
walk the pool in the same order.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping

from bot.content.model import Tip


def eligible_tips(tips: Iterable[Tip], tags_off: frozenset[str], disliked: set[str]) -> list[Tip]:
    return [t for t in tips if t.tag not in tags_off and t.id not in disliked]


def choose_tip(
    tips: Iterable[Tip],
    tags_off: frozenset[str],
    disliked: set[str],
    times_sent: Mapping[str, int],
    user_id: int,
) -> Tip | None:
    """The next tip for this user, or None when nothing is eligible."""
    candidates = eligible_tips(tips, tags_off, disliked)
    if not candidates:
        return None
    return min(candidates, key=lambda t: (times_sent.get(t.id, 0), _shuffle_key(user_id, t.id)))


def _shuffle_key(user_id: int, tip_id: str) -> int:
    """A per-user order of the tips that is the same after every restart (and cheap: the
    tick computes it for every tip of every due user)."""
    return (_tip_hash(tip_id) ^ (user_id * 0x9E3779B97F4A7C15)) & 0xFFFFFFFFFFFFFFFF


@functools.cache
def _tip_hash(tip_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(tip_id.encode(), digest_size=8).digest(), "big")
