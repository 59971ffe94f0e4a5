"""Turns benchmark results into docs/performance.md (targets from the daily-tips issue)."""

from __future__ import annotations

import datetime
from typing import Any


def _row(label: str, value: str, target: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("✅" if ok else "❌")
    return f"| {label} | {value} | {target} | {verdict} |"


def render_tips_report(results: dict[str, dict[str, Any]], machine: str) -> str:
    lines = [
        "# Performance",
        "",
        "Written by `python -m bench.tips_bench` (see the module docstring for the method).",
        f"Last run: {datetime.date.today().isoformat()} on this project's machine ({machine},"
        " 2 cores). The fake Bot API server runs in its own process; each phase runs in a",
        "fresh process, so peak RSS is that phase's own. Ratios compare with a baseline",
        "measured in the same run.",
        "",
    ]
    for db in ("SQLite", "PostgreSQL"):
        small, large = results.get(f"{db}/small"), results.get(f"{db}/large")
        if not small or not large:
            lines += [f"## {db}", "", "Not measured (no server reachable).", ""]
            continue
        growth = large["peak_rss_mb"] - small["peak_rss_mb"]
        rate_share = large["paced_rate"] / large["configured_rate"] * 100
        lines += [
            f"## {db}",
            "",
            "| Measure | Result | Target | |",
            "|---|---|---|---|",
            _row(
                "Tick with nobody due, 100,000 users (median / max of 30)",
                f"{large['idle_tick_ms_median']:.1f} ms / {large['idle_tick_ms_max']:.1f} ms "
                f"(one `SELECT 1`: {large['select_one_ms']:.2f} ms)",
                "≤ 20 ms",
                large["idle_tick_ms_median"] <= 20,
            ),
            _row(
                "10,000 due, rate limit off: dispatch / bare-Bot baseline",
                f"{large['dispatch_ratio']:.2f}× ({large['dispatch_s']:.1f} s vs "
                f"{large['baseline_s']:.1f} s; {large['dispatch_sent']} sent)",
                "≤ 1.5×",
                large["dispatch_ratio"] <= 1.5,
            ),
            _row(
                "1,000 due, rate limit off: dispatch / baseline",
                f"{small['dispatch_ratio']:.2f}× ({small['dispatch_s']:.2f} s vs "
                f"{small['baseline_s']:.2f} s)",
                "—",
                None,
            ),
            _row(
                "Peak RSS, 1,000 → 100,000 users",
                f"{small['peak_rss_mb']:.0f} MB → {large['peak_rss_mb']:.0f} MB (+{growth:.0f} MB)",
                "≤ 250 MB, growth ≤ 50 MB",
                large["peak_rss_mb"] <= 250 and growth <= 50,
            ),
            _row(
                "Menu tap → answerCallbackQuery, p95 during a 25/s dispatch",
                f"{large['tap_busy_p95_ms']:.0f} ms (p50 {large['tap_busy_p50_ms']:.0f} ms, "
                f"{large['tap_busy_count']} taps); idle p95 {large['tap_idle_p95_ms']:.0f} ms "
                f"→ {large['tap_busy_p95_ms'] / large['tap_idle_p95_ms']:.1f}× idle",
                "p95 ≤ 300 ms",
                large["tap_busy_p95_ms"] <= 300,
            ),
            _row(
                "Achieved rate with the limiter on",
                f"{large['paced_rate']:.1f}/s of {large['configured_rate']:.0f}/s "
                f"({rate_share:.0f} %, {large['paced_sent']} tips; whole tick incl. claiming: "
                f"{large['paced_rate_whole_tick']:.1f}/s)",
                "95–100 %",
                95 <= rate_share <= 100.5,
            ),
            "",
        ]
    return "\n".join(lines)
