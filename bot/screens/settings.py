"""The pages of /instellingen, rendered from the user's Choices and content texts.

Pages: main, time, hours_<part>, minutes_<hour>, days, pickdays, tags, zone, pause, and
for check-ins: checkin, ctime, chours_<part>, cminutes_<hour> (evening) and mtime,
mhours_<part>, mminutes_<hour> (the morning question).
An unknown page name (forged button data) raises KeyError; the handler shows the menu.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import ROOT_TOPIC, Content
from bot.domain.choices import COMMON_ZONES, PAUSE_DAYS, QUARTERS, Choices, zone_key
from bot.screens import Screen
from bot.screens.dates import clock_time, day_label, days_label
from bot.screens.keyboards import button, pack_rows

PARTS = {
    "morning": range(6, 12),
    "afternoon": range(12, 18),
    "evening": range(18, 24),
    "night": range(0, 6),
}
CHECKIN_TIME_PAGES = frozenset({"ctime", "chours", "cminutes", "mtime", "mhours", "mminutes"})
Change = callbacks.ChangeSetting
Page = callbacks.ShowSettings


def tags_label(content: Content, choices: Choices, language: str) -> str:
    chosen = [t for t in content.tip_tags if t not in choices.tip_tags_off]
    if len(chosen) == len(content.tip_tags):
        return content.text("value_all_tags", language)
    if not chosen:
        return content.text("value_no_tags", language)
    return ", ".join(content.text(f"tip_tag_{t}", language) for t in chosen)


def settings_page(
    content: Content,
    page: str,
    choices: Choices,
    language: str,
    today: date,
    saved: bool = False,
) -> Screen:
    text, rows = _PAGES[page.split("_")[0]](content, page, choices, language, today)
    if saved:
        text = f"{content.text('settings_saved', language)}\n\n{text}"
    parent = "checkin" if page.split("_")[0] in CHECKIN_TIME_PAGES else "main"
    back_target = callbacks.ShowTopic(ROOT_TOPIC) if page == "main" else Page(parent)
    back_key = "button_main" if page == "main" else "button_settings_back"
    rows.append([button(content.text(back_key, language), back_target)])
    return Screen(text, InlineKeyboardMarkup(rows))


Rows = list[list[InlineKeyboardButton]]


def _main(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    def on_off(value: bool) -> str:
        return content.text("value_on" if value else "value_off", lang)

    text = (
        content.text("settings_title", lang)
        + "\n\n"
        + content.text(
            "settings_summary",
            lang,
            tips=on_off(s.tips_enabled),
            time=clock_time(s.tip_minute),
            days=days_label(content, s.tip_weekdays, lang),
            tags=tags_label(content, s, lang),
            zone=s.timezone,
            silent=on_off(s.silent),
        )
    )
    if s.paused_on(today) and s.paused_until is not None:
        last_day = date.fromordinal(s.paused_until.toordinal() - 1)
        text += "\n" + content.text(
            "settings_paused", lang, date=day_label(content, last_day, lang)
        )
    t = content.text
    pause = (
        button(t("button_resume", lang), Change("resume", "now"))
        if s.paused_on(today)
        else button(t("button_pause", lang), Page("pause"))
    )
    return text, pack_rows(
        [
            button(
                t("button_tips_off" if s.tips_enabled else "button_tips_on", lang),
                Change("tips", "off" if s.tips_enabled else "on"),
            ),
            button(t("button_time", lang), Page("time")),
            button(t("button_days", lang), Page("days")),
            button(t("button_tags", lang), Page("tags")),
            button(t("button_zone", lang), Page("zone")),
            pause,
            button(
                t("button_silent_off" if s.silent else "button_silent_on", lang),
                Change("silent", "off" if s.silent else "on"),
            ),
            button(t("button_language", lang), callbacks.ChooseLanguage()),
            button(t("button_checkin_settings", lang), Page("checkin")),
        ]
    )


def _checkin(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    t = content.text
    text = t(
        "settings_checkin",
        lang,
        state=t("value_on" if s.checkin_enabled else "value_off", lang),
        time=clock_time(s.checkin_minute),
        days=days_label(content, s.checkin_weekdays, lang),
    )
    toggle = button(
        t("button_checkin_off" if s.checkin_enabled else "button_checkin_on", lang),
        Change("checkin", "off" if s.checkin_enabled else "on"),
    )
    presets = [
        button(
            t(f"value_{key}" if key != "every" else "value_every_day", lang),
            Change("checkin_days", key),
        )
        for key in ("every", "weekdays", "weekend")
    ]
    text += "\n" + t(
        "settings_morning",
        lang,
        state=t("value_on" if s.morning_enabled else "value_off", lang),
        time=clock_time(s.morning_minute),
    )
    morning = button(
        t("button_morning_off" if s.morning_enabled else "button_morning_on", lang),
        Change("morning", "off" if s.morning_enabled else "on"),
    )
    morning_time = button(t("button_morning_time", lang), Page("mtime"))
    return text, [
        [toggle],
        [button(t("button_time", lang), Page("ctime"))],
        presets,
        [morning],
        [morning_time],
    ]


def _prefix(page: str) -> str:
    """Time pages serve tips ("time", "hours_…"), check-ins ("ctime", …) and the morning
    question ("mtime", …)."""
    return page[0] if page.split("_")[0] in CHECKIN_TIME_PAGES else ""


def _time(content: Content, page: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    prefix = _prefix(page)
    parts = [button(content.text(f"part_{p}", lang), Page(f"{prefix}hours_{p}")) for p in PARTS]
    return content.text("settings_pick_part", lang), [[b] for b in parts]


def _hours(content: Content, page: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    prefix = _prefix(page)
    hours = [button(f"{h:02d}:00", Page(f"{prefix}minutes_{h}")) for h in PARTS[page.split("_")[1]]]
    return content.text("settings_pick_hour", lang), [hours[:3], hours[3:]]


def _minutes(content: Content, page: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    hour = int(page.split("_")[1])
    if not 0 <= hour < 24:
        raise KeyError(page)
    name = {"c": "checkin_time", "m": "morning_time"}.get(_prefix(page), "time")
    times = [button(f"{hour:02d}:{m:02d}", Change(name, f"{hour:02d}{m:02d}")) for m in QUARTERS]
    return content.text("settings_pick_minute", lang), [times[:2], times[2:]]


def _days(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    presets = [
        button(
            content.text(f"value_{key}" if key != "every" else "value_every_day", lang),
            Change("days", key),
        )
        for key in ("every", "weekdays", "weekend")
    ]
    pick = button(content.text("button_pick_days", lang), Page("pickdays"))
    return content.text("settings_pick_days", lang), [[b] for b in [*presets, pick]]


def _pickdays(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    names = content.text("day_names", lang).split(",")
    days = [button(_ticked(names[d], d in s.tip_weekdays), Change("day", str(d))) for d in range(7)]
    return content.text("settings_toggle_days", lang), [days[:4], days[4:]]


def _tags(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    tags = [
        button(
            _ticked(content.text(f"tip_tag_{t}", lang), t not in s.tip_tags_off), Change("tag", t)
        )
        for t in content.tip_tags
    ]
    return content.text("settings_pick_tags", lang), [[b] for b in tags]


def _zone(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    zones = [button(_ticked(z, z == s.timezone), Change("zone", zone_key(z))) for z in COMMON_ZONES]
    typed = button(content.text("button_type_zone", lang), callbacks.AskTimezone())
    return content.text("settings_pick_zone", lang), [*pack_rows(zones), [typed]]


def _pause(content: Content, _: str, s: Choices, lang: str, today: date) -> tuple[str, Rows]:
    choices = [
        button(content.text("pause_days", lang, days=str(d)), Change("pause", str(d)))
        for d in PAUSE_DAYS
    ]
    return content.text("settings_pick_pause", lang), [choices[:2], choices[2:]]


def _ticked(label: str, on: bool) -> str:
    return f"✅ {label}" if on else label


_PAGES: dict[str, Callable[[Content, str, Choices, str, date], tuple[str, Rows]]] = {
    "main": _main,
    "time": _time,
    "hours": _hours,
    "minutes": _minutes,
    "days": _days,
    "pickdays": _pickdays,
    "tags": _tags,
    "zone": _zone,
    "pause": _pause,
    "checkin": _checkin,
    "ctime": _time,
    "chours": _hours,
    "cminutes": _minutes,
    "mtime": _time,
    "mhours": _hours,
    "mminutes": _minutes,
}
