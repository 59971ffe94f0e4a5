"""The things the fake remembers (users, chats, the bot's messages, files, calls).

Bot messages are frozen snapshots: an edit replaces the snapshot, so a test holding an old
`BotMessage` can compare it with the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


@dataclass(frozen=True)
class FakeUser:
    """A person the tests play; their private chat with the bot has the same id."""

    id: int
    first_name: str
    language_code: str | None = None
    last_name: str | None = None
    username: str | None = None

    def to_api(self) -> JSONDict:
        """The Bot API `User` object."""
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(frozen=True)
class FakeFile:
    """A file that exists "on Telegram": uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def to_api(self) -> JSONDict:
        """The Bot API `File` object that getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }

    def as_document(self) -> JSONDict:
        data: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def as_photo(self) -> list[JSONDict]:
        """One PhotoSize; the fake does not decode images, so the dimensions are nominal."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": 320,
                "height": 320,
            }
        ]

    def describe(self) -> JSONDict:
        """JSON-friendly summary without the bytes."""
        return {
            "file_id": self.file_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "size": self.size,
        }


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request, before it becomes a `FakeFile`."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def describe(self) -> JSONDict:
        """What the call log keeps instead of the bytes."""
        return {"filename": self.filename, "mime_type": self.content_type, "size": len(self.data)}


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as it is now.

    For text messages `text` is what the user reads (tags stripped) and `html` the raw text
    as sent; for photo/document messages those are empty and `caption`/`caption_html` hold
    the caption instead.
    """

    message_id: int
    chat_id: int
    date: int
    text: str = ""
    html: str = ""
    entities: tuple[JSONDict, ...] = ()
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: tuple[JSONDict, ...] = ()
    photo: FakeFile | None = None
    document: FakeFile | None = None
    reply_markup: JSONDict | None = None
    edited: bool = False
    edit_date: int | None = None

    @property
    def buttons(self) -> list[list[Button]]:
        """The inline keyboard, row by row (empty without one)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def to_api(self, bot: JSONDict, chat: JSONDict) -> JSONDict:
        """The Bot API `Message` object for this message."""
        data: JSONDict = {
            "message_id": self.message_id,
            "from": bot,
            "chat": chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.photo is not None:
            data["photo"] = self.photo.as_photo()
        if self.document is not None:
            data["document"] = self.document.as_document()
        if self.photo is None and self.document is None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = list(self.entities)
        elif self.caption:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = list(self.caption_entities)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data

    def to_json(self) -> JSONDict:
        """JSON-friendly view for the control endpoints."""
        return {
            "message_id": self.message_id,
            "chat_id": self.chat_id,
            "date": self.date,
            "text": self.text,
            "html": self.html,
            "caption": self.caption,
            "photo": self.photo.describe() if self.photo else None,
            "document": self.document.describe() if self.document else None,
            "buttons": [[vars(b) for b in row] for row in self.buttons],
            "edited": self.edited,
        }


@dataclass
class FakeChat:
    """A private chat or a group; the message-id counter is shared by users and the bot."""

    id: int
    type: str
    title: str | None = None
    user: FakeUser | None = None
    blocked: bool = False
    last_message_id: int = 0
    bot_messages: dict[int, BotMessage] = field(default_factory=dict, repr=False)
    user_messages: dict[int, JSONDict] = field(default_factory=dict, repr=False)

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def to_api(self) -> JSONDict:
        """The Bot API `Chat` object."""
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.user is not None:
            data.update(
                {k: v for k, v in self.user.to_api().items() if k in ("first_name", "username")}
            )
            if self.user.last_name:
                data["last_name"] = self.user.last_name
        if self.title is not None:
            data["title"] = self.title
        return data


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API request as the fake saw it (the token is never part of it).

    `time` is time.monotonic() when the request arrived; calls are listed in the order
    they were answered, so a long poll appears when it returns.
    """

    method: str
    params: JSONDict
    status: int
    time: float
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    def to_json(self) -> JSONDict:
        return {
            "method": self.method,
            "params": self.params,
            "status": self.status,
            "time": self.time,
            "description": self.description,
        }
