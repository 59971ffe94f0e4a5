"""The one place where button data is encoded and parsed.

Callback data comes from the client, not from Telegram, so every value is
validated on the way in. The format is `<version>|<kind>|<field>...`, at most
64 bytes. The data is stateless: a button sent last week still works after a
restart. An old version, unknown kind or bad field raises `InvalidCallbackData`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import ClassVar

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = "|"
FIELD_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
LANGUAGES = ("nl", "en")


class InvalidCallbackData(ValueError):
    """The data is stale, forged or from another version; the caller shows the menu."""


class _Button:
    """Base of every button's data: fields named in CHOICES accept only those values."""

    KIND: ClassVar[str]
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __post_init__(self) -> None:
        for name, allowed in self.CHOICES.items():
            if getattr(self, name) not in allowed:
                raise InvalidCallbackData(f"{name}={getattr(self, name)!r} is not on offer")


@dataclass(frozen=True)
class ShowTopic(_Button):
    """Open a topic screen (the main menu is the topic `main`)."""

    KIND: ClassVar[str] = "t"
    topic_id: str


@dataclass(frozen=True)
class ChooseLanguage(_Button):
    """Show the language picker."""

    KIND: ClassVar[str] = "lp"


@dataclass(frozen=True)
class SetLanguage(_Button):
    """Store the chosen language and show the main menu in it."""

    KIND: ClassVar[str] = "l"
    language: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"language": LANGUAGES}


@dataclass(frozen=True)
class OpenTopic(_Button):
    """Send a topic as a new message (from a tip: the tip itself stays in the chat)."""

    KIND: ClassVar[str] = "o"
    topic_id: str


@dataclass(frozen=True)
class RateTip(_Button):
    """👍 (`up`) or 👎 (`down`) on a tip."""

    KIND: ClassVar[str] = "r"
    tip_id: str
    verdict: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"verdict": ("up", "down")}


@dataclass(frozen=True)
class AnswerTipOffer(_Button):
    """The one-tap offer after /start: `yes` turns daily tips on, `no` leaves them off."""

    KIND: ClassVar[str] = "a"
    answer: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("yes", "no")}


@dataclass(frozen=True)
class ShowSettings(_Button):
    """A page of /instellingen: main, time, hours_<part>, minutes_<hour>, days, pickdays,
    tags, zone, pause. The settings handler validates the page name."""

    KIND: ClassVar[str] = "p"
    page: str


@dataclass(frozen=True)
class ChangeSetting(_Button):
    """One change from the settings menu, validated by `bot.domain.choices`."""

    KIND: ClassVar[str] = "s"
    name: str
    value: str


@dataclass(frozen=True)
class AskTimezone(_Button):
    """The next text the user sends is read as an IANA time zone name."""

    KIND: ClassVar[str] = "z"


@dataclass(frozen=True)
class ConfirmDelete(_Button):
    """The answer to "delete everything?": `yes` deletes, `no` keeps."""

    KIND: ClassVar[str] = "d"
    answer: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("yes", "no")}


LEVELS = tuple(str(level) for level in range(11))


@dataclass(frozen=True)
class AnswerConsent(_Button):
    """Consent to store check-ins: `yes_checkin` also starts today's check-in."""

    KIND: ClassVar[str] = "c"
    answer: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "answer": ("yes", "yes_checkin", "no", "withdraw")
    }


@dataclass(frozen=True)
class CheckinLevel(_Button):
    """Step 1: the NRS level (0-10) for `day` (yyyymmdd, the user's local date)."""

    KIND: ClassVar[str] = "cl"
    day: str
    level: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"level": LEVELS}


@dataclass(frozen=True)
class CheckinNight(_Button):
    """Step 1b: troubled at night, yes or no."""

    KIND: ClassVar[str] = "cn"
    day: str
    answer: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("yes", "no")}


@dataclass(frozen=True)
class CheckinToggle(_Button):
    """Step 2: switch one trigger on or off (validated against content)."""

    KIND: ClassVar[str] = "ct"
    day: str
    trigger: str


@dataclass(frozen=True)
class CheckinNext(_Button):
    """Move on: `none` (no triggers) or `done` → the note; `skip` (no note) → thanks."""

    KIND: ClassVar[str] = "cx"
    day: str
    step: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"step": ("none", "done", "skip")}


@dataclass(frozen=True)
class CheckinLater(_Button):
    """Ask again in an hour (once a day)."""

    KIND: ClassVar[str] = "cz"
    day: str


@dataclass(frozen=True)
class MorningWoke(_Button):
    """Morning question: did spasms wake you last night (yes/no)."""

    KIND: ClassVar[str] = "mw"
    day: str
    answer: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"answer": ("yes", "no")}


@dataclass(frozen=True)
class MorningLevel(_Button):
    """Morning question, after "yes": how bad (0-10)."""

    KIND: ClassVar[str] = "ml"
    day: str
    level: str
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"level": LEVELS}


CallbackData = (
    ShowTopic
    | ChooseLanguage
    | SetLanguage
    | OpenTopic
    | RateTip
    | AnswerTipOffer
    | ShowSettings
    | ChangeSetting
    | AskTimezone
    | ConfirmDelete
    | AnswerConsent
    | CheckinLevel
    | CheckinNight
    | CheckinToggle
    | CheckinNext
    | CheckinLater
    | MorningWoke
    | MorningLevel
)
KINDS: dict[str, type[CallbackData]] = {
    cls.KIND: cls
    for cls in (
        ShowTopic,
        ChooseLanguage,
        SetLanguage,
        OpenTopic,
        RateTip,
        AnswerTipOffer,
        ShowSettings,
        ChangeSetting,
        AskTimezone,
        ConfirmDelete,
        AnswerConsent,
        CheckinLevel,
        CheckinNight,
        CheckinToggle,
        CheckinNext,
        CheckinLater,
        MorningWoke,
        MorningLevel,
    )
}


def encode(data: CallbackData) -> str:
    values = [str(getattr(data, f.name)) for f in fields(data)]
    for value in values:
        if not FIELD_PATTERN.fullmatch(value):
            raise ValueError(f"field {value!r} cannot be put in callback data")
    raw = SEPARATOR.join([VERSION, data.KIND, *values])
    if len(raw.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {raw!r} is longer than {MAX_BYTES} bytes")
    return raw


def decode(raw: object) -> CallbackData:
    """Parse data from a button tap; anything unexpected raises InvalidCallbackData."""
    if not isinstance(raw, str) or len(raw.encode()) > MAX_BYTES:
        raise InvalidCallbackData("not a short string")
    version, _, rest = raw.partition(SEPARATOR)
    if version != VERSION:
        raise InvalidCallbackData(f"version {version[:8]!r}")
    kind, *values = rest.split(SEPARATOR)
    cls = KINDS.get(kind)
    if cls is None:
        raise InvalidCallbackData(f"kind {kind[:8]!r}")
    names = [f.name for f in fields(cls)]
    if len(values) != len(names) or not all(FIELD_PATTERN.fullmatch(v) for v in values):
        raise InvalidCallbackData(f"bad fields for kind {kind!r}")
    return cls(**dict(zip(names, values, strict=True)))
