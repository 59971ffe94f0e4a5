"""/broadcast: the admin's prompts, the preview with its count, progress and the final
counts; and the message every user gets, with its opt-out button."""

from __future__ import annotations

import math

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.screens import Screen
from bot.screens.keyboards import button
from bot.services.broadcasts import MAX_CHARS, Audience, BroadcastView, Counts


def ask_text(texts: Texts, language: str) -> Screen:
    """Step 1 (the Dutch text) or step 2 (the English one)."""
    return Screen(texts("broadcast_ask_nl" if language == "nl" else "broadcast_ask_en"))


def too_long(texts: Texts, length: int) -> Screen:
    return Screen(texts("broadcast_too_long", length=str(length), most=str(MAX_CHARS)))


def message_keyboard(texts: Texts, *, wanted: bool) -> InlineKeyboardMarkup:
    """Under a broadcast: opt out; after that tap, opt in again."""
    if wanted:
        return InlineKeyboardMarkup(
            [[button(texts("broadcast_opt_out"), callbacks.AdminMessages(wanted=False))]]
        )
    return InlineKeyboardMarkup(
        [[button(texts("broadcast_opt_in"), callbacks.AdminMessages(wanted=True))]]
    )


def broadcast_message(texts: Texts, text: str) -> Screen:
    """What a user gets: the header, the admin's (escaped) text, the opt-out button."""
    return Screen(f"{texts('broadcast_header')}\n\n{text}", message_keyboard(texts, wanted=True))


def preview_screen(
    texts: Texts, draft: BroadcastView, audience: Audience, nl: Texts, en: Texts
) -> Screen:
    """Both messages as the users will see them, how many get it, Send / Cancel."""
    lines = [
        texts("broadcast_preview", count=audience.recipients),
        texts(
            "broadcast_preview_not",
            opted_out=str(audience.opted_out),
            unreachable=str(audience.unreachable),
        ),
        "",
        texts("broadcast_preview_nl"),
        broadcast_message(nl, draft.text_nl).text,
        "",
        texts("broadcast_preview_en"),
        broadcast_message(en, draft.text_en or "").text,
    ]
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(texts("broadcast_send"), callbacks.BroadcastAnswer(draft.id, send=True)),
                button(texts("broadcast_cancel"), callbacks.BroadcastAnswer(draft.id, send=False)),
            ]
        ]
    )
    return Screen("\n".join(lines), keyboard)


def _progress_keyboard(texts: Texts, broadcast_id: int) -> InlineKeyboardMarkup:
    label = texts("broadcast_progress_button")
    return InlineKeyboardMarkup([[button(label, callbacks.BroadcastProgress(broadcast_id))]])


def queued_screen(texts: Texts, broadcast: BroadcastView, rate: float | None) -> Screen:
    count = broadcast.recipients or 0
    minutes = max(1, math.ceil(count / rate / 60)) if rate else 1
    text = texts("broadcast_queued", count=count, minutes=str(minutes))
    return Screen(text, _progress_keyboard(texts, broadcast.id))


def cancelled_screen(texts: Texts) -> Screen:
    return Screen(texts("broadcast_cancelled"))


def progress_screen(texts: Texts, broadcast: BroadcastView, counts: Counts) -> Screen:
    """How far it is; the button stays until it is done, then the final counts."""
    if broadcast.state == "done":
        return report_screen(texts, broadcast.id, counts)
    text = texts(
        "broadcast_progress",
        number=str(broadcast.id),
        sent=str(counts.sent),
        failed=str(counts.failed),
        waiting=str(counts.waiting),
    )
    return Screen(text, _progress_keyboard(texts, broadcast.id))


def report_screen(texts: Texts, broadcast_id: int, counts: Counts) -> Screen:
    """The final counts, sent to the admin by the scheduler when nothing is left."""
    return Screen(
        texts(
            "broadcast_report",
            number=str(broadcast_id),
            recipients=str(counts.recipients),
            sent=str(counts.sent),
            failed=str(counts.failed),
            blocked=str(counts.blocked),
            skipped=str(counts.skipped),
            missed=str(counts.missed),
            unknown=str(counts.unknown),
        )
    )
