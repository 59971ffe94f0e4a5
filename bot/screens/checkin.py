"""What the user sees around check-ins: consent, the steps, the thank-you."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.content import Content
from bot.db.models import Consent
from bot.screens import Screen
from bot.screens.dates import day_label
from bot.screens.keyboards import button, pack_rows
from bot.services.checkins import MAX_NOTE_CHARS, CheckinView


def day_key(day: date) -> str:
    """A local date as it travels in button data."""
    return day.strftime("%Y%m%d")


def consent_screen(content: Content, language: str, *, changed: bool, then_checkin: bool) -> Screen:
    text = content.text
    intro = f"{text('consent_changed', language)}\n\n" if changed else ""
    yes = "yes_checkin" if then_checkin else "yes"
    choices = [
        button(text("consent_yes", language), callbacks.AnswerConsent(yes)),
        button(text("consent_no", language), callbacks.AnswerConsent("no")),
    ]
    body = f"{intro}{text('privacy_text', language)}\n{text('consent_question', language)}"
    return Screen(body, InlineKeyboardMarkup([choices]))


def privacy_status(
    content: Content, language: str, consent: Consent | None, saved: bool = False
) -> Screen:
    """/privacy: the text, whether (and when) the user agreed, and the matching button."""
    text = content.text
    current = consent is not None and consent.text_version == content.privacy_version
    if current and consent is not None:
        status = text(
            "consent_given_on",
            language,
            date=day_label(content, consent.agreed_at.date(), language),
        )
        keyboard = InlineKeyboardMarkup(
            [[button(text("consent_withdraw", language), callbacks.AnswerConsent("withdraw"))]]
        )
        body = f"{text('privacy_text', language)}\n{status}"
        if saved:
            body = f"{text('settings_saved', language)}\n\n{body}"
        return Screen(body, keyboard)
    screen = consent_screen(content, language, changed=consent is not None, then_checkin=False)
    return Screen(f"{screen.text}\n\n{text('consent_none', language)}", screen.keyboard)


def level_screen(
    content: Content, day: date, language: str, *, again: bool, later: bool = False
) -> Screen:
    """Step 1. A scheduled check-in also offers "Later" (once)."""
    text = content.text("checkin_level", language, date=day_label(content, day, language))
    if again:
        text = f"{text}\n\n<i>{content.text('checkin_again', language)}</i>"
    levels = [button(str(n), callbacks.CheckinLevel(day_key(day), str(n))) for n in range(11)]
    rows = [levels[:6], levels[6:]]
    if later:
        rows.append(
            [button(content.text("checkin_later", language), callbacks.CheckinLater(day_key(day)))]
        )
    return Screen(text, InlineKeyboardMarkup(rows))


def pause_question(content: Content, language: str) -> Screen:
    """After three unanswered check-ins in a row: asked once, never nagging."""
    text = content.text
    choices = [
        button(text("checkin_pause_yes", language), callbacks.ChangeSetting("checkin", "off")),
        button(text("checkin_pause_no", language), callbacks.ChangeSetting("checkin", "on")),
    ]
    return Screen(text("checkin_pause_question", language), InlineKeyboardMarkup([choices]))


def night_screen(content: Content, day: date, language: str) -> Screen:
    choices = [
        button(content.text("checkin_yes", language), callbacks.CheckinNight(day_key(day), "yes")),
        button(content.text("checkin_no", language), callbacks.CheckinNight(day_key(day), "no")),
    ]
    return Screen(content.text("checkin_night", language), InlineKeyboardMarkup([choices]))


def triggers_screen(content: Content, view: CheckinView, language: str) -> Screen:
    key = day_key(view.day)
    toggles = [
        button(
            f"✅ {t.label[language]}" if t.id in view.triggers else t.label[language],
            callbacks.CheckinToggle(key, t.id),
        )
        for t in content.checkin_triggers.values()
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append(
        [
            button(content.text("checkin_none", language), callbacks.CheckinNext(key, "none")),
            button(content.text("checkin_done", language), callbacks.CheckinNext(key, "done")),
        ]
    )
    return Screen(content.text("checkin_triggers", language), InlineKeyboardMarkup(rows))


def note_screen(content: Content, day: date, language: str) -> Screen:
    skip = button(
        content.text("checkin_skip", language), callbacks.CheckinNext(day_key(day), "skip")
    )
    text = content.text("checkin_note", language, max=str(MAX_NOTE_CHARS))
    return Screen(text, InlineKeyboardMarkup([[skip]]))


def thanks_screen(content: Content, view: CheckinView, language: str) -> Screen:
    """Saved, a red-flag line if fever/infection/relapse was ticked, and one line (with a
    button to its topic) per chosen trigger — or encouragement when none was chosen."""
    level = str(view.nrs) if view.nrs is not None else "–"
    lines = [
        content.text(
            "checkin_thanks", language, date=day_label(content, view.day, language), level=level
        )
    ]
    chosen = [t for t in content.checkin_triggers.values() if t.id in view.triggers]
    if any(t.red_flag for t in chosen):
        lines.append(content.text("checkin_red_flag", language))
    lines += [f"• {t.line[language]}" for t in chosen]
    if not chosen:
        lines.append(content.text("checkin_encouragement", language))
    topics = [button(t.label[language], callbacks.OpenTopic(t.topic)) for t in chosen]
    return Screen("\n\n".join(lines), InlineKeyboardMarkup(pack_rows(topics)) if topics else None)


def morning_screen(content: Content, day: date, language: str) -> Screen:
    choices = [
        button(content.text("checkin_yes", language), callbacks.MorningWoke(day_key(day), "yes")),
        button(content.text("checkin_no", language), callbacks.MorningWoke(day_key(day), "no")),
    ]
    return Screen(content.text("morning_question", language), InlineKeyboardMarkup([choices]))


def morning_level_screen(content: Content, day: date, language: str) -> Screen:
    levels = [button(str(n), callbacks.MorningLevel(day_key(day), str(n))) for n in range(11)]
    return Screen(
        content.text("morning_level", language), InlineKeyboardMarkup([levels[:6], levels[6:]])
    )
