"""The PDF for the doctor (from /export): a visit summary on page 1 that a neurologist or
MS nurse reads in half a minute, then every day. Numbers are observations ("what
happened together"), never a verdict; every note is printed whole.
"""

from __future__ import annotations

from datetime import date

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.domain.insights import DayRecord, PeriodSummary
from bot.screens.charts import draw_panels, number, period_title
from bot.screens.checkin import nrs_question
from bot.screens.dates import full_date, short_day
from bot.screens.pdf_layout import Column, Flow
from bot.screens.reports import signed, trigger_names, yes_no

PANEL_HEIGHT = 0.19  # of the page, per chart panel
HEADING, BODY, SMALL = 12, 10, 8


def doctor_pdf(
    texts: Texts,
    records: list[DayRecord],
    periods: list[PeriodSummary],
    today: date,
    name: str | None = None,
) -> bytes:
    """`periods` shortest first; the longest is the report's period. `name`: the name or
    initials the user chose to have on it (settings), if any."""
    longest = periods[-1]
    in_period = [r for r in records if longest.start <= r.day <= longest.end]
    made = full_date(texts, today)
    flow = Flow(plain_text(texts("report_footer", date=made, page="{page}", pages="{pages}")))
    flow.text(plain_text(texts("report_title")), 16, bold=True)
    if name:
        flow.space(2)
        flow.text(texts("report_name_line", name=name), 12)
    flow.space(4)
    start, end = full_date(texts, longest.start), full_date(texts, longest.end)
    flow.text(texts("report_made", date=made, start=start, end=end, days=str(longest.days)))
    flow.space(6)
    for line in nrs_question(texts):
        flow.text(plain_text(line), BODY, italic=True)
    _summary(flow, texts, periods)
    flow.space(8)
    draw_panels([flow.axes(PANEL_HEIGHT) for _ in periods], texts, periods)
    _triggers(flow, texts, longest)
    _notes(flow, texts, in_period)
    _days(flow, texts, in_period)
    return flow.pdf(plain_text(texts("report_title")), texts.language)


def _heading(flow: Flow, text: str) -> None:
    flow.space(12)
    flow.text(text, HEADING, bold=True, keep_with_next=40)
    flow.space(3)


def _change(texts: Texts, period: PeriodSummary) -> str:
    if period.change is None:
        return "–"
    points = signed(period.change, texts.language)
    percent = "–" if period.change_percent is None else signed(period.change_percent, "en", 0)
    mark = " ◆" if period.marked_change else ""
    return texts("report_change", points=points, percent=percent) + mark


def _summary(flow: Flow, texts: Texts, periods: list[PeriodSummary]) -> None:
    _heading(flow, plain_text(texts("report_summary")))
    titles = texts("report_period_columns").split(",")
    widths = (0.17, 0.14, 0.13, 0.11, 0.15, 0.3)
    rows = []
    for p in periods:
        low_high = f"{p.levels[0]}–{p.levels[-1]}" if p.levels else "–"
        rows.append(
            [
                period_title(texts, p),
                texts("report_answered", answered=str(p.answered_days), days=str(p.days)),
                number(p.average, texts.language),
                number(p.median, texts.language),
                low_high,
                _change(texts, p),
            ]
        )
    flow.table([Column(t, w) for t, w in zip(titles, widths, strict=True)], rows, SMALL + 1)
    if any(p.marked_change for p in periods):
        flow.space(3)
        flow.text(texts("report_change_mark"), SMALL, italic=True)
    flow.space(6)
    month = periods[1] if len(periods) > 1 else periods[0]
    nights = texts("report_nights", nights=str(month.troubled_nights), days=str(month.days))
    flow.text(nights, BODY)


def _triggers(flow: Flow, texts: Texts, period: PeriodSummary) -> None:
    _heading(flow, texts("report_triggers", days=str(period.days)))
    if not period.trigger_counts:
        flow.text(texts("report_no_triggers"), BODY)
        return
    compared = {c.trigger: c for c in period.comparisons}
    rows = []
    for trigger, days in period.trigger_counts:  # every trigger: ties are never cut
        c = compared.get(trigger)
        rows.append(
            [
                trigger_names(texts, [trigger], for_document=True),
                str(days),
                "–" if c is None else f"{number(c.average_with, texts.language)} ({c.days_with})",
                "–"
                if c is None
                else f"{number(c.average_without, texts.language)} ({c.days_without})",
            ]
        )
    titles = texts("report_trigger_columns").split(",")
    widths = (0.4, 0.1, 0.25, 0.25)
    flow.table([Column(t, w) for t, w in zip(titles, widths, strict=True)], rows, SMALL + 1)
    flow.space(3)
    flow.text(texts("report_trigger_note"), SMALL, italic=True)


def _notes(flow: Flow, texts: Texts, records: list[DayRecord]) -> None:
    _heading(flow, texts("report_notes"))
    notes = [r for r in records if r.note]
    if not notes:
        flow.text(texts("report_no_notes"), BODY)
    for r in notes:
        flow.text(f"{short_day(texts, r.day)}: {r.note}", BODY - 1, keep_together=True)


def _days(flow: Flow, texts: Texts, records: list[DayRecord]) -> None:
    _heading(flow, texts("report_days"))
    titles = texts("report_day_columns").split(",")
    widths = (0.16, 0.14, 0.18, 0.52)
    rows = [
        [
            short_day(texts, r.day),
            "" if r.nrs is None else str(r.nrs),
            yes_no(texts, None if r.night is None and r.night_woke is None else r.troubled_night),
            trigger_names(texts, sorted(r.triggers), for_document=True),
        ]
        for r in records
    ]
    flow.table([Column(t, w) for t, w in zip(titles, widths, strict=True)], rows, SMALL)
