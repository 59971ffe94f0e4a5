"""Telegram-like parameter checks, with Telegram's own error descriptions.

The point of the fake is to fail where Telegram fails: a bot that passes here should not
meet a "Bad Request" in production for the same call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .htmltext import parse_html, strip_text

Params = dict[str, Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass(frozen=True)
class FormattedText:
    """A text or caption as sent (`raw`) and as the user sees it (`plain` + `entities`)."""

    raw: str
    plain: str
    entities: list[dict[str, Any]]


def opt_int(params: Params, name: str) -> int | None:
    """An optional integer parameter; Telegram answers 400 when it is not a number."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request(f"wrong parameter {name} in request")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"wrong parameter {name} in request") from None


def req_int(params: Params, name: str, missing: str) -> int:
    """A required integer parameter; `missing` is Telegram's description when it is absent."""
    value = opt_int(params, name)
    if value is None:
        raise bad_request(missing)
    return value


def chat_id_of(params: Params) -> int:
    """The chat_id parameter; "@username" chats do not exist in the fake."""
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    try:
        return int(params["chat_id"])
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None


def formatted(params: Params, field: str, entities_field: str) -> FormattedText:
    """Parses `field` according to parse_mode, trimming like Telegram does."""
    raw = params.get(field)
    raw = "" if raw is None else str(raw)
    mode = str(params.get("parse_mode") or "")
    if mode.lower() == "html":
        plain, entities = parse_html(raw)
    elif mode.lower() in ("", "markdown", "markdownv2"):
        plain, entities = raw, _given_entities(params.get(entities_field))
    else:
        raise bad_request("unsupported parse_mode")
    plain, entities = strip_text(plain, entities)
    return FormattedText(raw, plain, entities)


def _given_entities(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise bad_request("can't parse entities JSON object")
    return [dict(e) for e in value]


def message_text(params: Params) -> FormattedText:
    """The `text` of sendMessage/editMessageText: non-empty and at most 4096 characters."""
    text = formatted(params, "text", "entities")
    if not text.plain:
        raise bad_request("message text is empty")
    if len(text.plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return text


def caption(params: Params) -> FormattedText | None:
    """The optional caption of a media message, at most 1024 characters."""
    if params.get("caption") in (None, ""):
        return None
    text = formatted(params, "caption", "caption_entities")
    if len(text.plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return text


def reply_markup(params: Params) -> dict[str, Any] | None:
    """Validates reply_markup; returns it (the inline keyboard is what messages carry)."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not _rows_of(rows, (dict, str)):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
        for button in (b for row in rows for b in row):
            text = button if isinstance(button, str) else button.get("text")
            if not isinstance(text, str) or not text:
                raise bad_request("can't parse keyboard button: Text must be non-empty")
    elif not (markup.get("remove_keyboard") is True or markup.get("force_reply") is True):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows_of(rows: object, kinds: tuple[type, ...]) -> bool:
    return isinstance(rows, list) and all(
        isinstance(row, list) and all(isinstance(b, kinds) for b in row) for row in rows
    )


def _inline_keyboard(rows: object) -> None:
    if not _rows_of(rows, (dict,)):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    assert isinstance(rows, list)
    for button in (b for row in rows for b in row):
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if not any(button.get(action) not in (None, "") for action in _BUTTON_ACTIONS):
            if "callback_data" in button:
                raise bad_request("BUTTON_DATA_INVALID")
            raise bad_request("text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and (
            not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not isinstance(button["url"], str):
            raise bad_request("BUTTON_URL_INVALID")


def commands(params: Params) -> list[dict[str, str]]:
    """setMyCommands' list: lowercase names of 1-32 chars and descriptions of 1-256 chars."""
    value = params.get("commands")
    if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
        raise bad_request("can't parse commands JSON object")
    if len(value) > 100:
        raise bad_request("too many commands specified")
    result: list[dict[str, str]] = []
    for command in value:
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": name, "description": description})
    return result


ScopeKey = tuple[str, int | None, int | None]


def scope_key(params: Params) -> ScopeKey:
    """(type, chat_id, user_id) of a BotCommandScope; commands are stored per scope."""
    scope = params.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope["type"])
    chat = opt_int(scope, "chat_id") if kind.startswith("chat") else None
    user = opt_int(scope, "user_id") if kind == "chat_member" else None
    if kind.startswith("chat") and chat is None:
        raise bad_request("chat_id is empty")
    if kind == "chat_member" and user is None:
        raise bad_request("user_id is empty")
    return kind, chat, user


def language_code(params: Params) -> str:
    """ "" for all languages, otherwise a two-letter ISO 639-1 code."""
    code = str(params.get("language_code") or "")
    if code and not re.fullmatch(r"[a-z]{2}", code):
        raise bad_request("invalid language code specified")
    return code


def chat_action(params: Params) -> str:
    """sendChatAction's action must be one Telegram knows."""
    action = str(params.get("action") or "")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return action
