"""Loads `content/` once and validates it: the bot refuses to start on broken content.

Layout: `content/topics/*.yaml` (the menu tree, one list of topics per file),
`content/ui.yaml` (every other user-facing text) and `content/rules.yaml`
(medical-safety rules the texts must follow). See docs/content.md.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import callbacks
from bot.html_check import html_problems, plain_text

LANGUAGES = callbacks.LANGUAGES
ROOT_TOPIC = "main"
MAX_TAPS = 3
MAX_CHILDREN = 8
MAX_TITLE_CHARS = 32
MAX_SCREEN_CHARS = 1500  # readable on a phone; Telegram's own limit is 4096
TELEGRAM_MAX_CHARS = 4096


class ContentError(Exception):
    """Content is broken; `problems` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Topic:
    id: str
    source: str
    title: dict[str, str]
    body: dict[str, str]
    children: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]
    parent: str | None = None


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    ui: dict[str, dict[str, str]]

    @property
    def root(self) -> Topic:
        return self.topics[ROOT_TOPIC]

    def text(self, key: str, language: str, **values: str) -> str:
        """A UI text in the user's language with its placeholders filled in."""
        return self.ui[key][language].format(**values)

    def depth(self, topic: Topic) -> int:
        """How many taps from the main menu it takes to reach `topic`."""
        taps = 0
        while topic.parent is not None:
            topic, taps = self.topics[topic.parent], taps + 1
        return taps


def load_content(directory: Path) -> Content:
    """Read and validate; raises ContentError listing every problem."""
    problems: list[str] = []
    raw_topics: list[tuple[str, Any]] = []
    for path in sorted((directory / "topics").glob("*.yaml")):
        entries = _read_yaml(path, problems)
        if entries is not None and not isinstance(entries, list):
            problems.append(f"{path.name}: must be a list of topics")
            continue
        raw_topics.extend((path.name, entry) for entry in entries or [])
    topics = _parse_topics(raw_topics, problems)
    ui = _parse_ui(_read_yaml(directory / "ui.yaml", problems), problems)
    content = Content(topics=_link_parents(topics, problems), ui=ui)
    _check_tree(content, problems)
    _check_rules(content, _read_yaml(directory / "rules.yaml", problems), problems)
    if problems:
        raise ContentError(problems)
    return content


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot be read: {str(exc).splitlines()[0]}")
        return None


def _per_language(where: str, value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{where}: needs a text per language ({', '.join(LANGUAGES)})")
        return {}
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: missing {language!r} text")
            continue
        texts[language] = text.strip()
        problems.extend(f"{where} [{language}]: {p}" for p in html_problems(text))
    return texts


def _parse_topics(raw: list[tuple[str, Any]], problems: list[str]) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for file_name, entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"{file_name}: a topic without an id")
            continue
        topic_id, where = entry["id"], f"{file_name}: topic {entry['id']!r}"
        if topic_id in topics:
            problems.append(f"{where}: duplicate id")
        try:
            callbacks.encode(callbacks.ShowTopic(topic_id))
        except ValueError as exc:
            problems.append(f"{where}: id unusable as button data ({exc})")
        if not isinstance(entry.get("source"), str) or not entry["source"].strip():
            problems.append(f"{where}: 'source' must name the part of the seed page")
        keywords = entry.get("keywords") or {}
        topics[topic_id] = Topic(
            id=topic_id,
            source=str(entry.get("source", "")),
            title=_per_language(f"{where} title", entry.get("title"), problems),
            body=_per_language(f"{where} body", entry.get("body"), problems),
            children=tuple(entry.get("children") or ()),
            keywords={
                lang: tuple(str(k).lower() for k in keywords.get(lang) or ()) for lang in LANGUAGES
            },
        )
    return topics


