"""What /overzicht and /export hand to the user: a caption, a CSV, a PDF for the doctor.

Everything is in the user's language and says the data is self-reported; numbers
are described as what happened together, never as a cause.
"""

from __future__ import annotations

import csv
import io

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.domain.insights import DayRecord, PeriodSummary
from bot.screens.charts import draw_panels, number
from bot.screens.checkin import nrs_question
from bot.screens.dates import day_label

A4 = (8.27, 11.69)
ROWS_PER_PAGE = 38
MAX_CAPTION = 1024  # Telegram's limit for a photo caption


def trigger_names(texts: Texts, ids: list[str], *, for_document: bool = False) -> str:
    """Trigger labels; documents drop the emoji (PDF fonts and spreadsheets lack them)."""
    known = texts.content.checkin_triggers
    names = [plain_text(texts.pick(known[i].label)) if i in known else i for i in ids]
    if for_document:
        names = [n.split(" ", 1)[1] if " " in n and not n[0].isalnum() else n for n in names]
    return ", ".join(names)


def _period_line(texts: Texts, key: str, summary: PeriodSummary) -> str:
    days = len(summary.series)
    previous = ""
    if summary.previous_average is not None:
        previous = texts(
            "overview_previous",
            days=str(days),
            average=number(summary.previous_average, texts.language),
        )
    return texts(
        "overview_period",
        title=texts(key),
        average=number(summary.average, texts.language),
        answered=str(summary.answered_days),
        days=str(days),
        previous=previous,
        nights=str(summary.troubled_nights),
    )


def overview_caption(texts: Texts, week: PeriodSummary, month: PeriodSummary) -> str:
    """The numbers under the chart: averages, most frequent triggers, and — only with
    five days on each side — averages with and without a trigger."""
    lines = [
        f"<i>{' '.join(nrs_question(texts))}</i>",
        _period_line(texts, "chart_title_7", week),
        _period_line(texts, "chart_title_30", month),
    ]
    frequent = [f"{trigger_names(texts, [t])} ({n}×)" for t, n in month.trigger_counts[:3]]
    if frequent:
        lines.append(texts("overview_frequent", triggers=", ".join(frequent)))
    for comparison in month.comparisons[:2]:
        lines.append(
            texts(
                "overview_comparison",
                trigger=trigger_names(texts, [comparison.trigger]),
                with_avg=number(comparison.average_with, texts.language),
                with_days=str(comparison.days_with),
                without_avg=number(comparison.average_without, texts.language),
                without_days=str(comparison.days_without),
            )
        )
    lines.append(texts("overview_observation"))
    caption = "\n\n".join(lines)
    while len(plain_text(caption)) > MAX_CAPTION and len(lines) > 4:
        lines.pop(-2)  # drop a comparison, keep the closing observation
        caption = "\n\n".join(lines)
    return caption


def _yes_no(texts: Texts, value: bool | None) -> str:
    """ja/nee (yes/no) in documents; empty when the question was not answered."""
    if value is None:
        return ""
    return texts("value_yes" if value else "value_no")


def _csv_header(texts: Texts) -> list[str]:
    """The column names; both level columns also state their question and its anchors."""
    header = texts("csv_header").split(",")
    header[1] = f"{header[1]} ({' '.join(nrs_question(texts))})"
    header[6] = f"{header[6]} ({plain_text(texts('morning_level'))})"
    return header


def checkins_csv(texts: Texts, records: list[DayRecord]) -> bytes:
    """Every check-in, one row a day, in the separator a spreadsheet in the user's language
    opens in columns (";" in Dutch, "," in English); levels are whole numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=texts("csv_separator"))
    writer.writerow(_csv_header(texts))

    for r in records:
        writer.writerow(
            [
                r.day.isoformat(),
                "" if r.nrs is None else r.nrs,
                _yes_no(texts, r.night),
                trigger_names(texts, sorted(r.triggers), for_document=True),
                r.note or "",
                _yes_no(texts, r.night_woke),
                "" if r.night_nrs is None else r.night_nrs,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the accents


def doctor_pdf(
    texts: Texts, records: list[DayRecord], week: PeriodSummary, month: PeriodSummary
) -> bytes:
    """Page 1: a visit summary with the chart; then every day of the period."""
    in_period = [r for r in records if month.start <= r.day <= month.end]
    frequent = trigger_names(texts, [t for t, _ in month.trigger_counts[:5]], for_document=True)
    summary_lines = [
        texts(
            "report_period",
            start=day_label(texts, month.start),
            end=day_label(texts, month.end),
        ),
        *nrs_question(texts),
        texts(
            "report_average",
            count=month.answered_days,
            average=number(month.average, texts.language),
            previous=number(month.previous_average, texts.language),
        ),
        texts("report_nights", nights=str(month.troubled_nights)),
        texts("report_triggers", triggers=frequent or texts("value_none")),
    ]
    notes = [f"{r.day.strftime('%d-%m')}: {r.note}" for r in in_period if r.note]
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        page = _page(texts)
        page.text(0.07, 0.95, plain_text(texts("report_title")), fontsize=16, weight="bold")
        for i, line in enumerate(summary_lines):
            page.text(0.07, 0.91 - i * 0.025, plain_text(line), fontsize=10)
        page.text(0.07, 0.75, plain_text(texts("report_notes")), fontsize=10, weight="bold")
        for i, note in enumerate(notes[:8] or [texts("value_none")]):
            page.text(0.09, 0.727 - i * 0.02, note[:110], fontsize=8, parse_math=False)
        axes = [page.add_axes((0.1, 0.36, 0.85, 0.2)), page.add_axes((0.1, 0.08, 0.85, 0.2))]
        draw_panels(axes, texts, [("chart_title_7", week), ("chart_title_30", month)])
        pdf.savefig(page)
        for start in range(0, len(in_period), ROWS_PER_PAGE):
            pdf.savefig(_days_page(texts, in_period[start : start + ROWS_PER_PAGE]))
    return buffer.getvalue()


def as_typed(text: str) -> str:
    """matplotlib reads "$…$" as a formula; a note's dollar signs are only dollar signs
    (for table cells, which have no parse_math switch)."""
    return text.replace("$", r"\$")


def _page(texts: Texts) -> Figure:
    page = Figure(figsize=A4)
    page.text(0.07, 0.02, plain_text(texts("report_footer")), fontsize=7, style="italic")
    return page


def _days_page(texts: Texts, records: list[DayRecord]) -> Figure:
    page = _page(texts)
    page.text(0.07, 0.95, plain_text(texts("report_days")), fontsize=13, weight="bold")
    header = texts("csv_header").split(",")[:5]  # the evening columns
    rows = [
        [
            r.day.strftime("%d-%m-%Y"),
            "" if r.nrs is None else str(r.nrs),
            _yes_no(texts, r.night),
            trigger_names(texts, sorted(r.triggers), for_document=True)[:40],
            as_typed((r.note or "")[:40]),
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
