"""The check-in a nurse would sign off: fever apart from warmth, "much worse than usual",
the scale's question wherever a level is shown, the night by name and asked once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Checkin
from devtools.fakeapi import BotMessage, FakeUser
from tests.auxil.checkins import checkins, consented
from tests.auxil.harness import BotHarness

TODAY = date(2026, 11, 26)  # the fake clock's day in Amsterdam (a Thursday)
NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
QUESTION = "Hoe erg waren je stijfheid en spasmen samen in de afgelopen 24 uur?"
ANCHORS = "0 = geen stijfheid of spasmen, 10 = het ergste dat je je kunt voorstellen."


async def earlier_days(
    db: async_sessionmaker[AsyncSession],
    user_id: int,
    levels: list[int],
    triggers: frozenset[str] = frozenset(),
) -> None:
    """Check-ins on the days before today, the newest first."""
    async with db.begin() as session:
        for back, level in enumerate(levels, start=1):
            session.add(
                Checkin(
                    user_id=user_id,
                    local_date=TODAY - timedelta(days=back),
                    nrs=level,
                    triggers=triggers,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


async def checkin_with(
    harness: BotHarness, user: FakeUser, level: str, *triggers: str
) -> BotMessage:
    """Consent, a level, a quiet night, these triggers, no note: the thank-you."""
    screen = await consented(harness, user)
    screen = await harness.taps(user, screen, level, "Nee", *triggers)
    return await harness.taps(user, screen, "➡️ Klaar", "Overslaan")


async def test_warmth_is_not_a_red_flag_and_fever_is(harness: BotHarness) -> None:
    warm = await checkin_with(
        harness, harness.user(8201, "nl"), "4", "⬜ ☀️ Warm door inspanning of weer"
    )
    assert "⚠️" not in warm.text and "huisartsenpost" not in warm.text
    assert "bijvoorbeeld door inspanning, kan dat spasmen opwekken" in warm.text
    fever = await checkin_with(harness, harness.user(8202, "nl"), "4", "⬜ 🤒 Koorts")
    assert "⚠️ Denk je dat je koorts, een infectie of een schub hebt?" in fever.text
    assert "Buiten kantoortijden bel je de huisartsenpost." in fever.text


async def test_short_trigger_labels_share_a_row_and_long_ones_have_their_own(
    harness: BotHarness,
) -> None:
    for user_id, language, agree, no in (
        (8203, "nl", None, "Nee"),
        (8204, "en", "✅ I agree", "No"),
    ):
        user = harness.user(user_id, language)
        if agree is None:
            level = await consented(harness, user)
        else:
            await harness.start(user)
            ask = await harness.say(user, "/checkin")
            level = (await harness.tap(user, ask, agree)).screen
        screen = await harness.taps(user, level, "3", no)
        trigger_rows = screen.buttons[:-2]  # then "none" / "done", and "back" / "stop"
        labels = [b.text for row in trigger_rows for b in row]
        assert len(labels) == 12
        for row in trigger_rows:
            assert len(row) == 1 or all(len(b.text) <= 16 for b in row), row
        for label in labels:
            assert len(label) <= 16 or [label] in [[b.text for b in r] for r in trigger_rows]
        assert all(label[:2] in ("⬜ ", "✅ ") for label in labels)  # the state on every button
        assert not any("Warmte of koorts" in label or "Heat or fever" in label for label in labels)


@pytest.mark.parametrize(
    ("user_id", "before", "today", "shown"),
    [
        (8211, [2, 2, 3, 2, 1], "5", True),  # usual 2.0, today 3 points above
        (8212, [2, 2, 3, 2, 1], "4", False),  # only 2 points above
        (8213, [2, 2, 2, 2], "9", False),  # 4 answers: too few to know what is usual
    ],
)
async def test_much_worse_than_usual_gets_a_neutral_line(
    harness: BotHarness,
    db: async_sessionmaker[AsyncSession],
    user_id: int,
    before: list[int],
    today: str,
    shown: bool,
) -> None:
    user = harness.user(user_id, "nl")
    await harness.start(user)
    await earlier_days(db, user.id, before)
    thanks = await checkin_with(harness, user, today)
    line = "Is het veel erger dan je gewend bent? Neem contact op met je huisarts"
    assert (line in thanks.text) is shown


async def test_with_the_morning_question_on_the_evening_does_not_ask_about_the_night(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8220, "nl")
    await consented(harness, anna)
    page = await harness.say(anna, "/instellingen")
    page = await harness.taps(anna, page, "📝 Check-in", "⬜ 🌅 Ochtendvraag")
    assert "Ochtendvraag over de nacht: aan" in page.text
    level = await harness.say(anna, "/checkin")
    triggers = await harness.taps(anna, level, "6")
    assert level.text.startswith("📝 Check-in van 26 november · stap 1 van 3")
    assert triggers.text.startswith("📝 Check-in van 26 november · stap 2 van 3")
    assert "Had je vandaag een van deze dingen?" in triggers.text
    await harness.taps(anna, triggers, "➡️ Klaar", "Overslaan")
    [row] = await checkins(db, 8220)
    assert (row.nrs, row.night) == (6, None)


async def test_an_old_heat_or_fever_answer_keeps_its_own_meaning(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8221, "nl")
    level = await consented(harness, anna)
    async with db.begin() as session:
        session.add(
            Checkin(
                user_id=8221,
                local_date=TODAY,
                nrs=5,
                triggers=frozenset({"heat_or_fever"}),
                created_at=NOW,
                updated_at=NOW,
            )
        )
    triggers = await harness.taps(anna, level, "5", "Nee")
    assert "✅ 🌡 Warmte of koorts" in triggers.button_texts
    assert "⬜ 🤒 Koorts" in triggers.button_texts  # not ticked: nobody knows it was fever
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/export")
    sent = await harness.fake.wait_for_call("sendDocument", after=mark)
    table = harness.message(anna.id, int(sent.result["message_id"]))
    assert table.document is not None
    rows = list(csv.reader(io.StringIO(table.document.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1][3] == "Warmte of koorts"


async def test_the_question_and_its_anchors_go_with_every_level_shown_to_others(
    harness: BotHarness, db: async_sessionmaker[AsyncSession]
) -> None:
    anna = harness.user(8222, "nl")
    await harness.start(anna)
    await earlier_days(db, 8222, [3, 4, 5, 4, 3, 2, 3])
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/overzicht")
    photo_call = await harness.fake.wait_for_call("sendPhoto", after=mark)
    photo = harness.message(anna.id, int(photo_call.result["message_id"]))
    assert QUESTION in (photo.caption or "") and ANCHORS in (photo.caption or "")
    mark = len(harness.fake.calls)
    await harness.fake.send_text(anna, "/export")
    first = await harness.fake.wait_for_call("sendDocument", after=mark)
    second = await harness.fake.wait_for_call(
        "sendDocument", after=harness.fake.calls.index(first) + 1
    )
    table, report = (harness.message(anna.id, int(c.result["message_id"])) for c in (first, second))
    assert table.document is not None and report.document is not None
    header = next(csv.reader(io.StringIO(table.document.data.decode("utf-8-sig")), delimiter=";"))
    assert header[1] == f"niveau ({QUESTION} Kies één cijfer van 0 tot 10. {ANCHORS})"
    page = " ".join(PdfReader(io.BytesIO(report.document.data)).pages[0].extract_text().split())
    assert QUESTION in page and ANCHORS in page
