"""Telegram's HTML parse mode: plain text plus entities, or the error Telegram would give.

Modelled on tdlib's `parse_html` so markup that Telegram rejects is rejected here too, with
the same wording ("Unsupported start tag ..."). One deliberate difference: tdlib keeps a bare
'&' as text, this parser rejects it, so unescaped user input is caught before it meets a '<'.
Offsets of entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));")
_UNQUOTED = re.compile(r"[A-Za-z0-9.\-]*")


def utf16_len(text: str) -> int:
    """Length as Telegram counts entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int
    attrs: dict[str, str] = field(default_factory=dict)
    language: str | None = None


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, reason: str) -> ApiError:
        return bad_request(f"can't parse entities: {reason}")

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def entity(self, index: int) -> tuple[str, int]:
        """Decodes the HTML entity at `index`; returns the text and the index after it."""
        match = _ENTITY.match(self.src, index)
        char: str | None = None
        if match and match.group(3):
            char = _NAMED.get(match.group(3))
        elif match:
            number = int(match.group(1) or match.group(2), 10 if match.group(1) else 16)
            if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
                char = chr(number)
        if match is None or char is None:
            raise self.fail(
                f'Character "&" at byte offset {self.byte_offset(index)} is not part of a '
                'supported HTML entity; escape it as "&amp;"'
            )
        return char, match.end()

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i, src = 0, self.src
        while i < len(src):
            char = src[i]
            if char == "&":
                text, i = self.entity(i)
                self.emit(text)
            elif char != "<":
                self.emit(char)
                i += 1
            elif src.startswith("</", i):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            tag = self.stack[-1].tag
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self, begin: int) -> int:
        src, at = self.src, self.byte_offset(begin)
        i = begin + 1
        while i < len(src) and not src[i].isspace() and src[i] != ">":
            i += 1
        if i >= len(src):
            raise self.fail(f"Unclosed start tag at byte offset {at}")
        tag = src[begin + 1 : i].lower()
        if tag not in ENTITY_TYPES:
            raise self.fail(f'Unsupported start tag "{tag}" at byte offset {at}')
        opened = _Open(tag, self.pos16)
        while True:
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                raise self.fail(f"Unclosed start tag at byte offset {at}")
            if src[i] == ">":
                break
            name_start = i
            while i < len(src) and not src[i].isspace() and src[i] not in "=>":
                i += 1
            name = src[name_start:i].lower()
            while i < len(src) and src[i].isspace():
                i += 1
            if i < len(src) and src[i] != "=" and tag == "blockquote" and name == "expandable":
                opened.attrs[name] = ""
                continue
            if i >= len(src) or src[i] != "=":
                raise self.fail(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {at}'
                )
            i += 1
            while i < len(src) and src[i].isspace():
                i += 1
            value, i = self.attribute_value(i, at)
            opened.attrs[name] = value
        if tag == "span" and opened.attrs.get("class") != "tg-spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        self.stack.append(opened)
        return i + 1

    def attribute_value(self, i: int, at: int) -> tuple[str, int]:
        src = self.src
        if i < len(src) and src[i] in "\"'":
            close = src.find(src[i], i + 1)
            if close == -1:
                raise self.fail(f"Unclosed start tag at byte offset {at}")
            j, stop, end = i + 1, close, close + 1
        else:
            match = _UNQUOTED.match(src, i)
            j, stop = i, match.end() if match else i
            end = stop
        value: list[str] = []
        while j < stop:
            if src[j] == "&":
                text, j = self.entity(j)
                value.append(text)
            else:
                value.append(src[j])
                j += 1
        return "".join(value), end

    def end_tag(self, begin: int) -> int:
        src, at = self.src, self.byte_offset(begin)
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {at}")
        i = begin + 2
        while i < len(src) and not src[i].isspace() and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src) or src[i] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {at}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise self.fail(
                f'Unmatched end tag at byte offset {at}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        self.close(opened)
        return i + 1

    def close(self, opened: _Open) -> None:
        length = self.pos16 - opened.start
        language = opened.attrs.get("class", "")
        parent = self.stack[-1] if self.stack else None
        in_pre = parent is not None and parent.tag == "pre" and parent.start == opened.start
        if opened.tag == "code" and language.startswith("language-") and in_pre:
            assert parent is not None
            parent.language = language.removeprefix("language-")
            return
        entity: dict[str, Any] = {
            "type": ENTITY_TYPES[opened.tag],
            "offset": opened.start,
            "length": length,
        }
        if opened.tag == "a":
            entity["url"] = opened.attrs.get("href", "")
            if not entity["url"]:
                return
        elif opened.tag == "pre" and opened.language:
            entity["language"] = opened.language
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
        if length > 0:
            self.entities.append(entity)


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Returns (plain text, entities) or raises the 400 Telegram gives for bad markup."""
    return _Parser(source).run()


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram trims surrounding whitespace; entities are shifted and clipped to match."""
    stripped = text.strip()
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
