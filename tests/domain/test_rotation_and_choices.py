"""Tip rotation and the settings rules, without Telegram."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content import Content
from bot.domain.changes import (
    Change,
    InvalidChange,
    Pause,
    Resume,
    Rules,
    SetDays,
    SetTime,
    SetZone,
    Switch,
    ToggleDay,
    ToggleTag,
)
from bot.domain.choices import Choices, next_tip_at
from bot.domain.rotation import choose_tip, eligible_tips

TAGS = ("relax", "move", "triggers", "night", "care")


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


RULES = Rules(TAGS, datetime(2026, 11, 26, 8, 0))  # before the 09:00 tip


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (Switch("tips", on=True), {"tips_enabled": True}),
        (Switch("morning", on=True), {"morning_enabled": True}),
        (SetTime("tips", 7 * 60 + 30), {"tip_minute": 7 * 60 + 30}),
        (SetTime("checkin", 21 * 60), {"checkin_minute": 21 * 60}),
        (SetDays("tips", "weekend"), {"tip_weekdays": frozenset({5, 6})}),
        (SetDays("checkin", "weekdays"), {"checkin_weekdays": frozenset(range(5))}),
        (ToggleDay(6), {"tip_weekdays": frozenset(range(6))}),
        (ToggleTag("night"), {"tip_tags_off": frozenset({"night"})}),
        (SetZone("europe__london"), {"timezone": "Europe/London"}),
        (Pause(7), {"paused_until": date(2026, 12, 3)}),  # today's tip is skipped too
        (Switch("silent", on=True), {"silent": True}),
    ],
)
def test_each_change(change: Change, expected: dict[str, object]) -> None:
    changed = change.apply(Choices(), RULES)
    for field, wanted in expected.items():
        assert getattr(changed, field) == wanted


@pytest.mark.parametrize(
    "make",
    [
        lambda: SetTime("tips", 24 * 60),
        lambda: SetTime("tips", 9 * 60 + 10),
        lambda: ToggleDay(7),
        lambda: Pause(30),
        lambda: ToggleTag("sport").apply(Choices(), RULES),
        lambda: SetZone("mars__base").apply(Choices(), RULES),
    ],
)
def test_changes_not_on_offer_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(InvalidChange):
        make()


def test_the_last_day_cannot_be_switched_off() -> None:
    only_monday = Choices(tip_weekdays=frozenset({0}))
    assert ToggleDay(0).apply(only_monday, RULES).tip_weekdays == frozenset({0})


def test_a_pause_resumes_on_its_date() -> None:
    paused = Pause(3).apply(Choices(tips_enabled=True), RULES)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    due = next_tip_at(paused, now)
    assert due is not None
    assert due.astimezone(ZoneInfo("Europe/Amsterdam")) == datetime(
        2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert next_tip_at(Resume().apply(paused, RULES), now) == datetime(
        2026, 11, 27, 8, 0, tzinfo=UTC
    )


def test_tips_off_means_nothing_is_due() -> None:
    assert next_tip_at(Choices(tips_enabled=False), datetime(2026, 1, 1, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("local_now", "first_tip_again"),
    [
        (datetime(2026, 11, 26, 8, 59), date(2026, 11, 27)),  # before 09:00: today is skipped
        (datetime(2026, 11, 26, 9, 0), date(2026, 11, 28)),  # today's tip went: tomorrow is
        (datetime(2026, 11, 26, 21, 9), date(2026, 11, 28)),
    ],
)
def test_a_pause_of_one_day_always_skips_a_tip(local_now: datetime, first_tip_again: date) -> None:
    paused = Pause(1).apply(Choices(tip_minute=9 * 60), Rules(TAGS, local_now))
    assert paused.paused_until == first_tip_again
