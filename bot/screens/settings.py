"""The pages of /instellingen, rendered from the user's Choices.

Pages without parameters are `ShowSettings(page)`; choosing a time is three typed
steps (`PickPart` → `PickHour` → `PickMinute`) for tips, the check-in or the morning
question. `page_after(change)` says which page a change returns to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import ROOT_TOPIC, Texts
from bot.domain import changes
from bot.domain.changes import DAY_PARTS, DAY_PRESETS, PAUSE_DAYS, QUARTERS
from bot.domain.choices import COMMON_ZONES, Choices
from bot.domain.zones import zone_key
from bot.screens import Screen
from bot.screens.dates import PRESET_LABELS, clock_time, day_label, days_label
from bot.screens.keyboards import button, pack_rows
from bot.services.zone_names import zone_label

Rows = list[list[InlineKeyboardButton]]
SettingsPage = (
    callbacks.ShowSettings | callbacks.PickPart | callbacks.PickHour | callbacks.PickMinute
)
Page = callbacks.ShowSettings
BACK_LABELS: dict[SettingsPage, str] = {
    Page("main"): "button_settings_back",
    Page("checkin"): "button_checkin_back",
}  # any other page goes back with the plain "⬅️ Terug"


def settings_page(
    texts: Texts, page: SettingsPage, choices: Choices, today: date, saved: bool = False
) -> Screen:
    if isinstance(page, callbacks.ShowSettings):
        text, rows = PAGES[page.page](texts, choices, today)
    else:
        text, rows = _time_step(texts, page)
    if saved:
        text = f"{texts('settings_saved')}\n\n{text}"
    if page == Page("main"):
        back = button(texts("button_main"), callbacks.ShowTopic(ROOT_TOPIC))
    else:
        parent = _parent(page)
        back = button(texts(BACK_LABELS.get(parent, "button_back")), parent)
    rows.append([back])
    return Screen(text, InlineKeyboardMarkup(rows))


def page_after(change: changes.Change) -> Page:
    """Toggles stay on their own page; the check-in's settings on the check-in page."""
    if isinstance(change, changes.ToggleDay):
        return Page("pickdays")
    if isinstance(change, changes.ToggleTag):
        return Page("tags")
    checkin = ("checkin", "morning")
    if isinstance(change, changes.Switch) and change.what in checkin:
        return Page("checkin")
    if isinstance(change, changes.SetTime | changes.SetDays) and change.target in checkin:
        return Page("checkin")
    return Page("main")


def _parent(page: SettingsPage) -> SettingsPage:
    """One step back: minutes → hour → part of the day → the page the time belongs to."""
    if isinstance(page, callbacks.PickMinute):
        part = next(p for p, hours in DAY_PARTS.items() if page.hour in hours)
        return callbacks.PickHour(page.target, part)
    if isinstance(page, callbacks.PickHour):
        return callbacks.PickPart(page.target)
    if page == Page("pickdays"):
        return Page("days")
    if isinstance(page, callbacks.ShowSettings) or page.target == "tips":
        return Page("main")
    return Page("checkin")


def _on_off(texts: Texts, value: bool) -> str:
    return texts("value_on" if value else "value_off")


def _switch(texts: Texts, what: changes.Switchable, on: bool) -> InlineKeyboardButton:
    """A switch shows its state on its own button (✅ on, ⬜ off); a tap flips it."""
    return button(_ticked(texts(f"switch_{what}"), on), changes.Switch(what, not on))


def tags_label(texts: Texts, choices: Choices) -> str:
    all_tags = texts.content.tip_tags
    chosen = [t for t in all_tags if t not in choices.tip_tags_off]
    if len(chosen) == len(all_tags):
        return texts("value_all_tags")
    if not chosen:
        return texts("value_no_tags")
    return ", ".join(texts(f"tip_tag_{t}") for t in chosen)


