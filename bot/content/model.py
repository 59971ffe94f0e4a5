"""The content the bot shows, as loaded from `content/` (see docs/content.md)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

ROOT_TOPIC = "main"
Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
# Ids of topics, tips, subjects and triggers travel in button data (bot.callbacks).
ID_PATTERN = re.compile(r"[a-z0-9_]{1,32}")


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
    # `fields:` in the topic file: values per language the operator fills in (the source,
    # when and by whom it was checked), already put into `body` where it says {name}
    fields: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Tip:
    """One daily self-help tip; `topic` is the menu screen with more about it."""

    id: str
    tag: str
    topic: str
    text: dict[str, str]


@dataclass(frozen=True)
class CheckinTrigger:
    """A trigger the check-in asks about; `line` comes from the linked topic's facts."""

    id: str
    topic: str
    red_flag: bool  # fever, infection, relapse: the reply advises contacting GP or MS nurse
    label: dict[str, str]
    line: dict[str, str]
    legacy: bool = False  # stored by an older version: shown with its meaning, never asked


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    ui: dict[str, dict[str, str]]
    tips: dict[str, Tip]
    checkin_triggers: dict[str, CheckinTrigger] = field(default_factory=dict)
    # urgent.yaml: per tier (emergency, crisis, same_day) the phrases of both languages
    urgent_phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # ui texts with a form for one and for more ("1 dag", "3 dagen"): (one, other)
    plurals: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    @property
    def root(self) -> Topic:
        return self.topics[ROOT_TOPIC]

    @property
    def tip_tags(self) -> tuple[str, ...]:
        """The tags users can pick tips by, in the order the tips file introduces them."""
        return tuple(dict.fromkeys(tip.tag for tip in self.tips.values()))

    def text(self, key: str, language: str, count: int | None = None, **values: str) -> str:
        """A UI text in the user's language with its placeholders filled in; a plural text
        takes `count` and picks its form ("1 dag", "3 dagen")."""
        if count is None:
            return self.ui[key][language].format(**values)
        one, other = self.plurals[key][language]
        return (one if count == 1 else other).format(count=str(count), **values)

    def texts(self, language: str) -> Texts:
        """The content bound to one language, for rendering a screen."""
        return Texts(self, language)

    @property
    def privacy_version(self) -> str:
        """Changes whenever the privacy text changes, so consent is asked again."""
        text = "\n".join(self.ui["privacy_text"][lang] for lang in LANGUAGES)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def depth(self, topic: Topic) -> int:
        """How many taps from the main menu it takes to reach `topic`."""
        taps = 0
        while topic.parent is not None:
            topic, taps = self.topics[topic.parent], taps + 1
        return taps


@dataclass(frozen=True)
class Texts:
    """The content in one language, so screens need not pass `language` everywhere:
    `texts("settings_saved")`, `texts.pick(topic.title)`, `texts.words("day_names")`."""

    content: Content
    language: str

    def __call__(self, key: str, count: int | None = None, **values: str) -> str:
        return self.content.text(key, self.language, count, **values)

    def pick(self, localized: dict[str, str]) -> str:
        """The user's language out of a {language: text} field of a topic, tip or trigger."""
        return localized[self.language]

    def words(self, key: str) -> list[str]:
        """A comma-separated list text (month names, day names)."""
        return self(key).split(",")
