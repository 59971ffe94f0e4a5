"""Consent to store check-ins holds only for the privacy text the user agreed to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def is_current(agreed_version: str | None, privacy_version: str) -> bool:
    """True when the user agreed, and to the privacy text shown today."""
    return agreed_version is not None and agreed_version == privacy_version


MAX_REPORT_NAME = 40  # characters of the name or initials on the doctor's report


def report_name_of(typed: str) -> str | None:
    """The typed name or initials as the report prints them: one line, at most
    MAX_REPORT_NAME characters; nothing left means no name."""
    name = " ".join(typed.split())[:MAX_REPORT_NAME].strip()
    return name or None


@dataclass(frozen=True)
class Agreement:
    """What the user agreed to, and when; the name they want on the report, if any."""

    version: str
    agreed_at: datetime
    report_name: str | None = None

    def is_current(self, privacy_version: str) -> bool:
        return is_current(self.version, privacy_version)
