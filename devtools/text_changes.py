"""Which user-facing texts changed between two revisions, as a Markdown table.

For content reviews and closing notes ("a before/after table of every changed text
id"): `python3 -m devtools.text_changes <old-rev> [<new-rev>]` (new: the work tree).
It reads the YAML itself rather than through the loader, so revisions from before a
loader change still compare. Urgent phrases and rules are not texts users read as
such and are left out.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import yaml

from bot.settings import PROJECT_ROOT

Texts = dict[str, str]  # "kind id field [lang]" -> text
EXCERPT = 90


def _files_at(revision: str | None) -> dict[str, str]:
    """{path under content/: text} at `revision`, or in the work tree for None."""
    if revision is None:
        folder = PROJECT_ROOT / "content"
        return {
            str(path.relative_to(folder)): path.read_text(encoding="utf-8")
            for path in folder.rglob("*.yaml")
        }
    listing = _git("ls-tree", "-r", "--name-only", revision, "content/")
    return {
        name.removeprefix("content/"): _git("show", f"{revision}:{name}")
        for name in listing.splitlines()
        if name.endswith(".yaml")
    }


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    ).stdout


def _localized(prefix: str, value: Any, into: Texts) -> None:
    if not isinstance(value, dict):
        return
    for language, text in value.items():
        if isinstance(text, dict):  # a plural: {one: ..., other: ...}
            for form, plural in text.items():
                into[f"{prefix} [{language}, {form}]"] = str(plural)
        else:
            into[f"{prefix} [{language}]"] = str(text)


def flatten(files: dict[str, str]) -> Texts:
    texts: Texts = {}
    for name, source in files.items():
        data = yaml.safe_load(source)
        if name.startswith("topics/"):
            for topic in data or []:
                for field in ("title", "body"):
                    _localized(f"topic `{topic['id']}` {field}", topic.get(field), texts)
        elif name == "tips.yaml":
            for tip in data or []:
                _localized(f"tip `{tip['id']}`", tip.get("text"), texts)
        elif name == "checkin.yaml":
            for trigger in data.get("triggers", []):
                for field in ("label", "line"):
                    _localized(f"trigger `{trigger['id']}` {field}", trigger.get(field), texts)
        elif name == "ui.yaml":
            for key, value in data.items():
                _localized(f"ui `{key}`", value, texts)
    return texts


def _flat(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _cell(text: str | None, start: int) -> str:
    """About EXCERPT characters of `text` from a little before `start`, where it changed."""
    if text is None:
        return "—"
    begin = max(0, start - 20)
    excerpt = text[begin : begin + EXCERPT]
    excerpt = ("…" if begin else "") + excerpt + ("…" if begin + EXCERPT < len(text) else "")
    return excerpt.replace("|", "\\|")


def _common_start(before: str, after: str) -> int:
    """How many leading characters the two texts share."""
    return next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )


def table(old: Texts, new: Texts) -> str:
    rows = ["| Text | Before | After |", "|---|---|---|"]
    for key in sorted(old.keys() | new.keys()):
        before, after = _flat(old.get(key)), _flat(new.get(key))
        if before != after:
            start = _common_start(before or "", after or "")
            rows.append(f"| {key} | {_cell(before, start)} | {_cell(after, start)} |")
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    new_revision = argv[1] if len(argv) == 2 else None
    print(table(flatten(_files_at(argv[0])), flatten(_files_at(new_revision))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
