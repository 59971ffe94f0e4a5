"""Benchmark of /overzicht and /export for a user with 365 days of check-ins.

    python -m bench.report_bench

Times building the chart (PNG) and the PDF report, each as the median of 7 runs,
and as a ratio to a baseline measured in the same run: an empty matplotlib figure
of the same size saved the same way. Appends the results to docs/performance.md.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from matplotlib.figure import Figure

from bot.content import load_content
from bot.domain.insights import DayRecord, summarise
from bot.screens.charts import chart_png
from bot.screens.doctor_report import doctor_pdf
from bot.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "docs" / "performance.md"
MARKER = "## /overzicht and /export"
END = date(2026, 11, 26)


def a_year() -> list[DayRecord]:
    triggers = ("warm", "stress", "tight_clothes", "pain", "full_bladder")
    return [
        DayRecord(
            END - timedelta(days=back),
            (back * 7) % 11 if back % 6 else None,
            back % 3 == 0,
            frozenset(t for i, t in enumerate(triggers) if back % (i + 2) == 0),
            "een notitie" if back % 9 == 0 else None,
        )
        for back in reversed(range(365))
    ]


def median_ms(work: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def empty_figure() -> bytes:
    buffer = io.BytesIO()
    Figure(figsize=(8, 5.6), dpi=110).savefig(buffer, format="png")
    return buffer.getvalue()


def main() -> int:
    content = load_content(PROJECT_ROOT / "content")
    records = a_year()
    week, month = summarise(records, END, 7), summarise(records, END, 30)
    periods = [("chart_title_7", week), ("chart_title_30", month)]
    baseline = median_ms(empty_figure)
    chart = median_ms(lambda: chart_png(content.texts("nl"), periods))
    pdf = median_ms(lambda: doctor_pdf(content.texts("nl"), records, [week, month], END))
    summary = median_ms(lambda: (summarise(records, END, 7), summarise(records, END, 30)))
    section = "\n".join(
        [
            MARKER,
            "",
            "`python -m bench.report_bench`: a user with 365 days of check-ins; median of 7 runs.",
            "Baseline: an empty figure of the same size saved as PNG, in the same run.",
            "",
            "| Measure | Result | Target | |",
            "|---|---|---|---|",
            f"| Insights for 7 + 30 days | {summary:.1f} ms | — | |",
            f"| Chart (PNG) | {chart:.0f} ms ({chart / baseline:.1f}× the empty-figure baseline "
            f"of {baseline:.0f} ms) | < 300 ms | {'✅' if chart < 300 else '❌'} |",
            f"| PDF report (summary page with chart, then the 30 days) | {pdf:.0f} ms "
            f"({pdf / baseline:.1f}× baseline) | < 1 s | {'✅' if pdf < 1000 else '❌'} |",
            "",
        ]
    )
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    text = text.split(MARKER)[0].rstrip() + "\n\n" + section
    REPORT.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
