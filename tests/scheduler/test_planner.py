"""The peak planner (scheduler/planner.py), property-tested on a simulated sender.

The simulation sends one message every 1/rate seconds, always the earliest due of
those it may send (due by then, or due by the planner's horizon), like the
dispatcher does; the planner is asked again at every slot.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.planner import early_horizon, peak_load

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
RATES = st.sampled_from([1, 2, 4, 5, 10])  # 1/rate is a whole number of microseconds
DUES = st.lists(st.integers(0, 90), min_size=1, max_size=40)  # seconds after T0
SPREADS = st.integers(0, 60)  # seconds


def simulate(dues: Sequence[int], rate: int, spread: int) -> list[tuple[int, float]]:
    """(due, sent at) for every message, in the order sent; times in seconds after T0."""
    waiting = sorted(dues)
    sent: list[tuple[int, float]] = []
    slot = 0
    while waiting:
        now = T0 + timedelta(microseconds=slot * 1_000_000 // rate)
        at = (now - T0).total_seconds()
        backlog = sum(1 for due in waiting if due <= at)
        upcoming = sorted(Counter(due for due in waiting if due > at).items())
        horizon = early_horizon(
            now,
            rate,
            timedelta(seconds=spread),
            backlog,
            [(T0 + timedelta(seconds=due), count) for due, count in upcoming],
        )
        limit = max(at, (horizon - T0).total_seconds())
        if waiting[0] <= limit:  # the earliest due goes first: order is kept
            sent.append((waiting.pop(0), at))
        slot += 1
    return sent


@settings(max_examples=150, deadline=None)
@given(DUES, RATES, SPREADS)
def test_never_early_beyond_the_spread_and_in_due_order(
    dues: list[int], rate: int, spread: int
) -> None:
    sent = simulate(dues, rate, spread)
    assert all(at >= due - spread for due, at in sent)
    assert [due for due, _ in sent] == sorted(dues)


@settings(max_examples=150, deadline=None)
@given(DUES, RATES, SPREADS)
def test_starting_early_never_makes_a_message_later(
    dues: list[int], rate: int, spread: int
) -> None:
    spread_out = simulate(dues, rate, spread)
    as_due = simulate(dues, rate, 0)
    assert all(a <= b for (_, a), (_, b) in zip(spread_out, as_due, strict=True))
    assert max(at - due for due, at in spread_out) <= max(at - due for due, at in as_due)


@settings(max_examples=150, deadline=None)
@given(DUES, RATES, SPREADS)
def test_never_early_when_the_rate_suffices(dues: list[int], rate: int, spread: int) -> None:
    if any(at != due for due, at in simulate(dues, rate, 0)):
        return  # sent as due, something would be late: the rate does not suffice
    assert all(at >= due for due, at in simulate(dues, rate, spread))


@given(st.integers(0, 10_000), st.integers(1, 100), st.integers(1, 3600))
def test_the_horizon_is_now_unless_a_moment_is_at_risk(
    backlog: int, rate: int, seconds: int
) -> None:
    due = T0 + timedelta(seconds=seconds)
    horizon = early_horizon(T0, rate, timedelta(hours=1), backlog, [(due, 1)])
    at_risk = backlog + 1 > rate * seconds + 1
    assert horizon == (due if at_risk else T0)


def test_a_peak_early_is_levelled_and_a_small_one_is_not_early() -> None:
    hundred_k = [(T0 + timedelta(hours=1), 100_000)]
    assert early_horizon(T0 + timedelta(minutes=30), 25, timedelta(minutes=30), 0, hundred_k) == (
        T0 + timedelta(hours=1)
    )  # 100,000 at 25/s do not fit in 30 minutes: start now
    assert early_horizon(T0, 25, timedelta(minutes=30), 0, hundred_k) == T0  # beyond the spread
    small = [(T0 + timedelta(hours=1), 1_000)]
    assert early_horizon(T0 + timedelta(minutes=59), 25, timedelta(minutes=30), 0, small) == (
        T0 + timedelta(minutes=59)
    )  # 1,000 take 40 s: a minute is enough
    assert early_horizon(T0, None, timedelta(minutes=30), 0, hundred_k) == T0  # no rate limit


def test_the_peak_load_counts_what_would_be_missed() -> None:
    nine, grace, spread = T0 + timedelta(hours=1), timedelta(hours=2), timedelta(minutes=30)
    fits = peak_load([(nine, 100_000, 100_000), (T0, 10, 0)], 25, grace, spread)
    assert (fits.minute, fits.due, fits.would_miss, fits.fits) == (nine, 100_000, 0, True)
    assert fits.seconds_needed == 4000 and fits.window_seconds == 9000
    million = peak_load([(nine, 400_000, 400_000)], 25, grace, spread)
    assert million.would_miss == 400_000 - 25 * 9000 and not million.fits
    checkins = peak_load([(nine, 200_000, 0)], 25, grace, spread)  # never early: grace only
    assert checkins.would_miss == 200_000 - 25 * 7200
    assert "200000 due" in checkins.describe() and "20000 would be missed" in checkins.describe()
    assert peak_load([], 25, grace, spread).fits
