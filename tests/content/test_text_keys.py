"""Every text key the code asks for exists, in Dutch and in English.

The keys are read from the product code itself: the first argument of `texts(...)`
and `content.text(...)` calls (both branches of an `a if c else b`), the notice key
given to `notice_with_menu`, strings assigned to a `...key` variable, and the values
of `..._LABELS` / `..._KEYS` tables. Keys built with an f-string must belong to one of
the families checked below, so a new family cannot slip past this test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from bot.content import LANGUAGES, Content
from bot.domain.appointments import REMIND_CHOICES, WITH_WHOM
from bot.domain.changes import DAY_PARTS, Switchable
from bot.domain.insights import LONG_PERIOD, PERIODS
from bot.domain.urgency import Tier
from bot.handlers import COMMANDS
from bot.settings import PROJECT_ROOT

PRODUCT = [PROJECT_ROOT / "bot", PROJECT_ROOT / "scheduler"]
FAMILIES = (
    "switch_",
    "tip_tag_",
    "part_",
    "language_name_",
    "urgent_",
    "chart_title_",
    "appointment_who_",
    "appointment_whom_",
    "appointment_remind_",
    "appointment_week_",
)  # prefixes of f-string keys


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def keys_in(path: Path) -> tuple[set[str], set[str]]:
    """(keys, f-string prefixes) that one source file asks for."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args:
            name = _called(node)
            if name in ("texts", "text", "words"):
                keys.update(_strings(node.args[0]))
                first = node.args[0]
                if isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                    prefixes.add(str(first.values[0].value))
            elif name == "notice_with_menu":
                keys.update(_strings(node.args[-1]))
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else ""
            if name.endswith("key"):
                keys.update(_strings(node.value))
            elif name.endswith(("LABELS", "KEYS")) and isinstance(node.value, ast.Dict):
                for value in node.value.values:
                    keys.update(_strings(value))
    return keys, prefixes


def test_every_key_the_code_uses_exists_in_both_languages(content: Content) -> None:
    used: set[str] = set()
    prefixes: set[str] = set()
    for folder in PRODUCT:
        for path in folder.rglob("*.py"):
            found, started = keys_in(path)
            used |= found
            prefixes |= started
    assert len(used) > 120  # the scan really reads the code
    missing = sorted(k for k in used if k not in content.ui)
    assert missing == []
    for key in used:
        assert set(content.ui[key]) == set(LANGUAGES), key
    assert prefixes <= set(FAMILIES), "a new family of f-string keys: add it to this test"


def family_keys(content: Content) -> list[str]:
    family = [f"tip_tag_{tag}" for tag in content.tip_tags]
    family += [f"part_{part}" for part in DAY_PARTS]
    family += [f"language_name_{code}" for code in LANGUAGES]
    family += [f"switch_{what}" for what in get_args(Switchable)]
    family += [f"urgent_{tier.value}" for tier in Tier]
    family += [f"chart_title_{days}" for days in (*PERIODS, LONG_PERIOD)]
    family += [f"appointment_who_{who}" for who in WITH_WHOM]
    family += [f"appointment_whom_{who}" for who in WITH_WHOM]
    family += [f"appointment_remind_{days}" for days in REMIND_CHOICES]
    family += ["appointment_week_0", "appointment_week_1"]
    return family + [command.description_key for command in COMMANDS]


def test_every_key_of_a_family_exists(content: Content) -> None:
    assert [key for key in family_keys(content) if key not in content.ui] == []


def test_no_text_is_left_unused(content: Content) -> None:
    used = set(family_keys(content)) | {"chart_title_7", "chart_title_30"}  # period titles
    for folder in PRODUCT:
        for path in folder.rglob("*.py"):
            used |= keys_in(path)[0]
    assert sorted(set(content.ui) - used) == []
