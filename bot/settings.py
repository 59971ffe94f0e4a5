"""Operator settings, read once from the environment (and an optional `.env`).

Nothing here runs at import time: `load_settings()` is called by the CLI and the
result is passed down, so tests build their own `Settings` without touching the
environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The source checkout. In an installed wheel this is site-packages: see `data_dir`."""
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///spasmbot.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,256}")
# Plain http is only for a Bot API on this machine (a local telegram-bot-api server or the
# fake one); Telegram itself calls only https URLs.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def data_dir(name: Literal["content", "alembic"]) -> Path:
    """The texts or the migration scripts, as a real folder (Alembic and the loader need one).

    A wheel carries a copy inside the package (bot/_data/, made by setup.py) and that
    copy wins; a checkout, and the editable install, have no copy and use the top-level
    folder of the same name.
    """
    packaged = Path(__file__).resolve().parent / "_data" / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line for the operator."""


@dataclass(frozen=True)
class WebhookSettings:
    """Everything webhook mode needs, checked together (`Settings.webhook()`)."""

    url: str
    secret: str
    listen: str
    port: int
    path: str
    max_connections: int


class Settings(BaseSettings):
    """Every knob the operator can turn; see the README section "Settings"."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "Europe/Amsterdam"
    log_level: str = "INFO"
    content_dir: Path = Field(default_factory=lambda: data_dir("content"))
    tip_rate_per_second: float = Field(default=25.0, ge=0)  # 0: no limit (benchmarks only)
    tip_grace_minutes: float = Field(default=120, ge=0)
    scheduler_tick_seconds: float = Field(default=30, ge=0)  # 0: no scheduler in this process
    scheduler_batch_size: int = Field(default=500, ge=1)
    dispatch_concurrency: int = Field(default=16, ge=1, le=256)
    dispatch_timeout_seconds: float = Field(default=10, gt=0)
    concurrent_updates: int = Field(default=64, ge=1, le=1024)  # chats handled at once
    reply_rate_per_chat: float = Field(default=1.0, gt=0)  # Telegram: about 1 message/s a chat
    reply_burst_per_chat: int = Field(default=3, ge=1)
    reply_rate_overall: float = Field(default=30.0, gt=0)  # Telegram: about 30 messages/s
    encryption_key: SecretStr | None = None  # a Fernet key, or several "new,old" (rotation)
    encryption_key_file: Path | None = None  # the same, one key per line, newest first
    retention_days: int | None = Field(default=None, ge=1)  # None: keep until deleted
    operator_name: str | None = None  # who runs the bot: named in the privacy texts
    operator_contact: str | None = None  # how users reach them (e-mail, phone or web page)
    log_format: str = "text"  # text or json (one object per line)
    webhook_url: str | None = None  # set: Telegram calls this URL; unset: long polling
    webhook_secret: SecretStr | None = None  # required with WEBHOOK_URL
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_path: str = "/telegram"
    webhook_max_connections: int = Field(default=40, ge=1, le=100)  # Telegram's range
    health_listen: str = "127.0.0.1"
    health_port: int = Field(default=9090, ge=0, le=65535)  # 0: no health/metrics server
    tip_spread_minutes: float = Field(default=30, ge=0)  # tips may start this early in a peak
    shutdown_timeout_seconds: float = Field(default=20, gt=0)  # SIGTERM → exit within this
    # Paid broadcast (costs Telegram Stars, billed per message): only for the part of a peak
    # that would otherwise be missed, at most the cap a day (0: never). scheduler/paid.py
    allow_paid_broadcast: bool = False
    paid_broadcast_max_per_day: int = Field(default=0, ge=0)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value.lower() not in LOG_FORMATS:
            raise ValueError(f"must be one of {', '.join(LOG_FORMATS)}")
        return value.lower()

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        local = parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] in LOOPBACK_HOSTS
        if not (parts.scheme == "https" or local) or not parts.netloc:
            raise ValueError(
                "must be the public https:// URL Telegram calls "
                "(plain http only for a Bot API server on this machine)"
            )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value()):
            # never repeat the value: it is a secret
            raise ValueError("must be 32 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _webhook_path(cls, value: str) -> str:
        if not re.fullmatch(r"/[A-Za-z0-9_./-]*", value):
            raise ValueError("must start with / and hold only letters, digits, _ . - and /")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("telegram_base_url", "telegram_base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    def encryption_keys(self) -> tuple[str, list[str]] | None:
        """(the variable they came from, the keys newest first), or None if neither is set.

        Keys live outside the database (the environment or a file), so a copy of the
        database alone does not open the notes.
        """
        if self.encryption_key is not None and self.encryption_key_file is not None:
            raise SettingsError("set ENCRYPTION_KEY or ENCRYPTION_KEY_FILE, not both")
        if self.encryption_key_file is not None:
            path = self.encryption_key_file
            try:
                text = path.read_text(encoding="ascii")
            except OSError as exc:
                problem = f"cannot read {path} ({exc.strerror})"
                raise SettingsError(f"ENCRYPTION_KEY_FILE: {problem}") from None
            except UnicodeDecodeError:
                raise SettingsError(f"ENCRYPTION_KEY_FILE: {path} is not a file of keys") from None
            keys = [line.strip() for line in text.splitlines()]
            return "ENCRYPTION_KEY_FILE", [key for key in keys if key and not key.startswith("#")]
        if self.encryption_key is not None:
            keys = self.encryption_key.get_secret_value().split(",")
            return "ENCRYPTION_KEY", [key.strip() for key in keys if key.strip()]
        return None

    def require_operator(self) -> tuple[str, str]:
        """(name, contact) of the organisation that runs the bot: the privacy texts name
        them, so the bot does not start without them."""
        name, contact = (
            value.strip() if value else "" for value in (self.operator_name, self.operator_contact)
        )
        if not name or not contact:
            raise SettingsError(
                "OPERATOR_NAME and OPERATOR_CONTACT must be set: the privacy text tells users "
                "who runs this bot and how to reach them. See README, section 'Settings'."
            )
        return name, contact

    def webhook(self) -> WebhookSettings | None:
        """The webhook settings when WEBHOOK_URL is set (None: long polling); without a
        valid WEBHOOK_SECRET one clear error, since anyone could post fake updates."""
        if self.webhook_url is None:
            return None
        if self.webhook_secret is None:
            raise SettingsError(
                "WEBHOOK_URL is set but WEBHOOK_SECRET is not: set it to 32 or more characters "
                "of A-Z, a-z, 0-9, _ and - (e.g. `python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`). See README, section 'Settings'."
            )
        return WebhookSettings(
            url=self.webhook_url,
            secret=self.webhook_secret.get_secret_value(),
            listen=self.webhook_listen,
            port=self.webhook_port,
            path=self.webhook_path,
            max_connections=self.webhook_max_connections,
        )

    def require_token(self) -> str:
        """The bot token, or a clear error naming the variable and the README section."""
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value():
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set. See README, section 'Settings' "
                "(or try the bot without Telegram: section 'Try it without Telegram')."
            )
        return self.telegram_bot_token.get_secret_value()


def load_settings() -> Settings:
    """Read the environment; turn pydantic's report into one line per bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{str(err['loc'][0]).upper()}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise SettingsError(f"Invalid setting — {problems}") from None
