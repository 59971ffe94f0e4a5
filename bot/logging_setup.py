"""Logging that can never print the bot token.

httpx logs every request URL at INFO, and python-telegram-bot's exceptions can
carry the URL too; the token is part of that URL. A filter on the root handler
replaces the token (and anything shaped like a token) in every record.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

from telegram.error import InvalidToken, NetworkError

TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
CURRENT_UPDATE: ContextVar[tuple[int | None, str] | None] = ContextVar(
    "current_update", default=None
)
"""(update id, update type) of the update being handled in this task (set by
bot.updates.PerChatProcessor), so every log line a handler writes can name it."""


def traceback_without_messages(error: BaseException | None) -> str:
    """The traceback of `error` and its causes, without their messages: a message can
    quote what a user wrote (a note in a parse error, a value in a database error)."""
    parts: list[str] = []
    while error is not None and len(parts) < 5:
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"{frames}{type(error).__module__}.{type(error).__name__}")
        error = error.__cause__ or error.__context__
    return "\n-- caused by --\n".join(reversed(parts))


class RedactTokenFilter(logging.Filter):
    """Rewrites each record so neither the token nor token-shaped text remains, and a
    logged exception keeps its traceback but not its message (see above)."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError | InvalidToken):
            # Telegram unreachable or the token refused: the cause, not a long traceback
            # (the command line says what to check in one line).
            record.exc_info, record.exc_text = None, f"{type(error).__name__}: {error}"
            record.exc_text = self.redact(record.exc_text)
        elif error is not None:
            record.exc_info, record.exc_text = None, self.redact(traceback_without_messages(error))
        return True

    def redact(self, text: str) -> str:
        if self._token:
            text = text.replace(self._token, "<token>")
        return TOKEN_SHAPE.sub("<token>", text)


class JsonFormatter(logging.Formatter):
    """LOG_FORMAT=json: one JSON object per line — time (UTC), level, logger, message, and
    the update's id and type while one is handled, the error's traceback if any.

    It formats what the redacting filter left: the token is already replaced, and a
    traceback carries no exception messages. Messages never hold what users wrote
    (the bot logs ids, kinds and exception types only).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = CURRENT_UPDATE.get()
        if current is not None:
            entry["update_id"], entry["kind"] = current
        if record.exc_info and not record.exc_text:  # no filter ran (a handler of one's own)
            record.exc_text = traceback_without_messages(record.exc_info[1])
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, token: str | None, log_format: str = "text") -> None:
    """Root logging for the bot process.

    httpx is lowered to WARNING as PTB's examples do. python-telegram-bot's own
    loggers stay at INFO or quieter even when `level` is DEBUG: at DEBUG they print
    whole updates, i.e. what users wrote, and that may be health data.
    """
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokenFilter(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    numeric = logging.getLevelName(level)
    logging.getLogger("telegram").setLevel(max(numeric, logging.INFO))
    # APScheduler logs every tick at INFO, aiosqlite every statement at DEBUG: noise.
    logging.getLogger("apscheduler").setLevel(max(numeric, logging.WARNING))
    logging.getLogger("aiosqlite").setLevel(max(numeric, logging.INFO))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
