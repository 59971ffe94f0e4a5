"""The peak/leader/strict-peer section of docs/performance.md (from bench.peak_bench)."""

from __future__ import annotations

import datetime
from typing import Any

from bot.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "docs" / "performance.md"
START, END = "<!-- peak_bench -->", "<!-- /peak_bench -->"


def _ok(good: bool) -> str:
    return "✅" if good else "❌"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _table(*headings: str) -> list[str]:
    return [_row(*headings), _row(*("---" for _ in headings))]


def _idle(idle: dict[str, Any]) -> list[str]:
    lines = [
        "### Idle tick of a running bot",
        "",
        f"Last run: {datetime.date.today().isoformat()}. Nobody due; every tick also works out",
        "the early-start horizon over the next 30 minutes. × 1,000: the median against the",
        "same tick with 1,000 users on the same database in the same run. PostgreSQL as",
        "seeded has no visibility map yet (index scans visit the heap); after VACUUM is how",
        "autovacuum leaves it. Peak: `Scheduler.peak_load()` over the next 24 hours, and how",
        "long it took.",
        "",
        *_table(
            "Database, users",
            "History",
            "Tick median / max",
            "× 1,000",
            "`SELECT 1`",
            "of 20 ms",
            "Peak",
            "RSS",
        ),
    ]
    for name, r in idle.items():
        db, users = name.split("/")
        median, most = r["idle_tick_ms_median"], r["idle_tick_ms_max"]
        base = idle.get(f"{db}/1000")
        history = f"{r['days']} days (seeded in {r['seed_s']:.0f} s)"
        if "vacuum_s" in r:
            history = f"the same, then VACUUM ({r['vacuum_s']:.1f} s)"
        lines.append(
            _row(
                f"{db}, {int(users):,}",
                history,
                f"{median:.1f} / {most:.1f} ms ({r.get('ticks', 30)} ticks)",
                f"{median / base['idle_tick_ms_median']:.1f}×" if base else "—",
                f"{r['select_one_ms']:.2f} ms",
                f"{median / 20 * 100:.0f} % {_ok(median <= 20)}",
                f"{r['peak']} ({r['peak_ms']:.0f} ms)",
                f"{r['rss_mb']:.0f} MB {_ok(r['rss_mb'] <= 250)}",
            )
        )
    return [*lines, ""]


def _rates(rates: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### Achieved rate against the strict peer, tips and check-ins due together",
        "",
        "Achieved: accepted sends from the peer's first to its last, over the time between.",
        "",
        *_table(
            "Configured",
            "CPU load",
            "Accepted / sent",
            "Achieved",
            "of 30/s",
            "of configured",
            "429s",
            "Busiest second",
        ),
    ]
    for r in rates:
        share = r["achieved"] / r["configured"]
        lines.append(
            _row(
                f"{r['configured']:g}/s",
                "another process burns a core" if r["cpu_load"] else "none",
                f"{r['accepted']} / {r['sent']}",
                f"{r['achieved']:.1f}/s",
                f"{r['achieved'] / 30 * 100:.0f} %",
                f"{share * 100:.0f} % {_ok(share >= 0.95)}",
                f"{r['refused']} {_ok(r['refused'] == 0)}",
                r["busiest_second"],
            )
        )
    return [*lines, ""]


def _replicas(rep: dict[str, Any]) -> list[str]:
    share = rep["achieved"] / rep["configured"]
    good = rep["busiest_second"] <= 30 and rep["refused"] == 0 and share <= 1.0
    return [
        "### Two replicas on PostgreSQL, against the strict peer",
        "",
        *_table("Configured", "Processes that sent", "Combined", "Busiest second", "429s", ""),
        _row(
            f"{rep['configured']:g}/s each",
            f"{rep['senders']} of 2",
            f"{rep['achieved']:.1f}/s ({share * 100:.0f} % of configured)",
            rep["busiest_second"],
            rep["refused"],
            _ok(good),
        ),
        "",
    ]


def _spread(sp: dict[str, Any]) -> list[str]:
    m, scale = sp["minutes"], sp["scale"]
    return [
        f"### A {sp['users']:,}-tip peak with TIP_SPREAD_MINUTES=30, time-scaled ×{scale:g}",
        "",
        f"Measured at {25 * scale:g}/s, spread {30 / scale:g} min, grace {120 / scale:g} min, tick",
        f"every {30 / scale:g} s; send time minus due time (attempted_at - due_at) × {scale:g},",
        "in minutes as at 25/s:",
        "",
        *_table(
            "first", "5 %", "25 %", "median", "75 %", "95 %", "last", "early", "sent", "missed"
        ),
        _row(
            *(f"{m[q]:+.1f}" for q in ("0", "5", "25", "50", "75", "95", "100")),
            f"{sp['early_share'] * 100:.0f} %",
            f"{sp['sent']:,}",
            f"{sp['missed']} {_ok(sp['missed'] == 0)}",
        ),
        "",
        f"Without spreading the same peak takes {sp['users'] / 25 / 60:.0f} minutes at 25/s, all",
        "of it after the due minute.",
        "",
    ]


def render(results: dict[str, Any]) -> str:
    lines = [
        START,
        "## Peak, leader and the strict peer (issue 13)",
        "",
        "Written by `python -m bench.peak_bench` (method in its docstring). Last run:",
        f"{datetime.date.today().isoformat()} ({results['machine']}, 2 cores). The strict peer",
        "is the fake Bot API in strict mode: 429 above 30 messages in any second overall",
        "or one in a chat (`devtools/fakeapi/strict.py`).",
        "",
    ]
    if idle := results.get("idle"):
        lines += _idle(idle)
    if rates := results.get("rate"):
        lines += _rates(rates)
    if (rep := results.get("replicas")) is not None:
        lines += _replicas(rep)
    if sp := results.get("spread"):
        lines += _spread(sp)
    lines += [*results.get("notes", []), END]
    return "\n".join(lines)


def write_report(results: dict[str, Any], whole: bool = True) -> None:
    """The whole section; or (`whole` False: a run of some parts) only the tables that
    ran, each replacing its old table up to the next heading or the notes."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    section = render(results)
    if START in text and END in text:
        before, _, rest = text.partition(START)
        old, _, after = rest.partition(END)
        text = before + (section if whole else START + _merge(old, section) + END) + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    REPORT.write_text(text, encoding="utf-8")


def _blocks(section: str) -> dict[str, list[str]]:
    """The section's tables: {heading line: its lines up to the next heading or notes}."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in section.splitlines():
        if line.startswith("### "):
            current = found.setdefault(line, [])
        elif line.startswith("Notes on this run") or line.startswith("<!--"):
            current = None
        if current is not None:
            current.append(line)
    return found


def _merge(old: str, new: str) -> str:
    lines = old.splitlines()
    for heading, block in _blocks(new).items():
        if heading in lines:
            start = lines.index(heading)
            length = len(_blocks(old)[heading])
            lines[start : start + length] = block
        else:
            lines += block
    return "\n".join(lines) + "\n"
