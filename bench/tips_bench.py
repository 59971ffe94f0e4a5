"""Benchmark of the daily-tip scheduler; writes docs/performance.md.

    python -m bench.tips_bench              # SQLite and (if reachable) PostgreSQL
    python -m bench.tips_bench --quick      # small sizes, to check the script itself

For each database, two phases run in fresh processes (peak RSS is per phase),
against the project's fake Bot API server running in a process of its own:
- 1,000 users, all due at once;
- 100,000 users: the tick with nobody due; 10,000 due in the same minute, sent with
  the rate limit off, as a ratio to a bare `Bot` sending the same 10,000 messages
  (no database; measured before and after, averaged); then, at the configured
  25 tips/s, menu-tap latency (update queued → answerCallbackQuery received) during
  the dispatch, against the same taps with nothing else going on.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.tips_phase import TOKEN
from bot.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "docs" / "performance.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_fake() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.fakeapi",
            "--port",
            str(port),
            "--token",
            TOKEN,
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", timeout=1)
            return process, port
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the fake Bot API server did not start")


def run_phase(database_url: str, users: int, due: int, paced: int) -> dict[str, Any]:
    process, port = start_fake()
    try:
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.tips_phase",
                "--database-url",
                database_url,
                "--fake-port",
                str(port),
                "--users",
                str(users),
                "--due",
                str(due),
                "--paced",
                str(paced),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        process.terminate()
        process.wait()
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def databases(folder: Path) -> list[tuple[str, str, str | None]]:
    """(name, url, postgres url to drop afterwards) for SQLite and, if reachable, PostgreSQL."""
    found: list[tuple[str, str, str | None]] = []
    for phase in ("small", "large"):
        found.append((f"SQLite/{phase}", f"sqlite+aiosqlite:///{folder / phase}.sqlite3", None))
    created = subprocess.run(
        [sys.executable, "-m", "tests.auxil.postgres", "create"], capture_output=True, text=True
    )
    if created.returncode == 0:
        found.append(("PostgreSQL/small", created.stdout.strip(), created.stdout.strip()))
        second = subprocess.run(
            [sys.executable, "-m", "tests.auxil.postgres", "create"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        found.append(("PostgreSQL/large", second, second))
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes; no report written")
    args = parser.parse_args(argv)
    sizes = {"small": (1_000, 1_000, 0), "large": (100_000, 10_000, 500)}
    if args.quick:
        sizes = {"small": (200, 200, 0), "large": (2_000, 500, 50)}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, url, to_drop in databases(Path(folder)):
            users, due, paced = sizes[name.split("/")[1]]
            print(f"{name}: {users} users, {due} due ...", file=sys.stderr, flush=True)
            try:
                results[name] = run_phase(url, users, due, paced)
            finally:
                if to_drop:
                    subprocess.run([sys.executable, "-m", "tests.auxil.postgres", "drop", to_drop])
            print(json.dumps(results[name]), file=sys.stderr, flush=True)
    if not args.quick:
        from bench.report_bench import MARKER  # keep the /overzicht section of the report

        existing = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
        kept = existing[existing.index(MARKER) :] if MARKER in existing else ""
        REPORT.write_text(render(results) + ("\n" + kept if kept else ""), encoding="utf-8")
        print(f"written: {REPORT.relative_to(PROJECT_ROOT)}")
    return 0


def render(results: dict[str, dict[str, Any]]) -> str:
    from bench.report import render_tips_report

    return render_tips_report(results, os.uname().machine)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
