"""The settings the sandbox and the try-out give the real bot: their fake server, and
example operator details when the operator has set none (the privacy text names them)."""

from __future__ import annotations

from pydantic import SecretStr

from bot.settings import Settings
from devtools.fakeapi import FakeTelegram

EXAMPLE_OPERATOR_NAME = "Voorbeeldvereniging (sandbox)"
EXAMPLE_OPERATOR_CONTACT = "privacy@voorbeeld.invalid"


def for_fake_server(settings: Settings, fake: FakeTelegram, token: str, **more: object) -> Settings:
    """`settings` pointed at `fake`, with example operator details where none are set;
    long polling and no health server (try those with `spasmbot run` against
    `spasmbot fakeapi`: docs/operations.md)."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(token),
            "telegram_base_url": fake.base_url,
            "telegram_base_file_url": fake.base_file_url,
            "operator_name": settings.operator_name or EXAMPLE_OPERATOR_NAME,
            "operator_contact": settings.operator_contact or EXAMPLE_OPERATOR_CONTACT,
            "webhook_url": None,
            "health_port": 0,
            **more,
        }
    )
