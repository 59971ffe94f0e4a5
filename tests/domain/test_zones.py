"""Time zones by the names people use (CLDR via Babel), typos and all."""

from __future__ import annotations

from zoneinfo import available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.choices import COMMON_ZONES
from bot.domain.zones import zone_key, zone_of_key
from bot.services.zone_names import MAX_CHOICES, city_name, find_zones


@pytest.mark.parametrize(
    ("typed", "zones"),
    [
        ("Lissabon", ("Europe/Lisbon",)),
        ("lisbon", ("Europe/Lisbon",)),
        ("Lisabon", ("Europe/Lisbon",)),  # a typo
        ("Londen", ("Europe/London",)),
        ("Londn", ("Europe/London",)),
        ("Curaçao", ("America/Curacao",)),
        ("curacao", ("America/Curacao",)),
        ("New York", ("America/New_York",)),
        ("  america/new york ", ("America/New_York",)),
        ("Europe/Lisbon", ("Europe/Lisbon",)),
        ("Suriname", ("America/Paramaribo",)),
        ("België", ("Europe/Brussels",)),
        ("Nederland", ("Europe/Amsterdam",)),
        ("Spanje", ("Africa/Ceuta", "Atlantic/Canary", "Europe/Madrid")),  # the user picks
        ("Mars/Base", ()),
        ("", ()),
        ("../../etc/passwd", ()),
    ],
)
def test_cities_countries_and_zone_ids(typed: str, zones: tuple[str, ...]) -> None:
    assert find_zones(typed) == zones


def test_a_country_with_many_zones_asks_for_a_city() -> None:
    assert len(find_zones("Verenigde Staten")) > MAX_CHOICES
    assert len(find_zones("United States")) > MAX_CHOICES


@pytest.mark.parametrize("zone", COMMON_ZONES)
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_listed_zone_is_found_by_its_own_city_name(zone: str, locale: str) -> None:
    assert zone in find_zones(city_name(zone, locale))
    assert zone_of_key(zone_key(zone)) == zone


@given(st.text(max_size=40))
def test_anything_typed_gives_only_real_zones(typed: str) -> None:
    assert set(find_zones(typed)) <= available_timezones()


@given(st.sampled_from(sorted(available_timezones())))
def test_every_zone_key_fits_in_button_data(zone: str) -> None:
    key = zone_key(zone)
    assert len(key) <= 50 and key.replace("_", "").isalnum()