def _main(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    summary = texts(
        "settings_summary",
        tips=_on_off(texts, s.tips_enabled),
        time=clock_time(s.tip_minute),
        days=days_label(texts, s.tip_weekdays),
        tags=tags_label(texts, s),
        zone=zone_label(s.timezone, texts.language),
        silent=_on_off(texts, s.silent),
    )
    text = f"{texts('settings_title')}\n\n{summary}"
    if s.paused_on(today) and s.paused_until is not None:
        last_day = date.fromordinal(s.paused_until.toordinal() - 1)
        text += "\n" + texts("settings_paused", date=day_label(texts, last_day))
    pause = (
        button(texts("button_resume"), changes.Resume())
        if s.paused_on(today)
        else button(texts("button_pause"), Page("pause"))
    )
    return text, pack_rows(
        [
            _switch(texts, "tips", s.tips_enabled),
            button(texts("button_time"), callbacks.PickPart("tips")),
            button(texts("button_days"), Page("days")),
            button(texts("button_tags"), Page("tags")),
            button(texts("button_zone"), Page("zone")),
            pause,
            _switch(texts, "silent", s.silent),
            button(texts("button_language"), callbacks.ChooseLanguage()),
            button(texts("button_checkin_settings"), Page("checkin")),
        ]
    )


def _checkin(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    text = texts(
        "settings_checkin",
        state=_on_off(texts, s.checkin_enabled),
        time=clock_time(s.checkin_minute),
        days=days_label(texts, s.checkin_weekdays),
    )
    text += "\n" + texts(
        "settings_morning",
        state=_on_off(texts, s.morning_enabled),
        time=clock_time(s.morning_minute),
    )
    return text, [
        [_switch(texts, "checkin", s.checkin_enabled)],
        [button(texts("button_time"), callbacks.PickPart("checkin"))],
        _presets(texts, "checkin", s.checkin_weekdays),
        [_switch(texts, "morning", s.morning_enabled)],
        [button(texts("button_morning_time"), callbacks.PickPart("morning"))],
        [button(texts("button_report_name"), callbacks.ReportName(clear=False))],
    ]


def _presets(
    texts: Texts, target: Literal["tips", "checkin"], chosen: frozenset[int]
) -> list[InlineKeyboardButton]:
    """Every day, weekdays, weekend; the one in use is marked ✅."""
    return [
        button(
            _chosen(texts(label), DAY_PRESETS[preset] == chosen), changes.SetDays(target, preset)
        )
        for preset, label in PRESET_LABELS.items()
    ]


def _time_step(
    texts: Texts, page: callbacks.PickPart | callbacks.PickHour | callbacks.PickMinute
) -> tuple[str, Rows]:
    """Part of the day → hour → quarter, for whichever time is being chosen."""
    if isinstance(page, callbacks.PickPart):
        parts = [
            button(texts(f"part_{part}"), callbacks.PickHour(page.target, part))
            for part in DAY_PARTS
        ]
        return texts("settings_pick_part"), [[b] for b in parts]
    if isinstance(page, callbacks.PickHour):
        hours = [
            button(f"{h:02d}:00", callbacks.PickMinute(page.target, h))
            for h in DAY_PARTS[page.part]
        ]
        return texts("settings_pick_hour"), [hours[:3], hours[3:]]
    start = page.hour * 60
    times = [
        button(clock_time(start + m), changes.SetTime(page.target, start + m)) for m in QUARTERS
    ]
    return texts("settings_pick_minute"), [times[:2], times[2:]]


def _days(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    pick = button(texts("button_pick_days"), Page("pickdays"))
    presets = _presets(texts, "tips", s.tip_weekdays)
    return texts("settings_pick_days"), [[b] for b in [*presets, pick]]


def _pickdays(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    names = texts.words("day_names")
    days = [button(_ticked(names[d], d in s.tip_weekdays), changes.ToggleDay(d)) for d in range(7)]
    return texts("settings_toggle_days"), [days[:4], days[4:]]


def _tags(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    tags = [
        button(_ticked(texts(f"tip_tag_{t}"), t not in s.tip_tags_off), changes.ToggleTag(t))
        for t in texts.content.tip_tags
    ]
    return texts("settings_pick_tags"), [[b] for b in tags]


def _zone(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    typed = button(texts("button_type_zone"), callbacks.AskTimezone())
    return texts("settings_pick_zone"), [*zone_buttons(texts, COMMON_ZONES, s.timezone), [typed]]


def zone_buttons(texts: Texts, zones: Sequence[str], current: str) -> Rows:
    """Zones by the city people know them by ("Londen", not "Europe/London")."""
    return pack_rows([_zone_button(texts, z, z == current) for z in zones])


def _zone_button(texts: Texts, zone: str, chosen: bool) -> InlineKeyboardButton:
    return button(
        _chosen(zone_label(zone, texts.language), chosen), changes.SetZone(zone_key(zone))
    )


def zone_choice(texts: Texts, zones: Sequence[str], current: str) -> Screen:
    """A typed name that stands for several zones (a country): which one?"""
    back = button(texts("button_settings_back"), Page("main"))
    rows = [*zone_buttons(texts, zones, current), [back]]
    return Screen(texts("zone_which"), InlineKeyboardMarkup(rows))


def _pause(texts: Texts, s: Choices, today: date) -> tuple[str, Rows]:
    options = [button(texts("pause_days", count=d), changes.Pause(d)) for d in PAUSE_DAYS]
    return texts("settings_pick_pause"), [options[:2], options[2:]]


def _ticked(label: str, on: bool) -> str:
    """A toggle: ✅ on, ⬜ off, so the state is on the button either way."""
    return f"{'✅' if on else '⬜'} {label}"


def _chosen(label: str, chosen: bool) -> str:
    """One of a choice (a preset, a zone): only the chosen one is marked."""
    return f"✅ {label}" if chosen else label


PAGES: dict[str, Callable[[Texts, Choices, date], tuple[str, Rows]]] = {
    "main": _main,
    "days": _days,
    "pickdays": _pickdays,
    "tags": _tags,
    "zone": _zone,
    "pause": _pause,
    "checkin": _checkin,
}
