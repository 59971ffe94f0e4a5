"""Benchmark of /overzicht and /export for a user with 365 days of check-ins.

    python -m bench.report_bench

Times building the chart (PNG) and the PDF report warm (the median of 7 runs, and as a
ratio to a baseline measured in the same run: an empty matplotlib figure of the same
size saved the same way) and cold (a fresh interpreter: the first call after start,
including loading matplotlib; the median of 3), and menu taps while /export renders
(bench/report_taps.py). Writes the results into docs/performance.md.
"""

from __future__ import annotations

import asyncio
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from bot.content import load_content
from bot.domain.insights import DayRecord, report_periods, summarise
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
    from matplotlib.figure import Figure

    buffer = io.BytesIO()
    Figure(figsize=(8, 5.6), dpi=110).savefig(buffer, format="png")
    return buffer.getvalue()


def cold(kind: str) -> float:
    """In this (fresh) process: the first chart or PDF, matplotlib's import included."""
    texts = load_content(PROJECT_ROOT / "content").texts("nl")
    records = a_year()
    periods = [summarise(records, END, days) for days in report_periods(records, END)]
    started = time.perf_counter()
    if kind == "chart":
        from bot.screens.charts import chart_png

        chart_png(texts, periods[:2])
    else:
        from bot.screens.doctor_report import doctor_pdf

        doctor_pdf(texts, records, periods, END)
    return (time.perf_counter() - started) * 1000


def cold_ms(kind: str, runs: int = 3) -> float:
    command = [sys.executable, "-m", "bench.report_bench", "--cold", kind]
    times = [
        float(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


def ok(value: float, target: float) -> str:
    return "✅" if value <= target else "❌"


def main() -> int:
    from bench.report_taps import taps_during_exports
    from bot.screens.charts import chart_png
    from bot.screens.doctor_report import doctor_pdf

    content = load_content(PROJECT_ROOT / "content")
    texts, records = content.texts("nl"), a_year()
    periods = [summarise(records, END, days) for days in report_periods(records, END)]
    baseline = median_ms(empty_figure)
    chart = median_ms(lambda: chart_png(texts, periods[:2]))
    pdf = median_ms(lambda: doctor_pdf(texts, records, periods, END))
    summary = median_ms(lambda: [summarise(records, END, days) for days in (7, 30, 90)])
    chart_cold, pdf_cold = cold_ms("chart"), cold_ms("pdf")
    taps = asyncio.run(taps_during_exports(records))
    section = "\n".join(
        [
            MARKER,
            "",
            "`python -m bench.report_bench`: a user with 365 days of check-ins. Warm: median",
            "of 7 runs; baseline: an empty figure of the same size saved as PNG, in the same",
            "run. Cold: a fresh interpreter, the first call including matplotlib's import,",
            "median of 3. Taps: another user's menu taps (fake Bot API, 40 each) with",
            "nothing rendering, then while /export runs again and again (it draws off the",
            "event loop, in a thread).",
            "",
            "| Measure | Result | Target | |",
            "|---|---|---|---|",
            f"| Insights for 7 + 30 + 90 days | {summary:.1f} ms | — | |",
            f"| Chart (PNG, 7 + 30 days), warm | {chart:.0f} ms ({chart / baseline:.1f}× the "
            f"empty-figure baseline of {baseline:.0f} ms) | ≤ 300 ms | {ok(chart, 300)} |",
            f"| Chart, cold | {chart_cold:.0f} ms | ≤ 1 s | {ok(chart_cold, 1000)} |",
            f"| PDF report (7 + 30 + 90 days, summary, panels, notes, every day), warm | "
            f"{pdf:.0f} ms ({pdf / baseline:.1f}× baseline) | ≤ 1 s | {ok(pdf, 1000)} |",
            f"| PDF report, cold | {pdf_cold:.0f} ms | ≤ 1.5 s | {ok(pdf_cold, 1500)} |",
            f"| Menu tap, nothing rendering (p50 / p95) | {taps['idle_p50']:.0f} / "
            f"{taps['idle_p95']:.0f} ms | — | |",
            f"| Menu tap while /export renders (p50 / p95) | {taps['busy_p50']:.0f} / "
            f"{taps['busy_p95']:.0f} ms ({taps['busy_p50'] / taps['idle_p50']:.1f}× idle at "
            "p50) | the tap is answered, not queued behind the render | |",
            "",
        ]
    )
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    before, _, after = text.partition(MARKER)
    rest = after.split("\n## ", 1)[1] if "\n## " in after else ""
    text = before.rstrip() + "\n\n" + section + (f"\n## {rest}" if rest else "")
    REPORT.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cold"]:
        print(cold(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
