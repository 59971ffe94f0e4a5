"""What can go wrong when the bot starts, said in one line that names the setting.

A missing folder for the SQLite file, a database that does not answer, a Bot API that
cannot be reached or a token Telegram refuses would otherwise end in a long traceback —
and the traceback of a refused token contains the token itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from telegram.error import BadRequest, InvalidToken, NetworkError

from bot.settings import Settings, SettingsError, WebhookSettings


@contextmanager
def database_problems(settings: Settings) -> Iterator[None]:
    try:
        yield
    except (OSError, SQLAlchemyError) as exc:
        url = make_url(settings.database_url)
        if url.get_backend_name() == "sqlite":
            hint = "check that the folder of the SQLite file exists and can be written"
        else:
            hint = "check that the server runs and that host, port, name and user are right"
        where = url.render_as_string(hide_password=True)
        raise SettingsError(
            f"DATABASE_URL {where} cannot be used ({_reason(exc)}): {hint}"
        ) from None
    except Exception as exc:
        if type(exc).__module__.startswith("asyncpg"):  # e.g. no such database, bad password
            raise SettingsError(
                f"DATABASE_URL cannot be used ({_reason(exc)}): check name, user and password"
            ) from None
        raise


@contextmanager
def telegram_problems(settings: Settings) -> Iterator[None]:
    try:
        yield
    except InvalidToken:
        raise SettingsError(
            "Telegram refused TELEGRAM_BOT_TOKEN: check the token @BotFather gave you"
        ) from None
    except NetworkError as exc:
        raise SettingsError(
            f"the Telegram Bot API at TELEGRAM_BASE_URL {settings.telegram_base_url} "
            f"cannot be reached ({type(exc).__name__}): check the network and the URL"
        ) from None


@contextmanager
def webhook_problems(webhook: WebhookSettings) -> Iterator[None]:
    """Telegram refuses the URL (setWebhook); a port that is taken is `bot.webhook`'s line."""
    try:
        yield
    except BadRequest as exc:
        raise SettingsError(
            f"Telegram refused WEBHOOK_URL {webhook.url} ({exc.message}): "
            "it must be a public https URL on port 443, 80, 88 or 8443"
        ) from None


def _reason(exc: BaseException) -> str:
    """The kind of error and the first line of its message, short (never a URL with a
    password: SQLAlchemy's messages name the statement, not the connection string)."""
    original = getattr(exc, "orig", None) or exc
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return (
        f"{type(original).__name__}: {first_line[:120]}" if first_line else type(original).__name__
    )
