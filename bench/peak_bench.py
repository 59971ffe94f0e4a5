"""Benchmarks of issue 13 part 2 (peak, leader, strict peer); writes docs/performance.md.

    python -m bench.peak_bench            # everything (~25 minutes on 2 cores)
    python -m bench.peak_bench --quick    # small sizes, to check the script; no report
    python -m bench.peak_bench --only idle    # one part; its table is replaced, the rest kept

Against the fake Bot API in its own process; each phase in a fresh process
(bench/peak_phase.py), populations from bench/population.py (mixed zones, 40 % of
tips at 09:00, 20 % check-ins at 20:00, days of history, ANALYZE):
- idle tick of a running bot at 100k, 300k and 1M users, against the same tick at
  1,000 users in the same run (SQLite; PostgreSQL as seeded and after VACUUM), its
  peak computation, and its RSS;
- achieved rate against the strict peer (429 above 30/s or 1/s a chat) with tips
  and check-ins due together, at 30/s and the default 25/s, with and without another
  process burning a core;
- two replicas on PostgreSQL against the strict peer: combined rate and 429s;
- a 100k peak with TIP_SPREAD_MINUTES, time-scaled ×10 (rate ×10, spread, grace and
  tick ÷10), so it runs in minutes: send times around the due minute, missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.peak_phase import TOKEN
from bench.peak_report import write_report
from bench.population import T0
from bench.tips_bench import free_port

PY = sys.executable


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def fake_server() -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [
            PY,
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
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait()


@contextmanager
def postgres() -> Iterator[str | None]:
    made = subprocess.run(
        [PY, "-m", "tests.auxil.postgres", "create"], capture_output=True, text=True
    )
    url = made.stdout.strip() if made.returncode == 0 else None
    try:
        yield url
    finally:
        if url:
            subprocess.run([PY, "-m", "tests.auxil.postgres", "drop", url], check=False)


@contextmanager
def cpu_burner(on: bool) -> Iterator[None]:
    burner = subprocess.Popen([PY, "-c", "while True: pass"]) if on else None
    try:
        yield
    finally:
        if burner is not None:
            burner.kill()
            burner.wait()


def seed(url: str, users: int, days: int, port: int | None = None) -> float:
    args = [PY, "-m", "bench.population", url, str(users), str(days)] + (
        [str(port)] if port else []
    )
    return float(subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip())


def phase(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [PY, "-m", "bench.peak_phase", *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def history_days(users: int) -> int:
    return 5 if users <= 300_000 else 3


def idle_ticks(folder: Path, sizes: list[int], pg_sizes: list[int]) -> dict[str, Any]:
    """The idle tick at each size, on SQLite and PostgreSQL; on PostgreSQL once as seeded
    (ANALYZE only: no visibility map, index scans visit the heap) and once after VACUUM
    (as autovacuum leaves a database that runs). sizes[0] is the baseline of the ratio."""
    results: dict[str, Any] = {}
    with fake_server() as port:
        for users in sizes:
            days = history_days(users)
            url = f"sqlite+aiosqlite:///{folder / f'idle{users}.sqlite3'}"
            took = seed(url, users, days)
            log(f"SQLite {users} users, {days} days seeded in {took:.0f} s")
            results[f"SQLite/{users}"] = {
                "days": days,
                "seed_s": took,
                **phase("idle", url, str(port)),
            }
            log(json.dumps(results[f"SQLite/{users}"]))
            (folder / f"idle{users}.sqlite3").unlink()
        for users in pg_sizes:
            with postgres() as pg_url:
                if pg_url is None:
                    break
                days = history_days(users)
                took = seed(pg_url, users, days)
                log(f"PostgreSQL {users} users seeded in {took:.0f} s")
                seeded = {"days": days, "seed_s": took}
                results[f"PostgreSQL/{users}"] = {**seeded, **phase("idle", pg_url, str(port))}
                log(json.dumps(results[f"PostgreSQL/{users}"]))
                done = subprocess.run(
                    [PY, "-m", "bench.population", "vacuum", pg_url],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results[f"PostgreSQL after VACUUM/{users}"] = {
                    **seeded,
                    "vacuum_s": float(done.stdout.strip()),
                    **phase("idle", pg_url, str(port)),
                }
                log(json.dumps(results[f"PostgreSQL after VACUUM/{users}"]))
    return results


def rates(folder: Path, users: int) -> list[dict[str, Any]]:
    url = f"sqlite+aiosqlite:///{folder / 'rate.sqlite3'}"
    found = []
    with fake_server() as port:
        seed(url, users, 0, port)
        for day, (rate, load) in enumerate([(30, False), (30, True), (25, False), (25, True)], 1):
            with cpu_burner(load):
                result = {"cpu_load": load, **phase("rate", url, str(port), str(rate), str(day))}
            log(json.dumps(result))
            found.append(result)
    return found


def replicas(users: int, rate: float) -> dict[str, Any] | None:
    with postgres() as url, fake_server() as port:
        if url is None:
            return None
        seed(url, users, 0, port)
        base = f"http://127.0.0.1:{port}"
        httpx.post(f"{base}/_fake/strict", json={"overall": 30, "per_chat": 1})
        due = T0 + timedelta(days=1)
        phase("due", url, str(port), due.isoformat())
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                [
                    PY,
                    "-m",
                    "tests.auxil.replica_process",
                    url,
                    f"{base}/bot",
                    f"{base}/file/bot",
                    TOKEN,
                    due.isoformat(),
                    str(rate),
                    "1",
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        try:
            while time.monotonic() - started < users / rate * 3 + 30:
                peer = httpx.get(f"{base}/_fake/strict").json()["result"]
                if peer["accepted"] >= users * 1.2:  # tips plus the 20 % check-ins
                    break
                time.sleep(1)
            time.sleep(3)
        finally:
            for process in processes:
                process.kill()
        roles = [process.communicate()[0].split() for process in processes]
        peer = httpx.get(f"{base}/_fake/strict").json()["result"]
    span = peer["last"] - peer["first"]
    return {
        "configured": rate,
        "accepted": peer["accepted"],
        "refused": peer["refused"],
        "busiest_second": peer["busiest_second"],
        "achieved": (peer["accepted"] - 1) / span if span else 0.0,
        "senders": sum(1 for r in roles if "leader" in r),
    }


def spread(folder: Path, users: int, scale: float) -> dict[str, Any]:
    url = f"sqlite+aiosqlite:///{folder / 'spread.sqlite3'}"
    with fake_server() as port:
        seed(url, users, 0, port)
        return phase("spread", url, str(port), str(users), str(scale))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=["idle", "rate", "replicas", "spread"], action="append")
    args = parser.parse_args(argv)
    quick = args.quick
    wanted = set(args.only or ["idle", "rate", "replicas", "spread"])
    results: dict[str, Any] = {"machine": os.uname().machine}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "idle" in wanted:
            sizes = [1_000, 3_000] if quick else [1_000, 100_000, 300_000, 1_000_000]
            results["idle"] = idle_ticks(folder, sizes, sizes)
        if "rate" in wanted:
            results["rate"] = rates(folder, 100 if quick else 1_200)
        if "replicas" in wanted:
            results["replicas"] = replicas(100 if quick else 1_000, 25)
            log(json.dumps(results["replicas"]))
        if "spread" in wanted:
            results["spread"] = spread(folder, 2_000 if quick else 100_000, 10)
            log(json.dumps(results["spread"]))
    print(json.dumps(results))
    if not quick:
        write_report(results, whole=wanted == {"idle", "rate", "replicas", "spread"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
