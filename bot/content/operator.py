"""Who runs the bot, and how long it keeps check-ins, written into the privacy texts.

These are facts about the service, not content: they come from the settings
(`OPERATOR_NAME`, `OPERATOR_CONTACT`, `RETENTION_DAYS`) and are filled into every ui text
that has `{operator_name}`, `{operator_contact}` or `{kept_for}`, once, when the bot is
assembled. The privacy version is the hash of the filled-in text, so a new operator (or
a new retention period) is a new privacy text and users are asked again.
"""

from __future__ import annotations

import html
from dataclasses import replace

from bot.content.model import LANGUAGES, Content

SERVICE_FIELDS = ("operator_name", "operator_contact", "kept_for")


def for_operator(content: Content, name: str, contact: str, retention_days: int | None) -> Content:
    """`content` with the service fields filled in, in both languages."""
    values: dict[str, dict[str, str]] = {
        language: {
            "operator_name": html.escape(name),
            "operator_contact": html.escape(contact),
            "kept_for": _kept_for(content, language, retention_days),
        }
        for language in LANGUAGES
    }
    ui = {
        key: {language: _fill(text, values[language]) for language, text in texts.items()}
        for key, texts in content.ui.items()
    }
    return replace(content, ui=ui)


def _kept_for(content: Content, language: str, retention_days: int | None) -> str:
    if retention_days is None:
        return content.text("privacy_kept_until_deleted", language)
    return content.text("privacy_kept_days", language, count=retention_days)


def _fill(text: str, values: dict[str, str]) -> str:
    """Replace the service fields; braces in a value stay literal for the later format()."""
    for field, value in values.items():
        text = text.replace(f"{{{field}}}", value.replace("{", "{{").replace("}", "}}"))
    return text
