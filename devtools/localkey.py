"""A local encryption key for the sandbox and the try-out, so they need no setup.

Without ENCRYPTION_KEY or ENCRYPTION_KEY_FILE they keep a key file beside their SQLite
database (`spasmbot.sqlite3` → `spasmbot.sqlite3.key`, git-ignored), made once and
reused. That is a convenience for trying the bot, not how to run it: in production the
key lives apart from the database (README, 'Settings').
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db.crypto import generate_key
from bot.settings import Settings, SettingsError


def local_key_path(database_url: str) -> Path:
    """Where the key of this SQLite database lives; other databases get no local key."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise SettingsError(
            "the developer tools make a key only beside a SQLite file; set ENCRYPTION_KEY "
            "or ENCRYPTION_KEY_FILE for this database (`spasmbot generate-key` makes one)"
        )
    return Path(url.database).with_name(Path(url.database).name + ".key")


def with_local_key(settings: Settings) -> Settings:
    """`settings` as they are if a key is configured, else with the local key file."""
    if settings.encryption_keys() is not None:
        return settings
    path = local_key_path(settings.database_url)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(generate_key() + "\n")
    return settings.model_copy(update={"encryption_key_file": path})
