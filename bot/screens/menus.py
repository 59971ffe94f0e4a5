"""The menus: topic screens, the main menu, welcome, help, language and search."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.content import Texts, Topic
from bot.domain.urgency import Tier
from bot.screens import Screen, keyboards


def topic_screen(texts: Texts, topic: Topic) -> Screen:
    text = f"<b>{texts.pick(topic.title)}</b>\n\n{texts.pick(topic.body)}"
    return Screen(text, keyboards.topic_keyboard(texts, topic))


def main_menu(texts: Texts, intro: str | None = None) -> Screen:
    """The main menu, optionally after a line that explains why it is shown."""
    screen = topic_screen(texts, texts.content.root)
    if intro is None:
        return screen
    return Screen(f"{intro}\n\n{screen.text}", screen.keyboard)


def welcome(texts: Texts, first_name: str, *, stores_checkins: bool) -> Screen:
    """Hello, what the bot is, and what it stores about this user (check-ins only if so)."""
    privacy = texts("privacy_short")
    if stores_checkins:
        privacy = f"{privacy}\n{texts('privacy_short_checkins')}"
    intro = "\n\n".join([texts("welcome", name=html.escape(first_name)), privacy])
    return Screen(intro, keyboards.topic_keyboard(texts, texts.content.root))


def help_screen(texts: Texts) -> Screen:
    return Screen(texts("help"), keyboards.main_menu_button(texts))


def language_picker(texts: Texts) -> Screen:
    return Screen(texts("language_prompt"), keyboards.language_keyboard(texts))


def search_results(
    texts: Texts, found: Sequence[Topic], urgent: Tier | None = None, *, clear: bool = False
) -> Screen:
    """What was found for a typed question: a clear answer opens at once (the other hits
    as buttons below it), else the hits as buttons. When it may mean danger, the
    urgent-help text comes first (and then the results, or the menu instead of "I don't
    know")."""
    if urgent is not None and not found:
        return main_menu(texts, urgent_help(texts, urgent))
    if found and clear:
        best = topic_screen(texts, found[0])
        keyboard = keyboards.with_more_hits(texts, best.keyboard, found[1:])
        screen = Screen(f"{texts('search_best')}\n\n{best.text}", keyboard)
    elif found:
        screen = Screen(texts("search_results"), keyboards.search_keyboard(texts, found))
    else:
        screen = main_menu(texts, texts("search_nothing"))
    return urgent_first(texts, urgent, screen)


def urgent_help(texts: Texts, tier: Tier) -> str:
    """Who to call now (112), tonight (huisartsenpost), today (GP, MS nurse) or in a crisis
    (113); the only numbers the bot names."""
    return texts(f"urgent_{tier.value}")


def urgent_first(texts: Texts, urgent: Tier | None, screen: Screen) -> Screen:
    if urgent is None:
        return screen
    return Screen(f"{urgent_help(texts, urgent)}\n\n{screen.text}", screen.keyboard)


def notice_with_menu(texts: Texts, key: str) -> Screen:
    """A one-line notice (unknown command, sticker, error...) followed by the main menu."""
    return main_menu(texts, texts(key))
