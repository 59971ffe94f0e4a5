"""What /overzicht and /export hand to the user: a caption and a CSV (the PDF for the
doctor is `doctor_report`).

Everything is in the user's language and says the data is self-reported; numbers
are described as what happened together, never as a cause.
"""

from __future__ import annotations

import csv
import io

from bot.content import Texts
from bot.content.html_check import plain_text
from bot.domain.insights import DayRecord, PeriodSummary
from bot.screens.charts import number, period_title
from bot.screens.checkin import nrs_question

MAX_CAPTION = 1024  # Telegram's limit for a photo caption


def trigger_names(texts: Texts, ids: list[str], *, for_document: bool = False) -> str:
    """Trigger labels; documents drop the emoji (PDF fonts and spreadsheets lack them)."""
    known = texts.content.checkin_triggers
    names = [plain_text(texts.pick(known[i].label)) if i in known else i for i in ids]
    if for_document:
        names = [n.split(" ", 1)[1] if " " in n and not n[0].isalnum() else n for n in names]
    return ", ".join(names)


def _period_line(texts: Texts, summary: PeriodSummary) -> str:
    previous = ""
    if summary.previous_average is not None and summary.change is not None:
        previous = texts(
            "overview_previous",
            days=str(summary.days),
            average=number(summary.previous_average, texts.language),
            change=signed(summary.change, texts.language),
        )
    return texts(
        "overview_period",
        title=period_title(texts, summary),
        average=number(summary.average, texts.language),
        answered=str(summary.answered_days),
        days=str(summary.days),
        previous=previous,
        nights=str(summary.troubled_nights),
    )


def signed(value: float, language: str, digits: int = 1) -> str:
    """+2.6 → "+2,6" in Dutch; a change always shows its sign."""
    text = f"{value:+.{digits}f}"
    return text.replace(".", ",") if language == "nl" else text


def overview_caption(texts: Texts, periods: list[PeriodSummary]) -> str:
    """The numbers under the chart: the question once, each period's average, its change
    and nights, the most frequent triggers, and — only with five days on each side —
    averages with and without a trigger."""
    month = periods[1]
    lines = [
        f"<i>{' '.join(nrs_question(texts))}</i>",
        *(_period_line(texts, summary) for summary in periods),
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


def yes_no(texts: Texts, value: bool | None) -> str:
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
                yes_no(texts, r.night),
                trigger_names(texts, sorted(r.triggers), for_document=True),
                r.note or "",
                yes_no(texts, r.night_woke),
                "" if r.night_nrs is None else r.night_nrs,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read the accents
