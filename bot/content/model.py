"""The content the bot shows, as loaded from `content/` (see docs/content.md)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import LANGUAGES

__all__ = ["LANGUAGES", "ROOT_TOPIC", "Content", "ContentError", "Tip", "Topic"]

ROOT_TOPIC = "main"


class ContentError(Exception):
    """Content is broken; `problems` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Topic:
    """One menu screen; `children` are its buttons, `parent` where Back goes."""

    id: str
    source: str
    title: dict[str, str]
    body: dict[str, str]
    children: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]
    parent: str | None = None


@dataclass(frozen=True)
class Tip:
    """One daily self-help tip; `topic` is the menu screen with more about it."""

    id: str
    tag: str
    topic: str
    text: dict[str, str]


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    ui: dict[str, dict[str, str]]
    tips: dict[str, Tip]

    @property
    def root(self) -> Topic:
        return self.topics[ROOT_TOPIC]

    @property
    def tip_tags(self) -> tuple[str, ...]:
        """The tags users can pick tips by, in the order the tips file introduces them."""
        return tuple(dict.fromkeys(tip.tag for tip in self.tips.values()))

    def text(self, key: str, language: str, **values: str) -> str:
        """A UI text in the user's language with its placeholders filled in."""
        return self.ui[key][language].format(**values)

    def depth(self, topic: Topic) -> int:
        """How many taps from the main menu it takes to reach `topic`."""
        taps = 0
        while topic.parent is not None:
            topic, taps = self.topics[topic.parent], taps + 1
        return taps
