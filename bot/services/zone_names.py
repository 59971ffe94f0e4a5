"""Time zones by the names people use: cities and countries, in Dutch and English.

The names come from the Unicode CLDR through Babel (maintained, localised): each IANA
zone's exemplar city ("Lissabon", "Londen", "Curaçao"), each country's name ("Spanje",
"Verenigde Staten") and the zone's own id ("Europe/Lisbon"). Accents, case and
punctuation do not matter, and a small typo still finds the name ("Lisabon"). A
country with several zones (Spain: Madrid, the Canary Islands, Ceuta) gives all of them,
so the user picks their own.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache
from zoneinfo import available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location

LOCALES = ("nl", "en")
TYPO_CUTOFF = 0.8  # difflib similarity: "lisabon" ~ "lissabon" (0.93), "rome" !~ "roemenie"
MAX_CHOICES = 6  # a country with more zones than this: the user is asked for a city


def normalise(name: str) -> str:
    """ "Curaçao" → "curacao", "New_York" → "new york", "Port-au-Prince" → "port au prince"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


@cache
def _zones() -> frozenset[str]:
    """The IANA zones this machine knows that CLDR names (links like `US/Eastern` excluded)."""
    named = set(get_global("zone_territories"))
    return frozenset(z for z in available_timezones() if z in named)


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Every name (normalised) → the zones it stands for."""
    found: dict[str, list[str]] = {}

    def add(name: str, zone: str) -> None:
        zones = found.setdefault(normalise(name), [])
        if zone not in zones:
            zones.append(zone)

    territory_of = get_global("zone_territories")
    for zone in sorted(_zones()):
        add(zone, zone)
        add(zone.rsplit("/", 1)[-1], zone)
        for locale in LOCALES:
            add(city_name(zone, locale), zone)
            country = Locale(locale).territories.get(territory_of[zone])
            if country:
                add(country, zone)
    return {name: tuple(zones) for name, zones in found.items() if name}


def city_name(zone: str, locale: str) -> str:
    """The zone's city as people say it in that language: "Lissabon" for Europe/Lisbon."""
    return str(get_timezone_location(get_timezone(zone), locale=locale, return_city=True))


def find_zones(typed: str) -> tuple[str, ...]:
    """The zones a typed city, country or zone id means (best match first); () if none."""
    wanted = normalise(typed)
    if not wanted:
        return ()
    index = _index()
    if wanted in index:
        return index[wanted]
    close = difflib.get_close_matches(wanted, index, n=1, cutoff=TYPO_CUTOFF)
    return index[close[0]] if close else ()


def zone_label(zone: str, locale: str) -> str:
    """The city's name for the zone in that language, or the zone id when CLDR has none."""
    return city_name(zone, locale) if zone in _zones() else zone
