"""Bot API methods that create, change or remove messages, plus callback answers and files."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from .errors import bad_request
from .models import BotMessage, FakeChat, FakeFile, JSONDict, Upload
from .state import FakeState
from .validation import (
    Params,
    caption,
    chat_action,
    chat_id_of,
    message_text,
    opt_int,
    reply_markup,
    req_int,
)

Handler = Callable[[FakeState, Params], Awaitable[Any]]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


def _now() -> int:
    return int(time.time())


def _inline(markup: JSONDict | None) -> JSONDict | None:
    """Only a non-empty inline keyboard belongs to a message; anything else compares as none."""
    if markup and markup.get("inline_keyboard"):
        return markup
    return None


def _check_reply(chat: FakeChat, params: Params) -> None:
    reply = params.get("reply_parameters")
    if not isinstance(reply, dict):
        reply = {"message_id": params.get("reply_to_message_id")}
        reply["allow_sending_without_reply"] = params.get("allow_sending_without_reply")
    target = opt_int(reply, "message_id")
    if target is None or reply.get("allow_sending_without_reply"):
        return
    if target not in chat.bot_messages and target not in chat.user_messages:
        raise bad_request("message to be replied not found")


def _store(state: FakeState, chat: FakeChat, message: BotMessage) -> JSONDict:
    chat.bot_messages[message.message_id] = message
    return state.message_api(chat, message.message_id)


async def send_message(state: FakeState, params: Params) -> JSONDict:
    chat = state.writable_chat(chat_id_of(params))
    text = message_text(params)
    markup = reply_markup(params)
    _check_reply(chat, params)
    message = BotMessage(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=_now(),
        text=text.plain,
        html=text.raw,
        entities=tuple(text.entities),
        reply_markup=markup,
    )
    return _store(state, chat, message)


def _input_file(state: FakeState, params: Params, field: str) -> FakeFile:
    """The uploaded part, a known file_id or an HTTP URL, as Telegram accepts them."""
    value = params.get(field)
    if isinstance(value, str) and value.startswith("attach://"):
        value = params.get(value.removeprefix("attach://"))
    folder = "photos" if field == "photo" else f"{field}s"
    if isinstance(value, Upload):
        name = None if field == "photo" else value.filename
        mime = "image/jpeg" if field == "photo" else value.content_type
        return state.add_file(value.data, folder, name, mime)
    if value in (None, ""):
        raise bad_request(f"there is no {field} in the request")
    if isinstance(value, str) and value in state.files:
        return state.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        name = value.rstrip("/").rsplit("/", 1)[-1] or None
        return state.add_file(b"", folder, name, None)
    raise bad_request("wrong file identifier/HTTP URL specified")


async def _send_media(state: FakeState, params: Params, field: str) -> JSONDict:
    chat = state.writable_chat(chat_id_of(params))
    text = caption(params)
    markup = reply_markup(params)
    stored = _input_file(state, params, field)
    _check_reply(chat, params)
    message = BotMessage(
        message_id=chat.next_message_id(),
        chat_id=chat.id,
        date=_now(),
        caption=text.plain if text else None,
        caption_html=text.raw if text else None,
        caption_entities=tuple(text.entities) if text else (),
        photo=stored if field == "photo" else None,
        document=stored if field == "document" else None,
        reply_markup=markup,
    )
    return _store(state, chat, message)


async def send_photo(state: FakeState, params: Params) -> JSONDict:
    return await _send_media(state, params, "photo")


async def send_document(state: FakeState, params: Params) -> JSONDict:
    return await _send_media(state, params, "document")


def _editable(state: FakeState, params: Params) -> tuple[FakeChat, BotMessage]:
    if params.get("inline_message_id"):
        raise bad_request("message to edit not found")
    chat = state.writable_chat(chat_id_of(params))
    message_id = req_int(params, "message_id", "message identifier is not specified")
    message = chat.bot_messages.get(message_id)
    if message is None and message_id in chat.user_messages:
        raise bad_request("message can't be edited")
    if message is None:
        raise bad_request("message to edit not found")
    return chat, message


def _new_markup(params: Params) -> JSONDict | None:
    markup = reply_markup(params)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return _inline(markup)


async def edit_message_text(state: FakeState, params: Params) -> JSONDict:
    chat, message = _editable(state, params)
    if message.photo is not None or message.document is not None:
        raise bad_request("there is no text in the message to edit")
    text = message_text(params)
    markup = _new_markup(params)
    unchanged = (text.plain, tuple(text.entities)) == (message.text, message.entities)
    if unchanged and markup == _inline(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    edited = replace(
        message,
        text=text.plain,
        html=text.raw,
        entities=tuple(text.entities),
        reply_markup=markup,
        edited=True,
        edit_date=_now(),
    )
    return _store(state, chat, edited)


async def edit_message_reply_markup(state: FakeState, params: Params) -> JSONDict:
    """Markup-only edits do not set edit_date on Telegram; `edited` still records them."""
    chat, message = _editable(state, params)
    markup = _new_markup(params)
    if markup == _inline(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    return _store(state, chat, replace(message, reply_markup=markup, edited=True))


async def delete_message(state: FakeState, params: Params) -> bool:
    chat = state.chat(chat_id_of(params))
    message_id = req_int(params, "message_id", "message identifier is not specified")
    removed = chat.bot_messages.pop(message_id, None) or chat.user_messages.pop(message_id, None)
    if removed is None:
        raise bad_request("message to delete not found")
    return True


async def answer_callback_query(state: FakeState, params: Params) -> bool:
    query = state.queries.get(str(params.get("callback_query_id") or ""))
    if query is None or query.answer is not None:
        raise bad_request(QUERY_INVALID)
    if len(str(params.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = dict(params)
    return True


async def send_chat_action(state: FakeState, params: Params) -> bool:
    state.writable_chat(chat_id_of(params))
    chat_action(params)
    return True


async def get_file(state: FakeState, params: Params) -> JSONDict:
    stored = state.files.get(str(params.get("file_id") or ""))
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.to_api()


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
