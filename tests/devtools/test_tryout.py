"""`spasmbot try` as a newcomer uses it: typed lines in, the chat printed as it happens.

The try-out runs for real (fake Telegram over HTTP, the production bot); the tests type
through an async line source and read the transcript it writes. They wait for text to
appear in the transcript (each write wakes them), never for a fixed time.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import services_of
from bot.settings import PROJECT_ROOT, Settings
from devtools.terminal import Terminal
from devtools.tryout import TryOut, session
from tests.auxil.checkins import checkins
from tests.auxil.harness import FakeClock


class Transcript(io.StringIO):
    """What the try-out printed; `shows` waits until some text appears."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, text: str) -> int:
        written = super().write(text)
        self.changed.set()
        return written

    async def shows(self, text: str, after: int = 0) -> str:
        """Everything printed after position `after`, once it contains `text`."""
        async with asyncio.timeout(20):
            while text not in (printed := self.getvalue()[after:]):
                self.changed.clear()
                await self.changed.wait()
        return printed


@dataclass
class Keyboard:
    """The try-out's input: lines typed one by one; `close` is Ctrl-D."""

    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)

    async def lines(self) -> AsyncIterator[str]:
        while (line := await self.queue.get()) is not None:
            yield line

    def close(self) -> None:
        self.queue.put_nowait(None)


@dataclass
class Person:
    tryout: TryOut
    transcript: Transcript
    keyboard: Keyboard

    async def types(self, line: str, *expected: str) -> str:
        """Types a line; returns what was printed after it, once all of `expected` was."""
        mark = len(self.transcript.getvalue())
        self.keyboard.queue.put_nowait(line)
        printed = ""
        for text in expected:
            printed = await self.transcript.shows(text, after=mark)
        return printed


@pytest.fixture
async def person(database_url: str, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Person]:
    """The try-out in Dutch, on a fresh database, its files going to tmp_path/files."""
    settings = Settings(
        database_url=database_url,
        scheduler_tick_seconds=0,  # the test ticks the scheduler itself, with the fake clock
        _env_file=None,  # type: ignore[call-arg]
    )
    transcript, keyboard = Transcript(), Keyboard()
    folder = tmp_path / "files"
    folder.mkdir()
    async with session(settings, "nl", Terminal(transcript), folder, clock=clock) as tryout:
        running = asyncio.create_task(tryout.run(keyboard.lines()))
        await transcript.shows(f"saved in {folder}")
        yield Person(tryout, transcript, keyboard)
        keyboard.close()
        await running


async def test_a_tap_by_label_records_that_level_and_export_saves_both_files(
    person: Person, db: async_sessionmaker[AsyncSession]
) -> None:
    await person.types("/start", "Hallo Tester!", "Wil je elke dag één korte tip")
    await person.types("/checkin", "Mag ik je check-ins zo bewaren?", "#1 [✅ Ik ga akkoord]")
    level = await person.types(
        "[✅ Ik ga akkoord]", "Hoe erg waren je stijfheid en spasmen", "#11 [10]"
    )
    assert "(you tapped #1 [✅ Ik ga akkoord])" in level
    # Number and label side by side: #6 is the button labelled 5.
    assert "#1 [0]   #2 [1]   #3 [2]   #4 [3]\n  #5 [4]   #6 [5]" in level

    night = await person.types("[5]", "Had je in de nacht van woensdag op donderdag last")
    assert night.startswith("you> [5]\n(you tapped #6 [5])\n── bot, edited ──")
    [stored] = await checkins(db, 1)
    assert stored.nrs == 5

    await person.types("#1", "(you tapped #1 [Ja])", "Tik alles aan wat klopt")
    folder = person.tryout.folder
    export = await person.types("/export", "verslag-spasmen.pdf", "naar je arts")
    csv_name = "check-ins-spasmen.csv"
    assert f"📄 file {csv_name} (" in export and f"saved as {folder / csv_name}" in export
    assert f"saved as {folder / 'verslag-spasmen.pdf'}" in export
    pdf = PdfReader(folder / "verslag-spasmen.pdf")
    assert "26 november" in "".join(page.extract_text() for page in pdf.pages)
    rows = list(csv.reader((folder / csv_name).read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1][:3] == ["2026-11-26", "5", "ja"]

    chart = await person.types("/overzicht", "overzicht.png", "Laatste 7 dagen: gemiddeld 5,0")
    assert "📷 photo overzicht.png (" in chart
    assert (folder / "overzicht.png").read_bytes().startswith(b"\x89PNG")


async def test_number_taps_and_a_tip_that_arrives_while_nobody_types(
    person: Person, clock: FakeClock
) -> None:
    await person.types("/start", "#1 [✅ Ja, graag]   #2 [Nee, dank je]")
    accepted = await person.types("#1", "Je krijgt elke dag om 09:00 een tip")
    assert "(you tapped #1 [✅ Ja, graag])" in accepted
    # The main menu: 4 daily actions, 8 topics (the last "Over deze informatie"), language.
    assert "#1 to #13" in await person.types("#20", "(no button #20")
    assert "no button labelled" in await person.types("[7]", "the labels are:")

    # Nobody types: the scheduler sends the 09:00 tip, and it is printed all the same.
    mark = len(person.transcript.getvalue())
    scheduler = services_of(person.tryout.application).scheduler
    assert scheduler is not None
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # 09:00 in Amsterdam
    await scheduler.tick()
    tip = await person.transcript.shows("💡 Tip van de dag", after=mark)
    assert "#1 [👍 Nuttig]   #2 [👎 Nooit meer]" in tip
    assert "you>" not in tip


def test_the_try_command_with_piped_input(tmp_path: Path) -> None:
    """`python -m bot try` (what `dev.py try` runs) with its input from a pipe."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'try.sqlite3'}",
        "SCHEDULER_TICK_SECONDS": "0",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--language", "en"],
        input="/start\n/quit\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "#3    taps button number 3" in done.stdout
    assert "you> /start\n── bot ──\nHello Tester!" in done.stdout
    assert "#1 [📝 Check-in]" in done.stdout and "[What are spasms?]" in done.stdout
    assert "Traceback" not in done.stderr
