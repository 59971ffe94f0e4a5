"""Validation of the loaded content: tree shape, lengths, and the medical-safety rules."""

from __future__ import annotations

from typing import Any

from bot.content.html_check import plain_text
from bot.content.model import LANGUAGES, ROOT_TOPIC, Content, Topic

MAX_TAPS = 3
MAX_CHILDREN = 8
MAX_TITLE_CHARS = 32
MAX_SCREEN_CHARS = 1500  # readable on a phone; Telegram's own limit is 4096
MAX_TIP_CHARS = 400
MAX_LABEL_CHARS = 40  # a check-in trigger on a row of its own, whole on a phone
TELEGRAM_LIMITS = {"bot_description": 512, "bot_short_description": 120}  # setMy*Description


def check_tree(content: Content, problems: list[str]) -> None:
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


def check_telegram_limits(content: Content, problems: list[str]) -> None:
    """Texts Telegram itself stores have its limits (and no HTML)."""
    for key, most in TELEGRAM_LIMITS.items():
        for language, text in content.ui.get(key, {}).items():
            if len(text) > most:
                problems.append(
                    f"ui.yaml: {key!r} [{language}]: {len(text)} characters, at most {most}"
                )
            if "<" in text:
                problems.append(f"ui.yaml: {key!r} [{language}]: Telegram shows it as plain text")


def check_tips(content: Content, problems: list[str]) -> None:
    for tip in content.tips.values():
        if tip.topic not in content.topics:
            problems.append(f"tip {tip.id!r}: topic {tip.topic!r} does not exist")
        for language, text in tip.text.items():
            if len(plain_text(text)) > MAX_TIP_CHARS:
                problems.append(f"tip {tip.id!r} [{language}]: over {MAX_TIP_CHARS} chars")
    for trigger in content.checkin_triggers.values():
        if trigger.topic not in content.topics:
            problems.append(
                f"check-in trigger {trigger.id!r}: topic {trigger.topic!r} does not exist"
            )
        for language, label in trigger.label.items():
            if len(plain_text(label)) > MAX_LABEL_CHARS:
                problems.append(
                    f"check-in trigger {trigger.id!r} [{language}]: label over {MAX_LABEL_CHARS}"
                )
    if "privacy_text" not in content.ui:
        problems.append("ui.yaml: 'privacy_text' (what check-ins store) is missing")
    for tag in content.tip_tags:
        if f"tip_tag_{tag}" not in content.ui:
            problems.append(f"tip tag {tag!r}: ui.yaml needs a label 'tip_tag_{tag}'")


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


def check_rules(content: Content, rules: Any, problems: list[str]) -> None:
    """Medical-safety rules from rules.yaml: required words in named topics (and subtrees)
    and in every tip that points to one of those topics, or in named UI texts. A rule
    with `all: true` needs every word, otherwise one of them."""
    for rule in (rules or {}).get("must_mention", []):
        if not {"name", "words"} <= set(rule) or set(rule["words"]) != set(LANGUAGES):
            problems.append(f"rules.yaml: rule {rule!r} needs a name and words per language")
            continue
        targets = set(rule.get("topics", []))
        for root in rule.get("subtrees", []):
            targets |= {t.id for t in content.topics.values() if _in_subtree(content, t, root)}
        for topic_id in sorted(targets - set(content.topics)):
            problems.append(f"rules.yaml: {rule['name']}: no topic {topic_id!r}")
        texts = [
            (f"topic {t!r}", content.topics[t].body) for t in sorted(targets & set(content.topics))
        ]
        texts += [
            (f"tip {tip.id!r}", tip.text) for tip in content.tips.values() if tip.topic in targets
        ]
        for key in rule.get("ui", []):
            if key not in content.ui:
                problems.append(f"rules.yaml: {rule['name']}: no text {key!r}")
            texts.append((f"text {key!r}", content.ui.get(key, {})))
        need = all if rule.get("all") else any
        for where, text in texts:
            for language in LANGUAGES:
                lowered = text.get(language, "").lower()
                if not need(word.lower() in lowered for word in rule["words"][language]):
                    problems.append(
                        f"{where} [{language}]: {rule['name']} — mention "
                        f"{'all' if rule.get('all') else 'one'} of "
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


FILL_IN_MARKERS = ("[INVULLEN", "[FILL IN")  # what the operator must still replace


def content_warnings(content: Content) -> list[str]:
    """What is not broken but not finished: a topic field that still says "[INVULLEN: …]"
    (the about screen's checked date and checker). `check-content` lists these without
    failing; the operator fills them in before giving the bot to patients."""
    warnings: list[str] = []
    for topic in content.topics.values():
        for name, values in topic.fields.items():
            for language, value in values.items():
                if any(marker in value.upper() for marker in FILL_IN_MARKERS):
                    warnings.append(
                        f"topic {topic.id!r}: field {name!r} [{language}] still says "
                        f"{value!r}: fill it in (content/topics/)"
                    )
    return warnings
