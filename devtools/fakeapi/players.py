"""What users do: their messages, edits, button taps and blocks become queued updates.

Misuse by a test (tapping a button that is not there, editing a message that does not
exist) raises AssertionError with what *is* there, so the failing test explains itself.
"""

from __future__ import annotations

import re
import time

from .htmltext import utf16_len
from .models import BotMessage, Button, FakeChat, FakeUser, JSONDict
from .state import CallbackQuery, FakeState

BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
ChatRef = FakeChat | int | None


def resolve_chat(state: FakeState, user: FakeUser, chat: ChatRef) -> FakeChat:
    """The chat a user acts in: their private chat unless a group (or its id) is given."""
    chat_id = user.id if chat is None else chat if isinstance(chat, int) else chat.id
    found = state.chats.get(chat_id)
    if found is None:
        raise AssertionError(f"unknown chat {chat_id}; known: {sorted(state.chats)}")
    return found


def text_content(text: str) -> JSONDict:
    """A text message's fields; a leading "/cmd" or "/cmd@bot" is a bot_command entity."""
    content: JSONDict = {"text": text}
    match = BOT_COMMAND.match(text)
    if match and (match.end() == len(text) or text[match.end()].isspace()):
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
        ]
    return content


def user_message(state: FakeState, user: FakeUser, chat: FakeChat, content: JSONDict) -> JSONDict:
    """Creates a message from `user` in `chat` and queues it as a `message` update."""
    message: JSONDict = {
        "message_id": chat.next_message_id(),
        "from": user.to_api(),
        "chat": chat.to_api(),
        "date": int(time.time()),
        **content,
    }
    chat.user_messages[message["message_id"]] = message
    state.enqueue("message", message)
    return message


def media_content(
    state: FakeState, kind: str, data: bytes, caption: str | None = None, duration: int = 3
) -> JSONDict:
    """Sticker/photo/voice fields backed by a stored file, so the bot can getFile them."""
    names = {"sticker": ("sticker.webp", "image/webp"), "photo": (None, "image/jpeg")}
    file_name, mime = names.get(kind, ("voice.ogg", "audio/ogg"))
    stored = state.add_file(data, f"{kind}s", file_name, mime)
    ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    content: JSONDict
    if kind == "sticker":
        content = {
            "sticker": {
                **ids,
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
                "emoji": "👍",
                "file_size": stored.size,
            }
        }
    elif kind == "photo":
        content = {"photo": stored.as_photo()}
    else:
        content = {
            "voice": {**ids, "duration": duration, "mime_type": mime, "file_size": stored.size}
        }
    if caption:
        content["caption"] = caption
    return content


def edit_user_message(
    state: FakeState, user: FakeUser, chat: FakeChat, message_id: int, text: str
) -> JSONDict:
    """Changes a message the user sent and queues an `edited_message` update."""
    message = chat.user_messages.get(message_id)
    if message is None or message["from"]["id"] != user.id:
        mine = [m for m, msg in chat.user_messages.items() if msg["from"]["id"] == user.id]
        raise AssertionError(
            f"user {user.id} has no message {message_id} in chat {chat.id}; theirs: {mine}"
        )
    edited = {k: v for k, v in message.items() if k not in ("text", "entities")}
    edited.update(text_content(text), edit_date=int(time.time()))
    chat.user_messages[message_id] = edited
    state.enqueue("edited_message", edited)
    return edited


def bot_message(chat: FakeChat, message_id: int) -> BotMessage:
    message = chat.bot_messages.get(message_id)
    if message is None:
        raise AssertionError(
            f"no bot message {message_id} in chat {chat.id}; "
            f"current bot messages: {sorted(chat.bot_messages)}"
        )
    return message


def find_button(message: BotMessage, button_text: str | None, callback_data: str | None) -> Button:
    """The callback button with that text or data in the message's current keyboard."""
    if (button_text is None) == (callback_data is None):
        raise AssertionError("tap() needs exactly one of button_text or callback_data")
    for button in (b for row in message.buttons for b in row):
        if button_text is not None and button.text != button_text:
            continue
        if callback_data is not None and button.callback_data != callback_data:
            continue
        if button.callback_data is None:
            raise AssertionError(f"button {button.text!r} has no callback_data ({button})")
        return button
    wanted = f"text {button_text!r}" if button_text is not None else f"data {callback_data!r}"
    listing = [[(b.text, b.callback_data or b.url) for b in row] for row in message.buttons]
    raise AssertionError(
        f"no button with {wanted} in message {message.message_id} "
        f"(chat {message.chat_id}); buttons: {listing}"
    )


def callback_query(
    state: FakeState, user: FakeUser, chat: FakeChat, message_id: int, data: str
) -> str:
    """Queues a `callback_query` update for a bot message and returns the query id."""
    bot_message(chat, message_id)
    query_id = str(4_000_000_000_000 + state.next_id())
    payload: JSONDict = {
        "id": query_id,
        "from": user.to_api(),
        "chat_instance": f"fake-{chat.id}",
        "message": state.message_api(chat, message_id),
        "data": data,
    }
    inject(state, "callback_query", payload)
    return query_id


def _dict(value: object) -> JSONDict:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def inject(state: FakeState, kind: str, payload: JSONDict) -> JSONDict:
    """Queues `payload` as an update of `kind`, exactly as given (fuzzing, odd shapes).

    The fake keeps up as Telegram would: a message or edit in a chat it knows becomes
    that chat's user message (the bot may reply to it) and moves the chat's message
    counter past its id; a callback query is registered, so one answer is accepted
    and `FakeTelegram.unanswered_queries` can tell whether the bot answered it.
    """
    if kind in ("message", "edited_message"):
        chat_id = _int(_dict(payload.get("chat")).get("id"))
        chat = state.chats.get(chat_id) if chat_id is not None else None
        message_id = _int(payload.get("message_id"))
        if chat is not None and message_id is not None and message_id not in chat.bot_messages:
            chat.user_messages[message_id] = payload
            chat.last_message_id = max(chat.last_message_id, message_id)
    update = state.enqueue(kind, payload)
    if kind == "callback_query":
        message = _dict(payload.get("message"))
        data = payload.get("data")
        query = CallbackQuery(
            id=str(payload.get("id")),
            user_id=_int(_dict(payload.get("from")).get("id")) or 0,
            chat_id=_int(_dict(message.get("chat")).get("id")),
            message_id=_int(message.get("message_id")),
            data=data if isinstance(data, str) else None,
            update_id=update["update_id"] if update in state.updates.pending[-1:] else None,
        )
        state.queries[query.id] = query
    return update


def set_blocked(state: FakeState, user: FakeUser, blocked: bool) -> None:
    """Blocks/unblocks the bot; Telegram tells the bot with a `my_chat_member` update."""
    chat = resolve_chat(state, user, None)
    if chat.blocked == blocked:
        return
    chat.blocked = blocked
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    members: list[JSONDict] = [{"status": s, "user": state.bot_user} for s in (old, new)]
    for member in members:
        if member["status"] == "kicked":
            member["until_date"] = 0
    state.enqueue(
        "my_chat_member",
        {
            "chat": chat.to_api(),
            "from": user.to_api(),
            "date": int(time.time()),
            "old_chat_member": members[0],
            "new_chat_member": members[1],
        },
    )