def _parse_ui(raw: Any, problems: list[str]) -> dict[str, dict[str, str]]:
    if not isinstance(raw, dict):
        problems.append("ui.yaml: must map text keys to texts")
        return {}
    ui: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        ui[key] = _per_language(f"ui.yaml: {key!r}", value, problems)
        fields = [_placeholders(text) for text in ui[key].values()]
        if any(f != fields[0] for f in fields):
            problems.append(f"ui.yaml: {key!r}: languages use different placeholders")
    return ui


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _link_parents(topics: dict[str, Topic], problems: list[str]) -> dict[str, Topic]:
    parents: dict[str, str] = {}
    for topic in topics.values():
        for child in topic.children:
            if child not in topics:
                problems.append(f"topic {topic.id!r}: child {child!r} does not exist")
            elif child in parents:
                problems.append(
                    f"topic {child!r}: listed under both {parents[child]!r} and {topic.id!r}"
                )
            else:
                parents[child] = topic.id
    return {tid: _with_parent(t, parents.get(tid)) for tid, t in topics.items()}


def _with_parent(topic: Topic, parent: str | None) -> Topic:
    return Topic(**{**topic.__dict__, "parent": parent})


def _check_tree(content: Content, problems: list[str]) -> None:
    if ROOT_TOPIC not in content.topics:
        problems.append(f"there is no root topic {ROOT_TOPIC!r}")
        return
    for topic in content.topics.values():
        if topic.id != ROOT_TOPIC and topic.parent is None:
            problems.append(f"topic {topic.id!r}: not reachable from the main menu")
        elif _has_cycle(content, topic):
            problems.append(f"topic {topic.id!r}: is its own ancestor")
            continue
        elif content.depth(topic) > MAX_TAPS:
            problems.append(f"topic {topic.id!r}: needs more than {MAX_TAPS} taps")
        if len(topic.children) > MAX_CHILDREN:
            problems.append(f"topic {topic.id!r}: more than {MAX_CHILDREN} buttons")
        for language in LANGUAGES:
            _check_lengths(topic, language, problems)


def _has_cycle(content: Content, topic: Topic) -> bool:
    seen = {topic.id}
    while topic.parent is not None and topic.parent in content.topics:
        topic = content.topics[topic.parent]
        if topic.id in seen:
            return True
        seen.add(topic.id)
    return False


def _check_lengths(topic: Topic, language: str, problems: list[str]) -> None:
    title, body = topic.title.get(language, ""), topic.body.get(language, "")
    if len(plain_text(title)) > MAX_TITLE_CHARS:
        problems.append(f"topic {topic.id!r} [{language}]: title over {MAX_TITLE_CHARS} chars")
    if len(plain_text(body)) > MAX_SCREEN_CHARS:
        problems.append(f"topic {topic.id!r} [{language}]: body over {MAX_SCREEN_CHARS} chars")


def _check_rules(content: Content, rules: Any, problems: list[str]) -> None:
    """Medical-safety rules from rules.yaml: required words in named topics (and subtrees)."""
    for rule in (rules or {}).get("must_mention", []):
        if not {"name", "words"} <= set(rule) or set(rule["words"]) != set(LANGUAGES):
            problems.append(f"rules.yaml: rule {rule!r} needs a name and words per language")
            continue
        targets = set(rule.get("topics", []))
        for root in rule.get("subtrees", []):
            targets |= {t.id for t in content.topics.values() if _in_subtree(content, t, root)}
        for topic_id in sorted(targets):
            topic = content.topics.get(topic_id)
            if topic is None:
                problems.append(f"rules.yaml: {rule['name']}: no topic {topic_id!r}")
                continue
            for language in LANGUAGES:
                body = topic.body.get(language, "").lower()
                if not any(word.lower() in body for word in rule["words"][language]):
                    problems.append(
                        f"topic {topic_id!r} [{language}]: {rule['name']} — mention one of "
                        f"{', '.join(rule['words'][language])}"
                    )


def _in_subtree(content: Content, topic: Topic, root: str) -> bool:
    current: Topic | None = topic
    for _ in range(len(content.topics)):  # bounded: a broken tree may contain a loop
        if current is None:
            return False
        if current.id == root:
            return True
        current = content.topics.get(current.parent) if current.parent else None
    return False
