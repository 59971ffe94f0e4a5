"""What /overzicht and /export hand to the user: a caption, a CSV, a PDF for the doctor.

Everything is in the user's language and says the data is self-reported; numbers
are described as what happened together, never as a cause.
"""

from __future__ import annotations

import csv
import io

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.content import Content
from bot.content.html_check import plain_text
from bot.domain.insights import DayRecord, PeriodSummary
from bot.screens.charts import draw_panels, number
from bot.screens.dates import day_label

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 38
MAX_CAPTION = 1024  # Telegram's limit for a photo caption


def trigger_names(
    content: Content, ids: list[str], language: str, *, for_document: bool = False
) -> str:
    """Trigger labels; documents drop the emoji (PDF fonts and spreadsheets lack them)."""
    known = content.checkin_triggers
    names = [plain_text(known[i].label[language]) if i in known else i for i in ids]
    if for_document:
        names = [n.split(" ", 1)[1] if " " in n and not n[0].isalnum() else n for n in names]
    return ", ".join(names)


def _period_line(content: Content, key: str, summary: PeriodSummary, language: str) -> str:
    days = len(summary.series)
    previous = ""
    if summary.previous_average is not None:
        previous = content.text(
            "overview_previous",
            language,
            days=str(days),
            average=number(summary.previous_average, language),
        )
    return content.text(
        "overview_period",
        language,
        title=content.text(key, language),
        average=number(summary.average, language),
        answered=str(summary.answered_days),
        days=str(days),
        previous=previous,
        nights=str(summary.troubled_nights),
    )


def overview_caption(
    content: Content, week: PeriodSummary, month: PeriodSummary, language: str
) -> str:
    """The numbers under the chart: averages, most frequent triggers, and — only with
    five days on each side — averages with and without a trigger."""
    lines = [
        _period_line(content, "chart_title_7", week, language),
        _period_line(content, "chart_title_30", month, language),
    ]
    frequent = [
        f"{trigger_names(content, [t], language)} ({n}×)" for t, n in month.trigger_counts[:3]
    ]
    if frequent:
        lines.append(content.text("overview_frequent", language, triggers=", ".join(frequent)))
    for comparison in month.comparisons[:2]:
        lines.append(
            content.text(
                "overview_comparison",
                language,
                trigger=trigger_names(content, [comparison.trigger], language),
                with_avg=number(comparison.average_with, language),
                with_days=str(comparison.days_with),
                without_avg=number(comparison.average_without, language),
                without_days=str(comparison.days_without),
            )
        )
    lines.append(content.text("overview_observation", language))
    caption = "\n\n".join(lines)
    while len(plain_text(caption)) > MAX_CAPTION and len(lines) > 3:
        lines.pop(-2)  # drop a comparison, keep the closing observation
        caption = "\n\n".join(lines)
    return caption


def _yes_no(content: Content, value: bool | None, language: str) -> str:
    """ja/nee (yes/no) in documents; empty when the question was not answered."""
    if value is None:
        return ""
    return content.text("value_yes" if value else "value_no", language)


def checkins_csv(content: Content, records: list[DayRecord], language: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(content.text("csv_header", language).split(","))

    for r in records:
        writer.writerow(
            [
                r.day.isoformat(),
                "" if r.nrs is None else r.nrs,
                _yes_no(content, r.night, language),
                trigger_names(content, sorted(r.triggers), language, for_document=True),
                r.note or "",
                _yes_no(content, r.night_woke, language),
                "" if r.night_nrs is None else r.night_nrs,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the accents


def doctor_pdf(
    content: Content,
    records: list[DayRecord],
    week: PeriodSummary,
    month: PeriodSummary,
    language: str,
) -> bytes:
    """Page 1: a visit summary with the chart; then every day of the period."""
    text = content.text
    in_period = [r for r in records if month.start <= r.day <= month.end]
    frequent = trigger_names(
        content, [t for t, _ in month.trigger_counts[:5]], language, for_document=True
    )
    summary_lines = [
        text(
            "report_period",
            language,
            start=day_label(content, month.start, language),
            end=day_label(content, month.end, language),
        ),
        text(
            "report_average",
            language,
            average=number(month.average, language),
            answered=str(month.answered_days),
            previous=number(month.previous_average, language),
        ),
        text("report_nights", language, nights=str(month.troubled_nights)),
        text("report_triggers", language, triggers=frequent or text("value_none", language)),
    ]
    notes = [f"{r.day.strftime('%d-%m')}: {r.note}" for r in in_period if r.note]
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        page = _page(content, language)
        page.text(
            0.07, 0.95, plain_text(text("report_title", language)), fontsize=16, weight="bold"
        )
        for i, line in enumerate(summary_lines):
            page.text(0.07, 0.91 - i * 0.025, plain_text(line), fontsize=10)
        page.text(
            0.07, 0.80, plain_text(text("report_notes", language)), fontsize=10, weight="bold"
        )
        for i, note in enumerate(notes[:8] or [text("value_none", language)]):
            page.text(0.09, 0.777 - i * 0.02, note[:110], fontsize=8)
        axes = [page.add_axes((0.1, 0.36, 0.85, 0.2)), page.add_axes((0.1, 0.08, 0.85, 0.2))]
        draw_panels(axes, content, [("chart_title_7", week), ("chart_title_30", month)], language)
        pdf.savefig(page)
        for start in range(0, len(in_period), ROWS_PER_PAGE):
            pdf.savefig(_days_page(content, in_period[start : start + ROWS_PER_PAGE], language))
    return buffer.getvalue()


def _page(content: Content, language: str) -> Figure:
    page = Figure(figsize=A4)
    page.text(
        0.07, 0.02, plain_text(content.text("report_footer", language)), fontsize=7, style="italic"
    )
    return page


def _days_page(content: Content, records: list[DayRecord], language: str) -> Figure:
    page = _page(content, language)
    page.text(
        0.07, 0.95, plain_text(content.text("report_days", language)), fontsize=13, weight="bold"
    )
    header = content.text("csv_header", language).split(",")[:5]  # the evening columns
    rows = [
        [
            r.day.strftime("%d-%m-%Y"),
            "" if r.nrs is None else str(r.nrs),
            _yes_no(content, r.night, language),
            trigger_names(content, sorted(r.triggers), language, for_document=True)[:40],
            (r.note or "")[:40],
        ]
        for r in records
    ]
    table = page.add_axes((0.07, 0.06, 0.86, 0.86))
    table.axis("off")
    table.table(
        cellText=rows,
        colLabels=header,
        loc="upper left",
        cellLoc="left",
        colWidths=[0.14, 0.08, 0.14, 0.32, 0.32],
    ).set_fontsize(7)
    return page
