"""What the page shows: the fake's messages as JSON, with the bot's HTML made safe.

The bot's text is never handed to the browser as it is: everything is escaped and only
the tags Telegram itself allows are rebuilt (without attributes, except a safe `href`
on links), so the page can insert the result as HTML.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from devtools.fakeapi import BotMessage, FakeFile

JSONDict = dict[str, Any]
SIMPLE_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre"}
SIMPLE_TAGS |= {"blockquote"}
SAFE_LINKS = ("http://", "https://", "tg://", "mailto:")


class _Sanitizer(HTMLParser):
    """Rebuilds Telegram's HTML subset from parser events; all text is escaped again."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.plain: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in SIMPLE_TAGS:
            self._open(tag, f"<{tag}>")
        elif tag == "a":
            href = (values.get("href") or "").strip()
            safe = html.escape(href) if href.lower().startswith(SAFE_LINKS) else "#"
            self._open("a", f'<a href="{safe}" target="_blank" rel="noopener noreferrer">')
        elif tag == "tg-spoiler" or (tag == "span" and values.get("class") == "tg-spoiler"):
            self._open("span", '<span class="tg-spoiler">')

    def _open(self, name: str, markup: str) -> None:
        self.open.append(name)
        self.out.append(markup)

    def handle_endtag(self, tag: str) -> None:
        name = "span" if tag == "tg-spoiler" else tag
        if name in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == name:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))
        self.plain.append(data)

    def result(self) -> tuple[str, str]:
        self.close()
        closing = [f"</{name}>" for name in reversed(self.open)]
        return "".join(self.out + closing), "".join(self.plain)


def safe_html(source: str, plain_text: str | None = None) -> str:
    """Telegram-style HTML from `source`; if `source` was not sent as HTML (its parsed text
    differs from `plain_text`), the whole of `plain_text` is shown escaped instead."""
    sanitizer = _Sanitizer()
    sanitizer.feed(source)
    markup, plain = sanitizer.result()
    if plain_text is not None and plain.strip() != plain_text.strip():
        return html.escape(plain_text, quote=False)
    return markup


def file_url(stored: FakeFile) -> str:
    return f"/files/{stored.file_id}"


def bot_message_json(message: BotMessage) -> JSONDict:
    """One bot message as the page renders it."""
    if message.photo is None and message.document is None:
        text, markup = message.text, safe_html(message.html, message.text)
    else:
        text = message.caption or ""
        markup = safe_html(message.caption_html or "", text) if text else ""
    document = None
    if message.document is not None:
        document = {
            "name": message.document.file_name or message.document.file_id,
            "size": message.document.size,
            "url": file_url(message.document),
        }
    return {
        "id": message.message_id,
        "from": "bot",
        "text": text,
        "html": markup,
        "buttons": [
            [{"text": b.text, "data": b.callback_data, "url": b.url} for b in row]
            for row in message.buttons
        ],
        "photo": file_url(message.photo) if message.photo is not None else None,
        "document": document,
        "edited": message.edited,
    }


def user_message_json(message: JSONDict) -> JSONDict:
    """A message the simulated user sent (text; anything else is named in brackets)."""
    text = message.get("text") or message.get("caption")
    if text is None:
        kind = next((k for k in ("sticker", "photo", "voice") if k in message), "message")
        text = f"[{kind}]"
    return {
        "id": int(message["message_id"]),
        "from": "user",
        "text": str(text),
        "html": html.escape(str(text), quote=False),
        "buttons": [],
        "photo": None,
        "document": None,
        "edited": "edit_date" in message,
    }
