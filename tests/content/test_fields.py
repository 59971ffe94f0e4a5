"""A topic's `fields:` (issue 14): values the operator fills in, put into the body where it
says {name}; a placeholder without a field and a field nobody uses are problems, and a
field that still says [INVULLEN: …] is a warning of `check-content`, never a failure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cli import main as cli_main
from bot.content import Content, content_warnings, load_content
from tests.content.test_content import problems_of, topic, write_tree

BODY = {
    "nl": "Bron: {source}. Gecontroleerd op {checked_on}.",
    "en": "Source: {source}, {checked_on}.",
}
FIELDS = {"source": "de patiëntenpagina", "checked_on": {"nl": "1 mei", "en": "1 May"}}


def about(**extra: Any) -> dict[str, Any]:
    return topic("about", **{"body": BODY, "fields": FIELDS, **extra})


def test_fields_are_put_into_the_body_in_each_language(tmp_path: Path) -> None:
    loaded = load_content(write_tree(tmp_path, [topic("main", ["about"]), about()]))
    assert loaded.topics["about"].body == {
        "nl": "Bron: de patiëntenpagina. Gecontroleerd op 1 mei.",
        "en": "Source: de patiëntenpagina, 1 May.",
    }
    assert loaded.topics["about"].fields["checked_on"] == {"nl": "1 mei", "en": "1 May"}
    assert content_warnings(loaded) == []


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            about(body={**BODY, "en": "Source: {source}, {checked_on} by {checked_by}."}),
            "topic 'about' body [en]: placeholder {checked_by} has no field",
        ),
        (
            topic("about", body={"nl": "Zie {bron}.", "en": "See it."}),
            "topic 'about' body [nl]: placeholder {bron} has no field (known: none)",
        ),
        (
            about(fields={**FIELDS, "checked_by": "de verpleegkundige"}),
            "topic 'about': field 'checked_by' is not used in the 'nl' body",
        ),
        (
            about(body={**BODY, "en": "Source: {source}."}),
            "topic 'about': field 'checked_on' is not used in the 'en' body",
        ),
        (about(fields={**FIELDS, "source": {"nl": "pagina"}}), "field 'source': missing 'en' text"),
        (about(fields=["source"]), "'fields' must map field names to texts"),
        (about(fields={**FIELDS, "Bad-Name": "x"}), "field 'Bad-Name': name it with a-z"),
        (about(body={**BODY, "nl": "Bron: {source:>9} {checked_on}"}), "{source} has no field"),
        (about(body={**BODY, "nl": "Open { zonder sluiten"}), "[nl]: a brace without its pair"),
    ],
)
def test_each_field_mistake_is_reported(
    tmp_path: Path, entry: dict[str, Any], expected: str
) -> None:
    found = problems_of(write_tree(tmp_path, [topic("main", ["about"]), entry]))
    assert any(expected in p for p in found), found


def test_double_braces_are_a_brace_and_need_no_field(tmp_path: Path) -> None:
    entry = topic("about", body={"nl": "Een {{haakje}}.", "en": "A {{brace}}."})
    loaded = load_content(write_tree(tmp_path, [topic("main", ["about"]), entry]))
    assert loaded.topics["about"].body["nl"] == "Een {haakje}."


def test_an_unfilled_field_is_a_warning_not_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fields = {**FIELDS, "checked_on": {"nl": "[INVULLEN: datum]", "en": "[FILL IN: date]"}}
    root = write_tree(tmp_path, [topic("main", ["about"]), about(fields=fields)])
    assert content_warnings(load_content(root)) == [
        "topic 'about': field 'checked_on' [nl] still says '[INVULLEN: datum]': "
        "fill it in (content/topics/)",
        "topic 'about': field 'checked_on' [en] still says '[FILL IN: date]': "
        "fill it in (content/topics/)",
    ]
    monkeypatch.setenv("CONTENT_DIR", str(root))
    assert cli_main(["check-content"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("content OK: 2 topics") and "2 warning(s), not problems:" in out
    assert "- warning: topic 'about': field 'checked_on' [nl]" in out and err == ""


def test_the_real_about_screen_says_where_its_facts_come_from(content: Content) -> None:
    about_screen = content.topics["about"]
    assert content.root.children[-1] == "about"
    assert "patiënten over spasmen bij MS" in about_screen.body["nl"]
    assert "{" not in about_screen.body["nl"] + about_screen.body["en"]
    unfilled = content_warnings(content)
    # Only what the operator must fill in is left open, and each of it is a warning.
    assert all(w.startswith("topic 'about': field ") for w in unfilled)
    assert {"source"}.isdisjoint(w.split("'")[3] for w in unfilled)
