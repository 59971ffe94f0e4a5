"""Consent to store check-ins: the question, and /privacy with the current state."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Texts
from bot.domain.consent import MAX_REPORT_NAME, Agreement
from bot.screens import Screen
from bot.screens.dates import day_label
from bot.screens.keyboards import button


def consent_screen(texts: Texts, *, changed: bool, then_checkin: bool) -> Screen:
    intro = f"{texts('consent_changed')}\n\n" if changed else ""
    choices = [
        button(
            texts("consent_yes"), callbacks.AnswerConsent("yes_checkin" if then_checkin else "yes")
        ),
        button(texts("consent_no"), callbacks.AnswerConsent("no")),
    ]
    body = f"{intro}{texts('privacy_text')}\n{texts('consent_question')}"
    return Screen(body, InlineKeyboardMarkup([choices]))


def privacy_status(texts: Texts, agreement: Agreement | None, saved: bool = False) -> Screen:
    """/privacy: the text, whether (and when) the user agreed, and the matching button."""
    if agreement is not None and agreement.is_current(texts.content.privacy_version):
        status = texts("consent_given_on", date=day_label(texts, agreement.agreed_at.date()))
        withdraw = button(texts("consent_withdraw"), callbacks.AnswerConsent("withdraw"))
        body = f"{texts('privacy_text')}\n{status}"
        if saved:
            body = f"{texts('settings_saved')}\n\n{body}"
        return Screen(body, InlineKeyboardMarkup([[withdraw]]))
    screen = consent_screen(texts, changed=agreement is not None, then_checkin=False)
    return Screen(f"{screen.text}\n\n{texts('consent_none')}", screen.keyboard)


def withdraw_question(texts: Texts, checkins: int) -> Screen:
    """Months of diary go in one tap: name how many, and point to /export first."""
    choices = [
        button(texts("withdraw_yes"), callbacks.AnswerConsent("withdraw_yes")),
        button(texts("withdraw_no"), callbacks.AnswerConsent("withdraw_no")),
    ]
    return Screen(texts("withdraw_confirm", count=checkins), InlineKeyboardMarkup([choices]))


def report_name_prompt(texts: Texts, agreement: Agreement) -> Screen:
    """Ask for the name on the report; say what it is now, and offer none."""
    now = agreement.report_name or texts("value_none")
    choices = [
        [button(texts("report_name_clear"), callbacks.ReportName(clear=True))],
        [button(texts("button_back"), callbacks.ShowSettings("checkin"))],
    ]
    body = texts("report_name_prompt", name=html.escape(now), max=str(MAX_REPORT_NAME))
    return Screen(body, InlineKeyboardMarkup(choices))
