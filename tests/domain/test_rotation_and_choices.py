"""Tip rotation and the settings rules, without Telegram."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content import Content
from bot.domain.choices import (
    Choices,
    InvalidChange,
    apply_change,
    find_zone,
    next_tip_at,
)
from bot.domain.rotation import choose_tip, eligible_tips

TAGS = ("relax", "move", "triggers", "night", "care")
TODAY = date(2026, 11, 26)


@given(
    tags_off=st.frozensets(st.sampled_from(TAGS), max_size=4),
    disliked_count=st.integers(0, 10),
    user_id=st.integers(1, 2**40),
    rounds=st.integers(1, 3),
)
def test_no_tip_repeats_until_every_eligible_tip_was_sent(
    content: Content, tags_off: frozenset[str], disliked_count: int, user_id: int, rounds: int
) -> None:
    disliked = set(list(content.tips)[:disliked_count])
    pool = eligible_tips(content.tips.values(), tags_off, disliked)
    sent: Counter[str] = Counter()
    order: list[str] = []
    for _ in range(len(pool) * rounds):
        tip = choose_tip(content.tips.values(), tags_off, disliked, sent, user_id)
        assert tip is not None and tip.tag not in tags_off and tip.id not in disliked
        sent[tip.id] += 1
        order.append(tip.id)
    for cycle in range(rounds):
        assert sorted(order[cycle * len(pool) : (cycle + 1) * len(pool)]) == sorted(
            t.id for t in pool
        )


def test_nothing_eligible_gives_none(content: Content) -> None:
    assert choose_tip(content.tips.values(), frozenset(TAGS), set(), {}, 1) is None


def test_users_get_different_orders(content: Content) -> None:
    firsts = [choose_tip(content.tips.values(), frozenset(), set(), {}, uid) for uid in range(20)]
    assert len({tip.id for tip in firsts if tip is not None}) > 5


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("tips", "on", {"tips_enabled": True}),
        ("time", "0730", {"tip_minute": 7 * 60 + 30}),
        ("days", "weekend", {"tip_weekdays": frozenset({5, 6})}),
        ("day", "6", {"tip_weekdays": frozenset(range(6))}),
        ("tag", "night", {"tip_tags_off": frozenset({"night"})}),
        ("zone", "europe__london", {"timezone": "Europe/London"}),
        ("pause", "7", {"paused_until": date(2026, 12, 3)}),
        ("silent", "on", {"silent": True}),
    ],
)
def test_each_change(name: str, value: str, expected: dict[str, object]) -> None:
    changed = apply_change(Choices(), name, value, TAGS, TODAY)
    for field, wanted in expected.items():
        assert getattr(changed, field) == wanted


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tips", "maybe"),
        ("time", "2400"),
        ("time", "0910"),
        ("time", "9"),
        ("day", "7"),
        ("tag", "sport"),
        ("zone", "mars__base"),
        ("pause", "30"),
        ("colour", "red"),
    ],
)
def test_forged_changes_are_refused(name: str, value: str) -> None:
    with pytest.raises(InvalidChange):
        apply_change(Choices(), name, value, TAGS, TODAY)


def test_the_last_day_cannot_be_switched_off() -> None:
    only_monday = Choices(tip_weekdays=frozenset({0}))
    assert apply_change(only_monday, "day", "0", TAGS, TODAY).tip_weekdays == frozenset({0})


def test_a_pause_resumes_on_its_date() -> None:
    paused = apply_change(Choices(tips_enabled=True), "pause", "3", TAGS, TODAY)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    due = next_tip_at(paused, now)
    assert due is not None
    assert due.astimezone(ZoneInfo("Europe/Amsterdam")) == datetime(
        2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert next_tip_at(apply_change(paused, "resume", "", TAGS, TODAY), now) == datetime(
        2026, 11, 27, 8, 0, tzinfo=UTC
    )


def test_tips_off_means_nothing_is_due() -> None:
    assert next_tip_at(Choices(tips_enabled=False), datetime(2026, 1, 1, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("  america/new york ", "America/New_York"),
        ("Mars/Base", None),
        ("", None),
        ("../../etc/passwd", None),
    ],
)
def test_typed_time_zones(typed: str, zone: str | None) -> None:
    assert find_zone(typed) == zone
