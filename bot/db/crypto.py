"""Check-in notes encrypted at rest: Fernet keys (newest first) and the `EncryptedText` type.

Telegram's Bot Developer Terms ask for user data "encrypted at rest and stored separately
from its encryption key". The keys come only from the environment (ENCRYPTION_KEY or
ENCRYPTION_KEY_FILE), never from the database. Each engine carries its own `Keyring`:
`create_engine(url, keyring)` registers it under the engine's dialect, the one object a
type's processors are handed, so the ORM, core `select(table)`, the scheduler and the
tests all encrypt with the keys of the engine they use, and no handler sees a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.settings import Settings, SettingsError

NO_KEY = (
    "ENCRYPTION_KEY is not set (check-in notes are stored encrypted): set ENCRYPTION_KEY or "
    "ENCRYPTION_KEY_FILE; `spasmbot generate-key` makes a key (README, section 'Settings')"
)


class KeyProblem(SettingsError):
    """The keys are missing, malformed or do not open what is stored; one line, no key."""


class WrongKey(KeyProblem):
    """No key of the keyring opens a stored note (a wrong, or a retired, key)."""

    def __init__(self, source: str) -> None:
        super().__init__(f"{source} does not open the stored notes; nothing was changed")


class Keyring:
    """Fernet keys, newest first: the newest encrypts, every one of them decrypts."""

    def __init__(self, keys: Sequence[str], source: str = "ENCRYPTION_KEY") -> None:
        if not keys:
            raise KeyProblem(f"{source} holds no key; make one with `spasmbot generate-key`")
        fernets = []
        for number, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key))
            except ValueError:  # the message never repeats the key
                raise KeyProblem(
                    f"{source}: key {number} is not a Fernet key (32 url-safe base64 bytes); "
                    "make one with `spasmbot generate-key`"
                ) from None
        self.source = source
        self._newest = fernets[0]
        self._all = MultiFernet(fernets)

    def __repr__(self) -> str:
        return f"<Keyring from {self.source}>"  # never the keys

    def encrypt(self, text: str) -> str:
        return self._all.encrypt(text.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._all.decrypt(token).decode()
        except InvalidToken:
            raise WrongKey(self.source) from None

    def rotate(self, token: str) -> str | None:
        """The token re-encrypted with the newest key, or None when it already uses it."""
        try:
            self._newest.decrypt(token)
            return None
        except InvalidToken:
            pass
        try:
            return self._all.rotate(token).decode("ascii")
        except InvalidToken:
            raise WrongKey(self.source) from None


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def keyring_for(settings: Settings) -> Keyring | None:
    """The operator's keys (ENCRYPTION_KEY or ENCRYPTION_KEY_FILE), or None if neither is set."""
    found = settings.encryption_keys()
    return None if found is None else Keyring(found[1], source=found[0])


def require_keyring(settings: Settings) -> Keyring:
    """The operator's keys, or the one line that says how to set them."""
    keyring = keyring_for(settings)
    if keyring is None:
        raise KeyProblem(NO_KEY)
    return keyring


# One entry per engine (its dialect), dropped with the engine: not a process-wide key.
_KEYRINGS: WeakKeyDictionary[Dialect, Keyring] = WeakKeyDictionary()


def attach_keyring(dialect: Dialect, keyring: Keyring) -> None:
    """Called by `create_engine`: this engine's notes are sealed with `keyring`."""
    _KEYRINGS[dialect] = keyring


def keyring_of(dialect: Dialect) -> Keyring | None:
    return _KEYRINGS.get(dialect)


def _required(dialect: Dialect) -> Keyring:
    keyring = keyring_of(dialect)
    if keyring is None:
        raise KeyProblem(NO_KEY)
    return keyring


class EncryptedText(TypeDecorator[str]):
    """Text the database only ever sees as a Fernet token (authenticated encryption).

    Each write gets a fresh IV, so the column can be read and written, never searched
    or compared in SQL.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _required(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _required(dialect).decrypt(value)
