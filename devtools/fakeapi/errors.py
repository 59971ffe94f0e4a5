"""The one exception a Bot API handler raises to answer like Telegram does."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApiError(Exception):
    """A Telegram error reply: the HTTP status doubles as `error_code`, as on the real API."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """400 with Telegram's "Bad Request: " prefix, which PTB strips and capitalises."""
    return ApiError(400, f"Bad Request: {reason}")


def default_description(status: int, retry_after: int | None) -> str:
    """What Telegram (or the proxy in front of it) says for a status when nothing else is known."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    if status == 400:
        return "Bad Request"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"
