"""A fake Telegram Bot API server for tests, benchmarks and a local sandbox.

The real bot talks HTTP to it (`base_url=fake.base_url`); tests play users through
`FakeTelegram` and inspect what the bot did. See `fake.FakeTelegram` for the API.
"""

from __future__ import annotations

from .errors import ApiError
from .fake import FakeTelegram
from .models import BotMessage, Button, FakeChat, FakeFile, FakeUser, RecordedCall

__all__ = [
    "ApiError",
    "BotMessage",
    "Button",
    "FakeChat",
    "FakeFile",
    "FakeTelegram",
    "FakeUser",
    "RecordedCall",
]
