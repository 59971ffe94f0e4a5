"""Consent to store check-ins holds only for the privacy text the user agreed to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def is_current(agreed_version: str | None, privacy_version: str) -> bool:
    """True when the user agreed, and to the privacy text shown today."""
    return agreed_version is not None and agreed_version == privacy_version


@dataclass(frozen=True)
class Agreement:
    """What the user agreed to, and when."""

    version: str
    agreed_at: datetime

    def is_current(self, privacy_version: str) -> bool:
        return is_current(self.version, privacy_version)
