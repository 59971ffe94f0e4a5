"""/overzicht (/overview) and /export: the user's own check-ins, to see and to share."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import InputFile, Update

from bot.context import BotContext
from bot.domain.insights import LONG_PERIOD, report_periods, summarise
from bot.handlers.common import send, user_texts
from bot.screens import Screen, keyboards
from bot.services.checkins import consent_of, load_records
from bot.services.preferences import user_today


async def overview(update: Update, context: BotContext) -> None:
    """A chart of the last 7 and 30 days (and 90 once there is data), with the numbers in
    the caption."""
    texts = await user_texts(update, context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    today = await user_today(context.db, user.id, context.now())
    since = today - timedelta(days=2 * LONG_PERIOD - 1)  # and the period before it
    records = await load_records(context.db, user.id, since=since)
    if not records:
        await send(update, Screen(texts("overview_none")))
        return
    from bot.screens.charts import chart_png  # matplotlib (~50 MB) loads on first use only
    from bot.screens.reports import overview_caption

    periods = [summarise(records, today, days) for days in report_periods(records, today)]
    png = await asyncio.to_thread(chart_png, texts, periods)
    await chat.send_photo(
        InputFile(png, filename=texts("file_overview")),
        caption=overview_caption(texts, periods),
        reply_markup=keyboards.export_button(texts),
    )


async def export(update: Update, context: BotContext) -> None:
    """All check-ins as CSV, and a PDF report of the last 30 days for the doctor."""
    texts = await user_texts(update, context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    records = await load_records(context.db, user.id)
    if not records:
        await send(update, Screen(texts("overview_none")))
        return
    from bot.screens.doctor_report import doctor_pdf  # matplotlib loads on first use only
    from bot.screens.reports import checkins_csv

    today = await user_today(context.db, user.id, context.now())
    periods = [summarise(records, today, days) for days in report_periods(records, today)]
    await chat.send_document(
        InputFile(checkins_csv(texts, records), filename=texts("file_checkins")),
        caption=texts("export_caption_csv"),
    )
    # Drawing takes a few hundred milliseconds: off the event loop, so other taps go on.
    agreement = await consent_of(context.db, user.id)
    name = agreement.report_name if agreement is not None else None
    pdf = await asyncio.to_thread(doctor_pdf, texts, records, periods, today, name)
    await chat.send_document(
        InputFile(pdf, filename=texts("file_report")), caption=texts("export_caption_pdf")
    )
