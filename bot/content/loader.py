"""Loads `content/` once and validates it: the bot refuses to start on broken content.

Layout: `content/topics/*.yaml` (the menu tree, one list of topics per file),
`content/tips.yaml` (the daily tips), `content/ui.yaml` (every other user-facing
text), `content/urgent.yaml` (phrases that get the urgent-help text first) and
`content/rules.yaml` (medical-safety rules the texts must follow).
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import yaml

from bot.content.checks import check_rules, check_telegram_limits, check_tips, check_tree
from bot.content.html_check import html_problems
from bot.content.model import (
    ID_PATTERN,
    LANGUAGES,
    CheckinTrigger,
    Content,
    ContentError,
    Tip,
    Topic,
)


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
    ui, plurals = _parse_ui(_read_yaml(directory / "ui.yaml", problems), problems)
    tips = _parse_tips(_read_yaml(directory / "tips.yaml", problems), problems)
    triggers = _parse_checkin(_read_yaml(directory / "checkin.yaml", problems), problems)
    urgent = _parse_urgent(_read_yaml(directory / "urgent.yaml", problems), problems)
    content = Content(
        topics=_link_parents(topics, problems),
        ui=ui,
        plurals=plurals,
        tips=tips,
        checkin_triggers=triggers,
        urgent_phrases=urgent,
    )
    check_tree(content, problems)
    check_tips(content, problems)
    check_telegram_limits(content, problems)
    check_rules(content, _read_yaml(directory / "rules.yaml", problems), problems)
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
        _check_id(where, topic_id, problems)
        if not isinstance(entry.get("source"), str) or not entry["source"].strip():
            problems.append(f"{where}: 'source' must name the part of the seed page")
        keywords = entry.get("keywords") or {}
        fields = _parse_fields(where, entry.get("fields"), problems)
        body = _per_language(f"{where} body", entry.get("body"), problems)
        topics[topic_id] = Topic(
            id=topic_id,
            source=str(entry.get("source", "")),
            title=_per_language(f"{where} title", entry.get("title"), problems),
            body=_fill_fields(where, body, fields, problems),
            children=tuple(entry.get("children") or ()),
            keywords={
                lang: tuple(str(k).lower() for k in keywords.get(lang) or ()) for lang in LANGUAGES
            },
            fields=fields,
        )
    return topics


FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _parse_fields(where: str, raw: Any, problems: list[str]) -> dict[str, dict[str, str]]:
    """A topic's `fields:` (the operator fills them in): name → one text for both
    languages, or a text per language."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'fields' must map field names to texts")
        return {}
    fields: dict[str, dict[str, str]] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            problems.append(f"{where}: field {name!r}: name it with a-z, 0-9 and _")
            continue
        if isinstance(value, str):
            value = dict.fromkeys(LANGUAGES, value)
        fields[name] = _per_language(f"{where} field {name!r}", value, problems)
    return fields


def _fill_fields(
    where: str, body: dict[str, str], fields: dict[str, dict[str, str]], problems: list[str]
) -> dict[str, str]:
    """The body with every {name} replaced by its field; a {name} without a field, or a
    field no {name} uses, is a problem (write {{ and }} for a brace itself)."""
    filled: dict[str, str] = {}
    for language, text in body.items():
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError:
            problems.append(
                f"{where} body [{language}]: a brace without its pair "
                "(a field is {name}; write {{ or }} for a brace itself)"
            )
            continue
        pieces: list[str] = []
        used: set[str] = set()
        for literal, name, spec, conversion in parts:
            pieces.append(literal)
            if name is None:
                continue
            if name not in fields or spec or conversion:
                problems.append(
                    f"{where} body [{language}]: placeholder {{{name}}} has no field "
                    f"(known: {', '.join(sorted(fields)) or 'none'})"
                )
                continue
            used.add(name)
            pieces.append(fields[name].get(language, ""))
        problems.extend(
            f"{where}: field {name!r} is not used in the {language!r} body"
            for name in sorted(set(fields) - used)
        )
        filled[language] = "".join(pieces)
    return filled


PLURAL_FORMS = ("one", "other")
HALF_PLURAL = re.compile(r"\w\((?:en|s|n|e)\)")  # "dag(en)", "day(s)": write both forms


