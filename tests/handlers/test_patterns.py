"""/overzicht sends a real chart with the right numbers; /export a CSV and a PDF that parse."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from matplotlib.image import imread
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.harness import BotHarness

TODAY = date(2026, 11, 26)


async def thirty_days(db: async_sessionmaker[AsyncSession], user_id: int) -> None:
    """Stress on the last 6 days (level 6), level 3 on the 24 days before; 2 bad nights."""
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    async with db.begin() as session:
        for back in range(30):
            stress = back < 6
            session.add(
                Checkin(
                    user_id=user_id,
                    local_date=TODAY - timedelta(days=back),
                    nrs=6 if stress else 3,
                    night=back < 2,
                    triggers=frozenset({"stress"} if stress else ()),
                    note="drukke dag" if back == 0 else None,
                    created_at=now,
                    updated_at=now,
                )
            )


async def ask(harness: BotHarness, user: FakeUser, command: str, method: str) -> list[BotMessage]:
    mark = len(harness.fake.calls)
    await harness.fake.send_text(user, command)
    first = await harness.fake.wait_for_call(method, after=mark)
    found = [first]
    if command == "/export":
        found.append(
            await harness.fake.wait_for_call(method, after=harness.fake.calls.index(first) + 1)
        )
    return [harness.message(user.id, int(call.result["message_id"])) for call in found]


async def test_overview_sends_a_chart_and_the_numbers(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9001, "nl")
    await harness.start(anna)
    await thirty_days(db, 9001)
    [photo] = await ask(harness, anna, "/overzicht", "sendPhoto")
    assert photo.photo is not None
    image = imread(io.BytesIO(photo.photo.data), format="png")
    height, width = image.shape[:2]
    assert 600 <= width <= 800 and height > width  # narrow and tall: made for a phone
    caption = photo.caption or ""
    assert (
        "Laatste 7 dagen: gemiddeld 5,6 (7 van 7 dagen ingevuld); de 7 dagen ervoor: 3,0 "
        "(verschil +2,6)." in caption
    )
    assert (
        "Laatste 30 dagen: gemiddeld 3,6 (30 van 30 dagen ingevuld). Nachten met last: 2."
        in caption
    )
    assert "Vaakst gekozen (30 dagen): 😰 Stress (6×)." in caption
    assert (
        "Op dagen met 😰 Stress was je gemiddelde 6,0 (6 dagen), op dagen zonder 3,0 "
        "(24 dagen)." in caption
    )
    assert "niet wat de oorzaak is" in caption
    assert photo.button_texts == ["📄 Bestanden voor mijn arts", "🏠 Hoofdmenu"]
    mark = len(harness.fake.calls)
    await harness.fake.tap(anna, photo.message_id, button_text="📄 Bestanden voor mijn arts")
    first = await harness.fake.wait_for_call("sendDocument", after=mark)
    await harness.fake.wait_for_call("sendDocument", after=harness.fake.calls.index(first) + 1)


async def test_ninety_days_join_once_there_are_older_check_ins(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9004, "nl")
    await harness.start(anna)
    await thirty_days(db, 9004)
    [photo] = await ask(harness, anna, "/overzicht", "sendPhoto")
    assert "Laatste 90 dagen" not in (photo.caption or "")
    assert photo.photo is not None
    two_panels = imread(io.BytesIO(photo.photo.data), format="png").shape[0]
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    async with db.begin() as session:  # one check-in from six weeks ago
        day = TODAY - timedelta(days=42)
        session.add(
            Checkin(
                user_id=9004,
                local_date=day,
                nrs=2,
                night=False,
                triggers=frozenset(),
                created_at=now,
                updated_at=now,
            )
        )
    [photo] = await ask(harness, anna, "/overzicht", "sendPhoto")
    assert "Laatste 90 dagen: gemiddeld 3,5 (31 van 90 dagen ingevuld)" in (photo.caption or "")
    assert photo.photo is not None
    three_panels = imread(io.BytesIO(photo.photo.data), format="png").shape[0]
    assert three_panels > two_panels * 1.3  # a panel more, each as readable as before


async def test_no_comparison_below_five_days_and_a_friendly_empty_state(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    emma = harness.user(9002, "en")
    await harness.start(emma)
    empty = await harness.say(emma, "/overview")
    assert empty.text.startswith("You have no check-ins yet.")
    now = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    async with db.begin() as session:
        for back in range(8):
            session.add(
                Checkin(
                    user_id=9002,
                    local_date=TODAY - timedelta(days=back),
                    nrs=5,
                    night=None,
                    triggers=frozenset({"warm"} if back < 4 else ()),
                    created_at=now,
                    updated_at=now,
                )
            )
    [photo] = await ask(harness, emma, "/overview", "sendPhoto")
    assert "On days with" not in (photo.caption or "")  # only 4 days with warmth


async def test_export_sends_a_csv_and_a_pdf_report(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(9003, "nl")
    await harness.start(anna)
    await thirty_days(db, 9003)
    table, report = await ask(harness, anna, "/export", "sendDocument")
    assert table.document is not None and table.document.file_name == "check-ins-spasmen.csv"
    rows = list(csv.reader(io.StringIO(table.document.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1].startswith("niveau (Hoe erg waren je stijfheid en spasmen samen")
    assert rows[0][6].startswith("niveau in de nacht (Hoe erg waren de spasmen vannacht?")
    assert rows[0][:1] + rows[0][2:6] == [
        "datum",
        "last in de nacht",
        "triggers",
        "notitie",
        "wakker van spasmen",
    ]
    assert len(rows) == 31
    assert rows[-1] == ["2026-11-26", "6", "ja", "Stress", "drukke dag", "", ""]
    assert report.document is not None and report.document.file_name == "verslag-spasmen.pdf"
    pdf = PdfReader(io.BytesIO(report.document.data))
    assert len(pdf.pages) <= 2  # the report itself: tests/handlers/test_doctor_report.py
    first = pdf.pages[0].extract_text()
    assert "Spasmen en stijfheid: mijn check-ins" in first
    assert "Nachten met last: 2 van de 30 nachten." in first and "drukke dag" in first


async def test_the_csv_opens_in_columns_in_a_dutch_and_an_english_spreadsheet(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    for user_id, language, name, separator in [
        (9004, "nl", "check-ins-spasmen.csv", ";"),
        (9005, "en", "spasm-check-ins.csv", ","),
    ]:
        user = harness.user(user_id, language)
        await harness.start(user)
        await thirty_days(db, user_id)
        table, _ = await ask(harness, user, "/export", "sendDocument")
        assert table.document is not None and table.document.file_name == name
        lines = table.document.data.decode("utf-8-sig").splitlines()
        assert lines[-1].split(separator)[:3] == [
            "2026-11-26",
            "6",
            "ja" if language == "nl" else "yes",
        ]
