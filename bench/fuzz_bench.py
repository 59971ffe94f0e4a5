"""A long fuzz run: many random Telegram-shaped updates against the real bot.

    python -m bench.fuzz_bench --updates 20000            # SQLite, writes docs/performance.md
    python -m bench.fuzz_bench --updates 5000 --seed 7 --no-write
    python -m bench.fuzz_bench --known-defects           # also inline-mode taps (defect 4)
    python -m bench.fuzz_bench --database-url postgresql+asyncpg://…/empty_db

The same machinery as tests/handlers/test_fuzz.py (tests/auxil/fuzzing.py, updates.py):
the real Application long-polls the fake Bot API over HTTP on 127.0.0.1, updates go in
as raw JSON in batches, each batch ends with a probe's /menu; before each batch the
clock moves 47 minutes and the scheduler ticks. The fake runs in this
process and keeps every chat's messages (its call log is dropped after each batch), so
RSS includes it. matplotlib is loaded before "before" is measured (the bot loads it on
the first chart). Prints the figures and writes the "## Fuzzing" section.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import build_application, running, services_of
from bot.content import load_content
from bot.db.migrate import upgrade
from bot.db.session import create_engine
from bot.settings import PROJECT_ROOT, Settings
from devtools.fakeapi import FakeTelegram
from tests.auxil.fuzzing import Fuzzer, Population, Report, unpaced
from tests.auxil.harness import FakeClock
from tests.auxil.updates import draw_updates
from tests.conftest import ENCRYPTION_KEY

REPORT = PROJECT_ROOT / "docs" / "performance.md"
MARKER = "## Fuzzing"
TOKEN = "123456789:FUZZ-token-that-must-never-be-logged-xyz"


def rss_mb() -> float:
    """Resident set size now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def fuzz(updates: int, seed: int | None, known_defects: bool, url: str) -> dict[str, Any]:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    content = load_content(PROJECT_ROOT / "content")
    async with FakeTelegram(token=TOKEN, bot_username="spasmbot_test_bot") as fake:
        settings = Settings(
            telegram_bot_token=SecretStr(TOKEN),
            telegram_base_url=fake.base_url,
            telegram_base_file_url=fake.base_file_url,
            database_url=url,
            encryption_key=SecretStr(ENCRYPTION_KEY),  # notes are stored encrypted
            scheduler_tick_seconds=0,
            operator_name="MS-vereniging Test",
            operator_contact="privacy@test.invalid",
            _env_file=None,  # type: ignore[call-arg]
        )
        clock = FakeClock(datetime(2026, 11, 26, 7, 0, tzinfo=UTC))
        application = build_application(unpaced(settings), content=content, clock=clock)
        population = Population.of(fake.bot_user, content, groups=max(12, updates // 250))
        started = time.monotonic()
        items = draw_updates(population, updates, seed=seed, known_defects=known_defects)
        drawn_s = time.monotonic() - started
        for module in ("bot.screens.charts", "bot.screens.reports"):
            importlib.import_module(module)
        async with running(application, poll_timeout=1):
            fuzzer = Fuzzer(fake, population)
            fuzzer.forget_calls = True
            scheduler = services_of(application).scheduler
            assert scheduler is not None

            async def an_hour_later() -> None:  # tips, check-ins and mornings come due
                clock.set(clock.now + timedelta(minutes=47))
                await scheduler.tick()

            fuzzer.between = an_hour_later
            before, started = rss_mb(), time.monotonic()
            report = await fuzzer.run(items, within=120)
            elapsed, after = time.monotonic() - started, rss_mb()
            fresh = fake.add_user(999_000_002, "Fresh", "en")
            mark = len(fake.state.calls)
            await fake.send_text(fresh, "/menu")
            await fake.wait_for_call("sendMessage", lambda c: c.ok, after=mark)
            menu_ok = fake.last_message(fresh.id).text.startswith(content.root.title["en"])
    return {
        "report": report,
        "drawn_s": drawn_s,
        "elapsed_s": elapsed,
        "rss_before": before,
        "rss_after": after,
        "rss_peak": peak_mb(),
        "menu_ok": menu_ok,
        "seed": seed,
        "database": url.split(":", 1)[0].split("+", 1)[0],
    }


def lines(result: dict[str, Any]) -> list[str]:
    report: Report = result["report"]
    seed = "derandomized" if result["seed"] is None else f"seed {result['seed']}"
    rate = report.updates / result["elapsed_s"]
    expected = sum(report.expected.values())
    return [
        f"| Updates sent ({seed}, {result['database']}) | {report.updates:,} in "
        f"{result['elapsed_s']:.0f} s ({rate:.0f}/s; drawn in {result['drawn_s']:.0f} s) |",
        f"| Unhandled exceptions (log records at ERROR or above) | {len(report.errors)} |",
        f"| Callback queries never answered | {len(report.unanswered)} |",
        f"| Requests the fake rejected, not counting expected edits | {len(report.rejected)} "
        f"(expected edits refused: {expected}) |",
        f"| User-facing texts naming an exception | {len(report.leaks)} |",
        f"| A fresh user's /menu afterwards | {'main menu' if result['menu_ok'] else 'WRONG'} |",
        f"| RSS before → after (bot and fake in one process) | {result['rss_before']:.0f} MB → "
        f"{result['rss_after']:.0f} MB (peak {result['rss_peak']:.0f} MB) |",
    ]


def write_section(result: dict[str, Any]) -> None:
    section = "\n".join(
        [
            MARKER,
            "",
            "`python -m bench.fuzz_bench`: random Telegram-shaped updates (tests/auxil/updates.py)",
            "fed as raw JSON to the real bot through the fake Bot API in batches of 100, each",
            "followed by a probe's /menu; before each batch the clock moves 47 minutes and the",
            "scheduler ticks. Replies are unpaced (the pacing has its own tests); with",
            "--known-defects the mix includes inline-mode taps. Group messages beyond 18 per",
            "group are dropped (hence fewer than asked for). Expected edits refused:",
            "a made-up, gone or media message, or a double tap (tests/auxil/fuzzing.py). RSS",
            "before: after drawing the updates (kept in memory) and loading matplotlib.",
            f"Last run: {datetime.now(UTC):%Y-%m-%d}.",
            "",
            "| Measure | Result |",
            "|---|---|",
            *lines(result),
            "",
        ]
    )
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Performance\n"
    before, _, rest = text.partition(MARKER)
    after = rest[rest.find("\n## ") :] if "\n## " in rest else ""
    REPORT.write_text(before.rstrip() + "\n\n" + section + after, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--updates", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=None, help="default: derandomized")
    parser.add_argument("--known-defects", action="store_true", help="inline-mode taps too")
    parser.add_argument("--database-url", default="", help="an empty database (default: SQLite)")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/fuzz.sqlite3"
        result = asyncio.run(fuzz(args.updates, args.seed, args.known_defects, url))
    print("\n".join(lines(result)))
    if result["report"].findings:
        print(result["report"].describe(most=30))
    if not args.no_write:
        write_section(result)
        print(f"written: {REPORT.relative_to(PROJECT_ROOT)}")
    return 1 if result["report"].findings else 0


if __name__ == "__main__":
    sys.exit(main())