def _parse_ui(
    raw: Any, problems: list[str]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, tuple[str, str]]]]:
    """The UI texts, and the plural ones: per language `{one: ..., other: ...}`, picked by
    `texts(key, count=n)`; `ui` holds their `other` form (so every check sees it)."""
    if not isinstance(raw, dict):
        problems.append("ui.yaml: must map text keys to texts")
        return {}, {}
    ui: dict[str, dict[str, str]] = {}
    plurals: dict[str, dict[str, tuple[str, str]]] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
            plurals[key] = _plural(f"ui.yaml: {key!r}", value, problems)
            value = {language: forms[1] for language, forms in plurals[key].items()}
        ui[key] = _per_language(f"ui.yaml: {key!r}", value, problems)
        for language, text in ui[key].items():
            if half := HALF_PLURAL.search(text):
                problems.append(
                    f"ui.yaml: {key!r} [{language}]: write one and other forms, not {half[0]!r}"
                )
        fields = [_placeholders(text) for text in ui[key].values()]
        if any(f != fields[0] for f in fields):
            problems.append(f"ui.yaml: {key!r}: languages use different placeholders")
    return ui, plurals


def _plural(where: str, value: dict[str, Any], problems: list[str]) -> dict[str, tuple[str, str]]:
    forms: dict[str, tuple[str, str]] = {}
    for language in LANGUAGES:
        entry = value.get(language)
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(f), str) for f in PLURAL_FORMS
        ):
            problems.append(f"{where} [{language}]: a plural text needs 'one' and 'other'")
            continue
        one, other = (str(entry[f]).strip() for f in PLURAL_FORMS)
        if _placeholders(one) != _placeholders(other) or "count" not in _placeholders(other):
            problems.append(f"{where} [{language}]: both forms need the same {{count}} fields")
        forms[language] = (one, other)
    return forms


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


def _check_id(where: str, item_id: str, problems: list[str]) -> None:
    """Ids travel in button data, so they must fit the callback codec."""
    if not ID_PATTERN.fullmatch(item_id):
        problems.append(f"{where}: id unusable as button data (use a-z, 0-9, _; at most 32)")


def _parse_tips(raw: Any, problems: list[str]) -> dict[str, Tip]:
    if not isinstance(raw, list):
        problems.append("tips.yaml: must be a list of tips")
        return {}
    tips: dict[str, Tip] = {}
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append("tips.yaml: a tip without an id")
            continue
        where = f"tips.yaml: tip {entry['id']!r}"
        if entry["id"] in tips:
            problems.append(f"{where}: duplicate id")
        _check_id(where, entry["id"], problems)
        tag, topic = entry.get("tag"), entry.get("topic")
        if not isinstance(tag, str) or not ID_PATTERN.fullmatch(tag):
            problems.append(f"{where}: 'tag' must be a short lowercase word")
        tips[entry["id"]] = Tip(
            id=entry["id"],
            tag=str(tag),
            topic=str(topic),
            text=_per_language(f"{where} text", entry.get("text"), problems),
        )
    return tips


def _parse_checkin(raw: Any, problems: list[str]) -> dict[str, CheckinTrigger]:
    entries = raw.get("triggers") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        problems.append("checkin.yaml: needs a list 'triggers'")
        return {}
    triggers: dict[str, CheckinTrigger] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append("checkin.yaml: a trigger without an id")
            continue
        where = f"checkin.yaml: trigger {entry['id']!r}"
        if entry["id"] in triggers:
            problems.append(f"{where}: duplicate id")
        _check_id(where, entry["id"], problems)
        triggers[entry["id"]] = CheckinTrigger(
            id=entry["id"],
            topic=str(entry.get("topic")),
            red_flag=bool(entry.get("red_flag", False)),
            label=_per_language(f"{where} label", entry.get("label"), problems),
            line=_per_language(f"{where} line", entry.get("line"), problems),
            legacy=bool(entry.get("legacy", False)),
        )
    return triggers


URGENT_TIERS = ("emergency", "crisis", "same_day")


def _parse_urgent(raw: Any, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """Per tier, the phrases of every language (both are checked for every user)."""
    phrases: dict[str, tuple[str, ...]] = {}
    for tier in URGENT_TIERS:
        entry = raw.get(tier) if isinstance(raw, dict) else None
        found: list[str] = []
        for language in LANGUAGES:
            listed = entry.get(language) if isinstance(entry, dict) else None
            if not isinstance(listed, list) or not listed:
                problems.append(f"urgent.yaml: {tier}: needs a list of {language!r} phrases")
                continue
            found += [str(p).strip() for p in listed if str(p).strip()]
        phrases[tier] = tuple(found)
    return phrases
