"""Inline keyboards, built from the content tree, never by hand per screen.

Big, clear buttons: short labels share a row in pairs, long labels get a row of
their own, and every screen below the main menu ends with Back and Main menu.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.content import LANGUAGES, ROOT_TOPIC, Texts, Topic

PAIR_MAX_CHARS = 16  # labels up to this length may share a row on a phone


def button(label: str, data: callbacks.CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.encode(data))


def pack_rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Short labels share a row in pairs; a long label gets a row of its own."""
    rows: list[list[InlineKeyboardButton]] = []
    for item in buttons:
        last = rows[-1] if rows else None
        if (
            last is not None
            and len(last) == 1
            and len(last[0].text) <= PAIR_MAX_CHARS
            and len(item.text) <= PAIR_MAX_CHARS
        ):
            last.append(item)
        else:
            rows.append([item])
    return rows


def topic_buttons(texts: Texts, topics: Sequence[Topic]) -> list[InlineKeyboardButton]:
    return [button(texts.pick(t.title), callbacks.ShowTopic(t.id)) for t in topics]


def main_menu_row(texts: Texts) -> list[InlineKeyboardButton]:
    return [button(texts("button_main"), callbacks.ShowTopic(ROOT_TOPIC))]


def navigation_row(texts: Texts, topic: Topic) -> list[InlineKeyboardButton]:
    """Back to the parent, and Main menu when the parent is not the main menu itself."""
    row = [button(texts("button_back"), callbacks.ShowTopic(topic.parent or ROOT_TOPIC))]
    if topic.parent not in (None, ROOT_TOPIC):
        row += main_menu_row(texts)
    return row


ACTION_LABELS: dict[callbacks.Action, str] = {
    "checkin": "action_checkin",
    "overview": "action_overview",
    "settings": "action_settings",
    "help": "action_help",
}  # the main menu's first rows: the daily actions, one tap away


def topic_keyboard(texts: Texts, topic: Topic) -> InlineKeyboardMarkup:
    children = [texts.content.topics[child] for child in topic.children]
    rows = pack_rows(topic_buttons(texts, children))
    if topic.id == ROOT_TOPIC:
        actions = [button(texts(k), callbacks.RunAction(a)) for a, k in ACTION_LABELS.items()]
        rows = [actions[:2], actions[2:], *rows]
        rows.append([button(texts("button_language"), callbacks.ChooseLanguage())])
    else:
        rows.append(navigation_row(texts, topic))
    return InlineKeyboardMarkup(rows)


def export_button(texts: Texts) -> InlineKeyboardMarkup:
    """Under the overview chart: the files for the doctor and the next appointment, one
    tap away."""
    return InlineKeyboardMarkup(
        [
            [button(texts("action_export"), callbacks.RunAction("export"))],
            [button(texts("action_appointment"), callbacks.RunAction("appointment"))],
            main_menu_row(texts),
        ]
    )


def main_menu_button(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([main_menu_row(texts)])


def search_keyboard(texts: Texts, found: Sequence[Topic]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*([b] for b in topic_buttons(texts, found)), main_menu_row(texts)])


def with_more_hits(
    texts: Texts, keyboard: InlineKeyboardMarkup | None, more: Sequence[Topic]
) -> InlineKeyboardMarkup:
    """A topic's own keyboard with the other search hits (🔎) above its Back/Main row."""
    rows = [list(row) for row in keyboard.inline_keyboard] if keyboard else []
    hits = [button(f"🔎 {texts.pick(t.title)}", callbacks.ShowTopic(t.id)) for t in more]
    return InlineKeyboardMarkup([*rows[:-1], *([b] for b in hits), *rows[-1:]])


def language_keyboard(texts: Texts) -> InlineKeyboardMarkup:
    choices = [
        button(texts(f"language_name_{code}"), callbacks.SetLanguage(code)) for code in LANGUAGES
    ]
    back = button(texts("button_back"), callbacks.ShowTopic(ROOT_TOPIC))
    return InlineKeyboardMarkup([choices, [back]])
