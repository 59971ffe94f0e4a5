"""Issue 10: the PDF from /export is a visit summary a doctor reads in half a minute,
then every day; nothing the user wrote is cut, and it stays short."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin
from bot.settings import PROJECT_ROOT
from devtools.fakeapi import FakeUser
from tests.auxil.harness import BotHarness

TODAY = date(2026, 11, 26)  # the harness clock's day
LONG_NOTE = " ".join(["Vanochtend liep ik met veel moeite naar de bakker en terug."] * 5)[:300]
RENDERED = PROJECT_ROOT / "test-output" / "report"  # every page; not committed
FOR_DOCS = PROJECT_ROOT / "docs"  # report-page-1.png and -2.png, rewritten each run
# CI installs poppler-utils (.ci/run) and sets SPASMBOT_REQUIRE_BROWSER: there it must run.
NO_PDFTOPPM = (
    None if shutil.which("pdftoppm") else "pdftoppm missing: apt-get install poppler-utils"
)


async def days_of_checkins(db: async_sessionmaker[AsyncSession], user_id: int, days: int) -> None:
    """Level 3 with stress on even days, 5 with warmth every third; the last 7 days two
    points higher; a bad night every fifth day; one long note and a few short ones."""
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    async with db.begin() as session:
        for back in range(days):
            triggers = {"stress"} if back % 2 == 0 else set()
            if back % 3 == 0:
                triggers.add("warm")
            level = (5 if "warm" in triggers else 3) + (2 if back < 7 else 0)
            note = LONG_NOTE if back == 3 else f"notitie {back}" if back % 10 == 0 else None
            session.add(
                Checkin(
                    user_id=user_id,
                    local_date=TODAY - timedelta(days=back),
                    nrs=level,
                    night=back % 5 == 0,
                    triggers=frozenset(triggers),
                    note=note,
                    created_at=now,
                    updated_at=now,
                )
            )


async def the_report(harness: BotHarness, user: FakeUser) -> tuple[bytes, PdfReader]:
    """/export's second file: the PDF, as sent and as read back."""
    mark = len(harness.fake.calls)
    await harness.fake.send_text(user, "/export")
    first = await harness.fake.wait_for_call("sendDocument", after=mark)
    after = harness.fake.calls.index(first) + 1
    call = await harness.fake.wait_for_call("sendDocument", after=after)
    message = harness.message(user.id, int(call.result["message_id"]))
    assert message.document is not None
    return message.document.data, PdfReader(io.BytesIO(message.document.data))


def language_of(pdf: PdfReader) -> str:
    return str(pdf.root_object["/Lang"])


def words_of(pdf: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


async def test_page_one_is_a_visit_summary_and_no_note_is_cut(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9101, "nl")
    await harness.start(anna)
    await days_of_checkins(db, 9101, 30)
    sent, pdf = await the_report(harness, anna)
    assert len(pdf.pages) <= 2
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Gemaakt op 26 november 2026. Periode: 28 oktober 2026 tot en met 26 november" in first
    assert "Hoe erg waren je stijfheid en spasmen samen in de afgelopen 24 uur?" in first
    assert "0 = geen stijfheid of spasmen" in first
    # Last 7 days: 4 days of 5+2 and 3 of 3+2... the mean, median, range and the change
    assert "Laatste 7 dagen 7 van 7 dagen" in first
    assert "◆" in first and "20% of meer" in first  # the last week is well above the one before
    everything = words_of(pdf)
    assert " ".join(LONG_NOTE.split()) in everything  # the whole 300 characters
    assert "Stress 15" in everything and "Warm door inspanning of weer 10" in everything
    assert "Pagina 1 van" in first and "geen medisch oordeel" in first
    assert pdf.metadata is not None and pdf.metadata.title == "Spasmen en stijfheid: mijn check-ins"
    assert language_of(pdf) == "nl"
    render(sent, "30-nl", to_docs=True)


async def test_ninety_days_fit_on_four_pages_in_english(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    john = harness.user(9102, "en")
    await harness.start(john)
    await days_of_checkins(db, 9102, 90)
    sent, pdf = await the_report(harness, john)
    assert len(pdf.pages) <= 4
    everything = words_of(pdf)
    assert "Last 90 days 90 of 90 days" in everything and "Made on 26 November 2026" in everything
    assert language_of(pdf) == "en"
    render(sent, "90-en")


def render(pdf: bytes, name: str, *, to_docs: bool = False) -> None:
    """Every page as a PNG in test-output/report/ (and the first two in docs/), to look at."""
    if NO_PDFTOPPM:
        if os.environ.get("SPASMBOT_REQUIRE_BROWSER"):
            pytest.fail(NO_PDFTOPPM)
        pytest.skip(NO_PDFTOPPM)
    RENDERED.mkdir(parents=True, exist_ok=True)
    source = RENDERED / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(source), str(RENDERED / name)], check=True)
    pages = sorted(RENDERED.glob(f"{name}-*.png"))
    assert pages and all(page.stat().st_size > 10_000 for page in pages)
    if to_docs:
        for number, page in enumerate(pages[:2], start=1):
            shutil.copyfile(page, FOR_DOCS / f"report-page-{number}.png")
