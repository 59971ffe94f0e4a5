"""The one place where button data is encoded and parsed.

Callback data comes from the client, not from Telegram, so every value is checked
on the way in. The format is `<version>|<kind>|<field>...`, at most 64 bytes, and
stateless: a button sent last week still works after a restart. Each kind is a
frozen dataclass with typed fields (`str`, `int`, `bool`, `date`, or a `Literal`
of allowed words), decoded once here; a class may check its values further in
`__post_init__` (raising ValueError). An old version, unknown kind, bad field or
out-of-range value raises `InvalidCallbackData`.

The settings changes are the domain's own types (`bot.domain.changes`); this module
only gives them a kind code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, get_args, get_origin, get_type_hints

from bot.content.model import ID_PATTERN, Language
from bot.domain import changes
from bot.domain.appointments import REMIND_CHOICES, WEEKS_AHEAD, WithWhom

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = "|"
FIELD_PATTERN = ID_PATTERN
NUMBER_PATTERN = re.compile(r"[0-9]{1,6}")  # no field needs more; a huge one is forged
DAY_FORMAT = "%Y%m%d"
BOOLEANS = {"yes": True, "no": False}


class InvalidCallbackData(ValueError):
    """The data is stale, forged or from another version; the caller shows the menu."""


def _level(value: int) -> None:
    if not 0 <= value <= 10:
        raise ValueError(f"level {value} is outside 0-10")


@dataclass(frozen=True)
class ShowTopic:
    """Open a topic screen (the main menu is the topic `main`)."""

    topic_id: str


Action = Literal["checkin", "overview", "export", "settings", "help", "appointment"]


@dataclass(frozen=True)
class RunAction:
    """A daily action from the main menu (what its slash command does)."""

    action: Action


@dataclass(frozen=True)
class ChooseLanguage:
    """Show the language picker."""


@dataclass(frozen=True)
class SetLanguage:
    """Store the chosen language and show the main menu in it."""

    language: Language


@dataclass(frozen=True)
class OpenTopic:
    """Send a topic as a new message (from a tip: the tip itself stays in the chat)."""

    topic_id: str


@dataclass(frozen=True)
class RateTip:
    """👍 (`up`) or 👎 (`down`) on a tip; `clear` undoes either (a second tap)."""

    tip_id: str
    verdict: Literal["up", "down", "clear"]


@dataclass(frozen=True)
class AnswerTipOffer:
    """The one-tap offer after /start: yes turns daily tips on, no leaves them off."""

    accepted: bool


@dataclass(frozen=True)
class ShowSettings:
    """A page of /instellingen without parameters."""

    page: Literal["main", "days", "pickdays", "tags", "zone", "pause", "checkin"]


@dataclass(frozen=True)
class PickPart:
    """Choosing a time, step 1: the part of the day (for tips, check-in or morning)."""

    target: changes.TimeTarget


@dataclass(frozen=True)
class PickHour:
    """Step 2: the hour within that part of the day."""

    target: changes.TimeTarget
    part: changes.DayPart


@dataclass(frozen=True)
class PickMinute:
    """Step 3: :00, :15, :30 or :45 of that hour."""

    target: changes.TimeTarget
    hour: int

    def __post_init__(self) -> None:
        if not 0 <= self.hour < 24:
            raise ValueError(f"hour {self.hour}")


@dataclass(frozen=True)
class AskTimezone:
    """The next text the user sends is read as an IANA time zone name."""


@dataclass(frozen=True)
class ReportName:
    """The name or initials on the doctor's report: ask for it, or clear it."""

    clear: bool


@dataclass(frozen=True)
class ConfirmDelete:
    """The answer to "delete everything?"."""

    confirmed: bool


ConsentAnswer = Literal[
    "yes", "yes_checkin", "yes_appointment", "no", "withdraw", "withdraw_yes", "withdraw_no"
]


