"""The dispatcher's token bucket, on a fake clock: never above its rate (plus the burst)
over any window, and no slower than its rate when the sender wakes up late."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from scheduler.limiter import WINDOW, SendPacer, TokenBucket

EPSILON = 1e-6


def run(bucket: TokenBucket, lateness: list[float]) -> tuple[list[float], float]:
    """A sender that sends whenever it may, and oversleeps by `lateness[i]` each time it
    has to wait. Returns its send times and the moment it stopped."""
    now, sent, late = 0.0, [], iter(lateness)
    while True:
        delay = bucket.take(now)
        if delay == 0:
            sent.append(now)
            continue
        oversleep = next(late, None)
        if oversleep is None:
            return sent, now
        now += delay + oversleep


rates = st.floats(min_value=0.5, max_value=100)
burst_parts = st.floats(min_value=0, max_value=1)


@given(rates, burst_parts, st.lists(st.floats(min_value=0, max_value=3), max_size=150))
def test_no_window_has_more_than_rate_times_window_plus_burst(
    rate: float, burst_part: float, lateness: list[float]
) -> None:
    burst = 1 + burst_part * (max(1.0, rate) - 1)
    sent, _ = run(TokenBucket(rate, burst, 0.0), lateness)
    for i, start in enumerate(sent):
        for j in range(i, len(sent)):
            assert j - i + 1 <= rate * (sent[j] - start) + burst + EPSILON


@given(rates, burst_parts, st.lists(st.floats(min_value=0, max_value=1), max_size=150))
def test_late_wake_ups_are_caught_up_so_the_long_run_count_reaches_the_rate(
    rate: float, burst_part: float, lateness_parts: list[float]
) -> None:
    """Oversleeping by up to (burst - 1) / rate loses nothing: the tokens earned while
    asleep are all there on waking."""
    burst = 1 + burst_part * (max(1.0, rate) - 1)
    most = (burst - 1) / rate
    sent, stopped = run(TokenBucket(rate, burst, 0.0), [part * most for part in lateness_parts])
    assert len(sent) >= burst + rate * stopped - 1 - EPSILON


async def test_the_pacer_keeps_its_rate_when_every_wake_up_is_late() -> None:
    """25/s, and every sleep ends 30 ms late (a busy CPU): 1,000 turns still take 40 s."""
    now = [0.0]

    async def late_sleep(seconds: float) -> None:
        now[0] += seconds + 0.03

    pacer = SendPacer(25, clock=lambda: now[0], sleep=late_sleep)
    for _ in range(1000):
        await pacer.wait_turn()
    assert now[0] <= 1000 / 25 + 0.1  # the achieved rate is the configured rate


@given(rates, st.lists(st.floats(min_value=0, max_value=0.5), max_size=120))
async def test_with_a_window_no_window_holds_more_than_the_rate_and_the_pace_is_kept(
    rate: float, lateness: list[float]
) -> None:
    """The dispatcher's pacer: at most ceil(rate) starts in any WINDOW seconds, even
    after an idle spell that saved a burst; late wake-ups still cost nothing beyond the
    window's 4 %."""
    now, starts = [0.0], []
    late = iter(lateness)

    async def sleep(seconds: float) -> None:
        now[0] += seconds + next(late, 0.0)

    pacer = SendPacer(rate, clock=lambda: now[0], sleep=sleep, window=WINDOW)
    for turn in range(120):
        if turn == 60:
            now[0] += 5  # idle: the bucket fills up
        await pacer.wait_turn()
        starts.append(now[0])
    most = max(1, math.ceil(rate))
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s - start < WINDOW - EPSILON) <= most
    if not lateness:
        assert starts[59] <= 59 / min(rate, most / WINDOW) + 1 + EPSILON


async def test_a_pause_holds_every_turn_and_no_burst_follows() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    pacer = SendPacer(10, clock=lambda: now[0], sleep=sleep)
    pacer.pause(5)
    await pacer.wait_turn()
    assert now[0] == 5
    for _ in range(10):
        await pacer.wait_turn()
    assert now[0] >= 6 - 1e-6  # ten more at 10/s take a second after the pause
