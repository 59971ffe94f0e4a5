"""The sandbox and the try-out keep their own key beside their SQLite file, made once."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.db.crypto import require_keyring
from bot.settings import Settings, SettingsError
from devtools.localkey import with_local_key
from tests.conftest import ENCRYPTION_KEY


def settings_for(url: str, key: str | None = None) -> Settings:
    secret = SecretStr(key) if key else None
    return Settings(database_url=url, encryption_key=secret, _env_file=None)  # type: ignore[call-arg]


def test_a_key_file_is_made_beside_the_database_once_and_reused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sandbox.sqlite3'}"
    first = with_local_key(settings_for(url))
    path = tmp_path / "sandbox.sqlite3.key"
    assert first.encryption_key_file == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = path.read_text()
    sealed = require_keyring(first).encrypt("een notitie")
    again = with_local_key(settings_for(url))
    assert path.read_text() == made  # the same key: last session's notes still open
    assert require_keyring(again).decrypt(sealed) == "een notitie"


def test_a_configured_key_wins_and_other_databases_get_no_local_key(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sandbox.sqlite3'}"
    configured = settings_for(url, ENCRYPTION_KEY)
    assert with_local_key(configured) is configured
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SettingsError, match="only beside a SQLite file"):
        with_local_key(settings_for("postgresql+asyncpg://postgres@127.0.0.1/db"))