@dataclass(frozen=True)
class AnswerConsent:
    """Consent to store check-ins: `yes_checkin` also starts today's check-in,
    `yes_appointment` goes on with /afspraak; `withdraw`
    asks first, `withdraw_yes` deletes the check-ins, `withdraw_no` keeps them."""

    answer: ConsentAnswer


@dataclass(frozen=True)
class CheckinLevel:
    """Step 1: how bad today was (0-10), for `day`, the user's local date."""

    day: date
    level: int

    def __post_init__(self) -> None:
        _level(self.level)


@dataclass(frozen=True)
class CheckinNight:
    """Step 1b: troubled at night, yes or no."""

    day: date
    troubled: bool


@dataclass(frozen=True)
class CheckinToggle:
    """Step 2: switch one trigger on or off (validated against content)."""

    day: date
    trigger: str


@dataclass(frozen=True)
class CheckinNext:
    """Move on: `none` (no triggers) or `done` → the note; `skip` (no note) → thanks."""

    day: date
    step: Literal["none", "done", "skip"]


@dataclass(frozen=True)
class CheckinStop:
    """End the check-in now; every answer given so far stays stored."""

    day: date


CheckinStep = Literal["level", "night", "triggers", "note"]


@dataclass(frozen=True)
class CheckinBack:
    """One step back: show step `to` again (its stored answer is replaced only by a new one)."""

    day: date
    to: CheckinStep


@dataclass(frozen=True)
class CheckinLater:
    """Ask again in an hour (once a day)."""

    day: date


@dataclass(frozen=True)
class MorningWoke:
    """Morning question: did spasms wake you last night."""

    day: date
    woke: bool


@dataclass(frozen=True)
class MorningLevel:
    """Morning question, after "yes": how bad (0-10)."""

    day: date
    level: int

    def __post_init__(self) -> None:
        _level(self.level)


@dataclass(frozen=True)
class AppointmentWeeks:
    """/afspraak, step 1 (or "Verplaatsen"): which week is the appointment in."""


@dataclass(frozen=True)
class AppointmentWeek:
    """Step 2: the days of the week `weeks` from this one (0 = this week)."""

    weeks: int

    def __post_init__(self) -> None:
        if not 0 <= self.weeks <= WEEKS_AHEAD:
            raise ValueError(f"week {self.weeks}")


@dataclass(frozen=True)
class AppointmentDay:
    """Step 3: the day is chosen; now with whom."""

    day: date


@dataclass(frozen=True)
class AppointmentWho:
    """Step 4: with whom, on `day`: stores the appointment."""

    day: date
    who: WithWhom


@dataclass(frozen=True)
class AppointmentType:
    """Instead of the day buttons: the next text is the date."""


@dataclass(frozen=True)
class AppointmentRemind:
    """The reminder comes this many days before (1, 3 or 7)."""

    days: int

    def __post_init__(self) -> None:
        if self.days not in REMIND_CHOICES:
            raise ValueError(f"remind {self.days} days before")


AppointmentAction = Literal["show", "cancel", "ask", "done", "skip", "clear"]


@dataclass(frozen=True)
class AppointmentDo:
    """The appointment screen and the reminders: show it, cancel it, type a question
    (`ask`), no more questions (`done`), no answer to a scheduled question (`skip`),
    delete the questions (`clear`)."""

    action: AppointmentAction


@dataclass(frozen=True)
class BroadcastAnswer:
    """The admin's answer under a /broadcast preview: send it (`send`) or cancel it."""

    broadcast_id: int
    send: bool


@dataclass(frozen=True)
class BroadcastProgress:
    """The admin asks how far a queued broadcast is."""

    broadcast_id: int


@dataclass(frozen=True)
class AdminMessages:
    """Under a broadcast: no more messages from the administrator (`wanted` no), or
    again (yes)."""

    wanted: bool


