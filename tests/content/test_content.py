"""The content loader: the real tree is valid, and each kind of mistake is reported."""

from __future__ import annotations

import hashlib
import os
import shutil
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main as cli_main
from bot.content import Content, ContentError, load_content
from bot.content.html_check import html_problems
from bot.settings import PROJECT_ROOT

SEED_RUNS = Path(__file__).parent / "data" / "seed_word_runs.txt"
SEED = Path(
    os.environ.get("SPASMBOT_SEED", PROJECT_ROOT.parent / "shared/seeds/000_549ac7ac3536e560.txt")
)


def word_runs(text: str, size: int = 8) -> set[str]:
    """Fingerprints of every run of `size` words: lets the seed check run without the page."""
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    runs = (" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return {hashlib.sha256(run.encode()).hexdigest()[:16] for run in runs}


def topic(topic_id: str, children: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": topic_id,
        "source": "Inleiding",
        "title": {"nl": f"Titel {topic_id}", "en": f"Title {topic_id}"},
        "body": {"nl": "Korte tekst.", "en": "Short text."},
        "keywords": {"nl": [topic_id], "en": [topic_id]},
    }
    if children:
        entry["children"] = children
    entry.update(extra)
    return entry


def tip(tip_id: str, topic_id: str = "main", tag: str = "relax", **extra: Any) -> dict[str, Any]:
    return {
        "id": tip_id,
        "tag": tag,
        "topic": topic_id,
        "text": {"nl": "Doe het rustig aan.", "en": "Take it easy."},
        **extra,
    }


def write_tree(
    root: Path,
    topics: list[dict[str, Any]],
    rules: object = None,
    tips: list[dict[str, Any]] | None = None,
) -> Path:
    (root / "topics").mkdir(parents=True)
    (root / "topics" / "all.yaml").write_text(yaml.safe_dump(topics), encoding="utf-8")
    tips_yaml = yaml.safe_dump(tips if tips is not None else [tip("t1")])
    (root / "tips.yaml").write_text(tips_yaml, encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "content" / "ui.yaml", root / "ui.yaml")
    shutil.copy(PROJECT_ROOT / "content" / "urgent.yaml", root / "urgent.yaml")
    (root / "checkin.yaml").write_text(yaml.safe_dump({"triggers": []}), encoding="utf-8")
    (root / "rules.yaml").write_text(yaml.safe_dump(rules or {}), encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return caught.value.problems


def test_the_real_content_is_valid(content: Content) -> None:
    assert content.root.id == "main"
    assert len(content.topics) >= 40


def test_a_minimal_tree_loads(tmp_path: Path) -> None:
    loaded = load_content(write_tree(tmp_path, [topic("main", ["a"]), topic("a")]))
    assert loaded.topics["a"].parent == "main"


@pytest.mark.parametrize(
    ("topics", "expected"),
    [
        ([topic("main", ["a"]), topic("a"), topic("a")], "duplicate id"),
        ([topic("main", ["ghost"])], "child 'ghost' does not exist"),
        ([topic("main"), topic("lost")], "not reachable from the main menu"),
        ([topic("a")], "no root topic 'main'"),
        ([topic("main", ["a", "b"]), topic("a", ["b"]), topic("b")], "listed under both"),
        (
            [
                topic("main", ["a"]),
                topic("a", ["b"]),
                topic("b", ["c"]),
                topic("c", ["d"]),
                topic("d"),
            ],
            "needs more than 3 taps",
        ),
        (
            [topic("main", [f"t{i}" for i in range(9)]), *[topic(f"t{i}") for i in range(9)]],
            "more than 8 buttons",
        ),
        ([topic("main", ["a"]), topic("a", body={"nl": "Alleen Nederlands."})], "missing 'en'"),
        ([topic("main", ["a"]), topic("a", body={"nl": "<b>open", "en": "ok"})], "never closed"),
        ([topic("main", ["a"]), topic("a", body={"nl": "x < y", "en": "ok"})], "bare '<'"),
        (
            [topic("main", ["a"]), topic("a", body={"nl": "<a href='x'>l</a>", "en": "ok"})],
            "not allowed",
        ),
        (
            [topic("main", ["a"]), topic("a", body={"nl": "lang " * 400, "en": "ok"})],
            "body over 1500 chars",
        ),
        (
            [topic("main", ["a"]), topic("a", title={"nl": "t" * 40, "en": "ok"})],
            "title over 32 chars",
        ),
        ([topic("main", ["Bad-Id"]), topic("Bad-Id")], "unusable as button data"),
        ([topic("main", ["a"]), topic("a", source="")], "'source' must name"),
    ],
)
def test_each_mistake_is_reported(
    tmp_path: Path, topics: list[dict[str, Any]], expected: str
) -> None:
    assert any(expected in p for p in problems_of(write_tree(tmp_path, topics)))


@pytest.mark.parametrize(
    ("tips", "expected"),
    [
        ([tip("t1"), tip("t1")], "tip 't1': duplicate id"),
        ([tip("t1", topic_id="ghost")], "topic 'ghost' does not exist"),
        ([tip("t1", tag="Not A Tag")], "'tag' must be a short lowercase word"),
        ([tip("t1", tag="sport")], "ui.yaml needs a label 'tip_tag_sport'"),
        ([tip("t1", text={"nl": "Alleen NL."})], "tip 't1' text: missing 'en'"),
        ([tip("t1", text={"nl": "x" * 401, "en": "ok"})], "over 400 chars"),
        ([tip("Bad-Id")], "unusable as button data"),
    ],
)
def test_each_tip_mistake_is_reported(
    tmp_path: Path, tips: list[dict[str, Any]], expected: str
) -> None:
    root = write_tree(tmp_path, [topic("main")], tips=tips)
    assert any(expected in p for p in problems_of(root))


def test_safety_rules_cover_tips_pointing_to_those_topics(tmp_path: Path) -> None:
    rules = {
        "must_mention": [
            {"name": "see a doctor", "topics": ["a"], "words": {"nl": ["arts"], "en": ["doctor"]}}
        ]
    }
    tree = [topic("main", ["a"]), topic("a", body={"nl": "arts", "en": "doctor"})]
    found = problems_of(write_tree(tmp_path, tree, rules, tips=[tip("t1", topic_id="a")]))
    assert any(p.startswith("tip 't1' [nl]: see a doctor") for p in found)


def test_the_real_tip_pool_covers_every_tag(content: Content) -> None:
    assert len(content.tips) >= 30
    assert set(content.tip_tags) == {"relax", "move", "triggers", "night", "care"}


def test_a_loop_is_reported_not_hung(tmp_path: Path) -> None:
    tree = [topic("main"), topic("a", ["b"]), topic("b", ["a"])]
    rules = {
        "must_mention": [{"name": "r", "subtrees": ["a"], "words": {"nl": ["x"], "en": ["x"]}}]
    }
    assert problems_of(write_tree(tmp_path, tree, rules))


def test_safety_rules_are_enforced(tmp_path: Path) -> None:
    rules = {
        "must_mention": [
            {"name": "see a doctor", "subtrees": ["a"], "words": {"nl": ["arts"], "en": ["doctor"]}}
        ]
    }
    tree = [
        topic("main", ["a"]),
        topic("a", ["b"], body={"nl": "Vraag je arts.", "en": "Ask."}),
        topic("b"),
    ]
    found = problems_of(write_tree(tmp_path, tree, rules))
    assert "topic 'a' [en]: see a doctor — mention one of doctor" in found
    assert any(p.startswith("topic 'b' [nl]: see a doctor") for p in found)


def test_ui_texts_need_the_same_placeholders(tmp_path: Path) -> None:
    root = write_tree(tmp_path, [topic("main")])
    ui = yaml.safe_load((root / "ui.yaml").read_text(encoding="utf-8"))
    ui["welcome"]["en"] = "Hello {nickname}"
    (root / "ui.yaml").write_text(yaml.safe_dump(ui), encoding="utf-8")
    assert any("different placeholders" in p for p in problems_of(root))


def test_unreadable_yaml_is_reported(tmp_path: Path) -> None:
    root = write_tree(tmp_path, [topic("main")])
    (root / "topics" / "broken.yaml").write_text("- id: [unclosed", encoding="utf-8")
    assert any(p.startswith("broken.yaml: cannot be read") for p in problems_of(root))


def test_check_content_command_lists_problems_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(write_tree(tmp_path, [topic("main", ["x", "y"])])))
    assert cli_main(["check-content"]) == 1
    err = capsys.readouterr().err
    assert "child 'x' does not exist" in err and "child 'y' does not exist" in err


def test_check_content_command_passes_on_the_real_tree(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CONTENT_DIR", raising=False)
    assert cli_main(["check-content"]) == 0
    assert "content OK" in capsys.readouterr().out


@pytest.mark.parametrize("text", ["<b>ok</b> &amp; <i>fine</i>", "a &lt; b", "plain"])
def test_valid_html_passes(text: str) -> None:
    assert html_problems(text) == []


def test_every_ui_text_renders_in_both_languages(content: Content) -> None:
    """Every text formats (no stray braces) and its placeholders are the documented ones."""
    for key, texts in content.ui.items():
        for language, text in texts.items():
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            if key in content.plurals:
                others = {name: "x" for name in names - {"count"}}
                one, more = (content.text(key, language, n, **others) for n in (1, 3))
                assert "1" in one and "3" in more and one != more.replace("3", "1"), key
                continue
            rendered = content.text(key, language, None, **{name: "x" for name in names})
            assert rendered.strip() and "{" not in rendered, (key, language)


def test_a_half_plural_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path, [topic("main")])
    ui = root / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    text = text.replace('{one: "{count} dag", other: "{count} dagen"}', '"{count} dag(en)"')
    text = text.replace('{one: "{count} day", other: "{count} days"}', '"{count} day(s)"')
    ui.write_text(text, encoding="utf-8")
    assert "ui.yaml: 'pause_days' [nl]: write one and other forms, not 'g(en)'" in problems_of(root)


def test_texts_do_not_copy_the_seed_page(content: Content) -> None:
    """Own words: no run of 8 words from the seed page appears in any text."""
    seed_runs = set(SEED_RUNS.read_text(encoding="utf-8").split())
    texts = [t.body[lang] for t in content.topics.values() for lang in ("nl", "en")]
    texts += [tip.text[lang] for tip in content.tips.values() for lang in ("nl", "en")]
    for text in texts:
        assert not word_runs(text) & seed_runs, f"copies the seed page: {text[:60]!r}"


@pytest.mark.skipif(not SEED.exists(), reason="the seed page is not next to this checkout")
def test_the_stored_fingerprints_match_the_seed_page() -> None:
    assert SEED_RUNS.read_text(encoding="utf-8").split() == sorted(
        word_runs(SEED.read_text(encoding="utf-8"))
    )


def test_a_ui_rule_needs_every_word_when_it_says_all(tmp_path: Path) -> None:
    rule = {
        "name": "emergency numbers",
        "ui": ["urgent_emergency"],
        "all": True,
        "words": {"nl": ["112", "0900-nergens"], "en": ["112"]},
    }
    root = write_tree(tmp_path, [topic("main")], rules={"must_mention": [rule]})
    with pytest.raises(ContentError) as caught:
        load_content(root)
    assert caught.value.problems == [
        "text 'urgent_emergency' [nl]: emergency numbers — mention all of 112, 0900-nergens"
    ]
