"""The insights maths: averages, counts, gaps, the minimum-days rule and the trend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.insights import (
    DayRecord,
    much_worse_than_usual,
    report_periods,
    summarise,
    usual_level,
)

END = date(2026, 11, 26)
TRIGGERS = ("warm", "stress", "tight_clothes")

records = st.lists(
    st.builds(
        DayRecord,
        day=st.integers(0, 59).map(lambda back: END - timedelta(days=back)),
        nrs=st.one_of(st.none(), st.integers(0, 10)),
        night=st.one_of(st.none(), st.booleans()),
        triggers=st.frozensets(st.sampled_from(TRIGGERS)),
        night_woke=st.one_of(st.none(), st.booleans()),
    ),
    unique_by=lambda r: r.day,
)


@given(records, st.sampled_from([7, 30]))
def test_summary_invariants(days_records: list[DayRecord], days: int) -> None:
    summary = summarise(days_records, END, days)
    assert len(summary.series) == days
    answered = [v for v in summary.series if v is not None]
    assert summary.answered_days == len(answered)
    if answered:
        assert summary.average == pytest.approx(sum(answered) / len(answered))
        assert 0 <= (summary.average or 0) <= 10
    else:
        assert summary.average is None
    in_period = [r for r in days_records if summary.start <= r.day <= END]
    # a bad night counts once, whether the evening or the morning question said so
    assert summary.troubled_nights == sum(1 for r in in_period if r.night or r.night_woke)
    assert sum(n for _, n in summary.trigger_counts) == sum(len(r.triggers) for r in in_period)
    counts = [n for _, n in summary.trigger_counts]
    assert counts == sorted(counts, reverse=True)
    for comparison in summary.comparisons:
        assert comparison.days_with >= 5 and comparison.days_without >= 5
        assert 0 <= comparison.average_with <= 10 and 0 <= comparison.average_without <= 10
    if summary.levels:
        assert summary.levels[0] <= (summary.median or 0) <= summary.levels[-1]
    if summary.change_percent is not None:
        assert summary.marked_change == (abs(summary.change_percent) >= 20)


def day(back: int, nrs: int | None, *triggers: str, night: bool | None = None) -> DayRecord:
    return DayRecord(END - timedelta(days=back), nrs, night, frozenset(triggers))


def test_days_without_an_answer_are_gaps() -> None:
    summary = summarise([day(0, 4), day(2, 6)], END, 7)
    assert summary.series == (None, None, None, None, 6, None, 4)
    assert summary.average == 5.0


def test_a_trigger_is_compared_only_with_five_days_on_each_side() -> None:
    four_with = [day(i, 8, "warm") for i in range(4)] + [day(i, 2) for i in range(4, 14)]
    assert summarise(four_with, END, 30).comparisons == ()
    five_with = [day(i, 8, "warm") for i in range(5)] + [day(i, 2) for i in range(5, 10)]
    [comparison] = summarise(five_with, END, 30).comparisons
    assert (comparison.trigger, comparison.days_with, comparison.days_without) == ("warm", 5, 5)
    assert (comparison.average_with, comparison.average_without) == (8.0, 2.0)


def test_the_trend_compares_with_the_period_before() -> None:
    this_week = [day(i, 3) for i in range(7)]
    last_week = [day(i, 6) for i in range(7, 14)]
    summary = summarise(this_week + last_week, END, 7)
    assert (summary.average, summary.previous_average, summary.change) == (3.0, 6.0, -3.0)
    assert summarise(this_week, END, 7).change is None


def test_the_change_in_percent_is_marked_from_twenty_percent() -> None:
    """The MS-Spasticity App trial's threshold for a relevant change: 20 % of the level."""
    before = [day(i, 5) for i in range(7, 14)]
    up_one = summarise([day(i, 6) for i in range(7)] + before, END, 7)
    assert up_one.change_percent == pytest.approx(20.0) and up_one.marked_change
    small = summarise([day(0, 5), day(1, 6), *(day(i, 5) for i in range(2, 7)), *before], END, 7)
    assert small.change_percent == pytest.approx(100 * (1 / 7) / 5) and not small.marked_change
    from_zero = summarise([day(i, 2) for i in range(7)] + [day(i, 0) for i in range(7, 14)], END, 7)
    assert from_zero.change == 2.0 and from_zero.change_percent is None  # no % of nothing
    assert (up_one.median, up_one.levels[0], up_one.levels[-1]) == (6, 6, 6)


def test_ninety_days_only_with_check_ins_from_before_the_last_thirty() -> None:
    recent = [day(i, 4) for i in range(30)]
    assert report_periods(recent, END) == (7, 30)
    assert report_periods([*recent, day(30, 4)], END) == (7, 30, 90)
    assert report_periods([*recent, day(90, 4)], END) == (7, 30)  # too old for 90 days


def test_troubled_nights_and_most_frequent_triggers() -> None:
    summary = summarise(
        [day(0, 5, "stress", night=True), day(1, 5, "stress", "warm"), day(2, 5, night=False)],
        END,
        7,
    )
    assert summary.troubled_nights == 1
    assert summary.trigger_counts == (("stress", 2), ("warm", 1))


def test_an_out_of_range_level_is_refused() -> None:
    with pytest.raises(ValueError):
        DayRecord(END, 11, None)


@given(records)
def test_the_usual_level_is_the_two_weeks_before_and_needs_five_answers(
    days_records: list[DayRecord],
) -> None:
    before = [
        r.nrs for r in days_records if END - timedelta(days=14) <= r.day < END and r.nrs is not None
    ]
    usual = usual_level(days_records, END)
    assert (usual is None) == (len(before) < 5)
    if usual is None:
        assert not much_worse_than_usual(10, usual)
    else:
        assert usual == pytest.approx(sum(before) / len(before))
        assert much_worse_than_usual(10, usual) is (usual <= 7)


def test_much_worse_means_three_points_above_usual() -> None:
    assert much_worse_than_usual(5, 2.0) and not much_worse_than_usual(4, 2.0)
    assert not much_worse_than_usual(None, 2.0) and not much_worse_than_usual(9, None)