CallbackData = (
    ShowTopic
    | RunAction
    | ChooseLanguage
    | SetLanguage
    | OpenTopic
    | RateTip
    | AnswerTipOffer
    | ShowSettings
    | PickPart
    | PickHour
    | PickMinute
    | AskTimezone
    | ReportName
    | changes.Change
    | ConfirmDelete
    | AnswerConsent
    | CheckinLevel
    | CheckinNight
    | CheckinToggle
    | CheckinNext
    | CheckinBack
    | CheckinStop
    | CheckinLater
    | MorningWoke
    | MorningLevel
    | AppointmentWeeks
    | AppointmentWeek
    | AppointmentDay
    | AppointmentWho
    | AppointmentType
    | AppointmentRemind
    | AppointmentDo
    | BroadcastAnswer
    | BroadcastProgress
    | AdminMessages
)
KINDS: dict[str, type[CallbackData]] = {
    "t": ShowTopic,
    "go": RunAction,
    "lp": ChooseLanguage,
    "l": SetLanguage,
    "o": OpenTopic,
    "r": RateTip,
    "a": AnswerTipOffer,
    "p": ShowSettings,
    "pp": PickPart,
    "ph": PickHour,
    "pm": PickMinute,
    "z": AskTimezone,
    "rn": ReportName,
    "sw": changes.Switch,
    "st": changes.SetTime,
    "sd": changes.SetDays,
    "sy": changes.ToggleDay,
    "sg": changes.ToggleTag,
    "sz": changes.SetZone,
    "sp": changes.Pause,
    "sr": changes.Resume,
    "d": ConfirmDelete,
    "c": AnswerConsent,
    "cl": CheckinLevel,
    "cn": CheckinNight,
    "ct": CheckinToggle,
    "cx": CheckinNext,
    "cb": CheckinBack,
    "cs": CheckinStop,
    "cz": CheckinLater,
    "mw": MorningWoke,
    "ml": MorningLevel,
    "aw": AppointmentWeeks,
    "ak": AppointmentWeek,
    "ad": AppointmentDay,
    "aq": AppointmentWho,
    "at": AppointmentType,
    "ar": AppointmentRemind,
    "ax": AppointmentDo,
    "ba": BroadcastAnswer,
    "bp": BroadcastProgress,
    "bm": AdminMessages,
}
KIND_OF = {cls: kind for kind, cls in KINDS.items()}


def _field_types(cls: type) -> list[tuple[str, Any]]:
    hints = get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in fields(cls)]


FIELD_TYPES = {cls: _field_types(cls) for cls in KINDS.values()}  # (name, type) per kind


def _encode_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.strftime(DAY_FORMAT)
    return str(value)


def _decode_value(raw: str, wanted: Any) -> object:
    """One field from its text; ValueError (or KeyError) when it does not fit the type."""
    if wanted is bool:
        return BOOLEANS[raw]
    if wanted is int:
        if not NUMBER_PATTERN.fullmatch(raw):
            raise ValueError(f"not a small number: {raw[:8]!r}")
        return int(raw)
    if wanted is date:
        if len(raw) != 8 or not raw.isdigit():
            raise ValueError(f"not a day: {raw[:8]!r}")
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    if get_origin(wanted) is Literal and raw not in get_args(wanted):
        raise ValueError(f"{raw[:8]!r} is not on offer")
    return raw


def encode(data: CallbackData) -> str:
    values = [_encode_value(getattr(data, name)) for name, _ in FIELD_TYPES[type(data)]]
    for value in values:
        if not FIELD_PATTERN.fullmatch(value):
            raise ValueError(f"field {value!r} cannot be put in callback data")
    raw = SEPARATOR.join([VERSION, KIND_OF[type(data)], *values])
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
    types = FIELD_TYPES[cls]
    if len(values) != len(types) or not all(FIELD_PATTERN.fullmatch(v) for v in values):
        raise InvalidCallbackData(f"bad fields for kind {kind!r}")
    try:
        parsed: dict[str, Any] = {
            name: _decode_value(v, t) for (name, t), v in zip(types, values, strict=True)
        }
        return cls(**parsed)
    except (ValueError, KeyError) as exc:
        raise InvalidCallbackData(f"bad value for kind {kind!r}: {exc}") from None
