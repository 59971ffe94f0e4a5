"""Time zones as they travel in button data: a key per IANA zone, and back.

The names people use for them (cities, countries) are `bot.services.zone_names`.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


def zone_key(zone: str) -> str:
    """A zone as it travels in button data: `America/Port-au-Prince` → `america__port_au_prince`."""
    return zone.lower().replace("/", "__").replace("-", "_").replace("+", "plus")


@cache
def zone_of_key(key: str) -> str | None:
    """The zone a key stands for; None for a key no zone has (forged or outdated)."""
    return next((z for z in available_timezones() if zone_key(z) == key), None)
