"""The before/after table of changed texts lists exactly the texts that changed."""

from __future__ import annotations

from devtools.text_changes import flatten, table

OLD = {
    "ui.yaml": 'a: {nl: "Hallo", en: "Hello"}\nb: {nl: "x", en: "y"}\n',
    "tips.yaml": '- {id: t1, text: {nl: "Een tip over warmte.", en: "A tip about heat."}}\n',
}
NEW = {
    "ui.yaml": (
        'a: {nl: "Hallo", en: "Hello"}\n'
        'b: {nl: {one: "{count} dag", other: "{count} dagen"}, en: "y"}\n'
    ),
    "tips.yaml": '- {id: t1, text: {nl: "Een tip over koorts.", en: "A tip about heat."}}\n',
}


def test_only_changed_texts_are_listed_with_where_they_changed() -> None:
    rows = table(flatten(OLD), flatten(NEW)).splitlines()[2:]
    assert rows == [
        "| tip `t1` [nl] | Een tip over warmte. | Een tip over koorts. |",
        "| ui `b` [nl, one] | — | {count} dag |",
        "| ui `b` [nl, other] | — | {count} dagen |",
        "| ui `b` [nl] | x | — |",
    ]
