"""The pieces the update strategies (tests/auxil/updates.py) are built from, as raw Bot API
JSON: people, chats, texts, commands, media, polls, member statuses and button data.

Optional fields are chosen with one bit mask per object (`some`): hypothesis then spends
one choice on them instead of one per field, which keeps drawing thousands of updates fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal, get_args, get_origin

from hypothesis import strategies as st

from bot import callbacks
from bot.handlers import COMMANDS
from devtools.fakeapi.players import text_content

JSONDict = dict[str, Any]
Draw = st.DrawFn
NOW = 1_795_676_400  # 2026-11-26 07:00 UTC, the suite's clock
CHANNEL = {"id": -1_002_000_000_001, "type": "channel", "title": "Kanaal"}
ANONYMOUS = {
    "id": 1_087_968_824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
TELEGRAM = {"id": 777_000, "is_bot": False, "first_name": "Telegram"}  # channel forwards


def words(text: str) -> list[str]:
    return text.split()


def some(draw: Draw, fields: dict[str, Any]) -> JSONDict:
    """A random subset of the optional `fields` (callables are drawn only when chosen),
    plus perhaps fields a later Bot API version might add."""
    mask = draw(st.integers(0, 2 ** len(fields) - 1))
    chosen = [(k, v) for i, (k, v) in enumerate(fields.items()) if mask >> i & 1]
    return {**{k: v() if callable(v) else v for k, v in chosen}, **draw(FUTURE)}


FUTURES: list[JSONDict] = [{}] * 6 + [{"x_future_flag": True}, {"x_future": {"kind": [1, "a"]}}]
FUTURE = st.sampled_from(FUTURES)
ODD_NAMES = ["<b>Anna", "Tom & Jerry", "</i>", "Ζωή", "محمد", "李", "Z̤͔ͧ̑a̘̠lgo", "🧠", "a" * 64]
NAMES = st.one_of(
    st.sampled_from(ODD_NAMES), st.text(min_size=1, max_size=16).map(lambda s: s.strip() or "x")
)
LANGUAGES = ["nl", "en", "nl-BE", "de", "fr", "zh-hans", "", "x-klingon"]
TEXTS = st.one_of(
    st.sampled_from(
        [
            *words("spasmen baclofen warmte stretching pijn help stop ja nee 0 10 😀 🧠💊"),
            *words("Europe/Amsterdam europe/london Mars/Olympus <b> &amp; KeyError"),
            *["€5 of $5", "50% $$", "$\\alpha$ stijf", "x^2_1", "{}%s%d\\n"],
            *[" ", "\n", "\u200b", "\u202e", "\t \n", "ـ", "\u2028", "america/new york"],
        ]
    ),
    st.text(min_size=1, max_size=60),
    st.builds(lambda s, n: (s * n)[:4096], st.text(min_size=1, max_size=4), st.integers(500, 4096)),
)
COMMAND_NAMES = sorted({n for c in COMMANDS for n in (c.nl, c.en)} | {"foobar", "START", "x" * 32})
COMMAND = st.builds(
    lambda name, bot, rest: text_content(f"/{name}{bot}{rest}"),
    st.sampled_from(COMMAND_NAMES),
    st.sampled_from(["", "", "", "@spasmbot_test_bot", "@otherbot"]),
    st.sampled_from(["", "", " extra words", " 🙂", "\nsecond line"]),
)


def someone(ids: tuple[int, ...]) -> st.SearchStrategy[int]:
    """One of `ids`, the first ones far more often: a few people use the bot a lot."""
    index = st.integers(0, len(ids) - 1)
    return st.tuples(index, index).map(lambda pair: ids[min(pair)])


@st.composite
def user_json(draw: Draw, user_id: int) -> JSONDict:
    optional = {
        "last_name": lambda: draw(NAMES),
        "username": lambda: draw(st.sampled_from(["anna_nl", "Z" * 32, "spasmbot_test_bot"])),
        "language_code": lambda: draw(st.sampled_from(LANGUAGES)),
        "is_premium": True,
    }
    return {"id": user_id, "is_bot": False, "first_name": draw(NAMES), **some(draw, optional)}


def private_chat(user: JSONDict) -> JSONDict:
    names = {k: v for k, v in user.items() if k in ("first_name", "last_name", "username")}
    return {"id": user["id"], "type": "private", **names}


def _file(draw: Draw, prefix: str, **fields: Any) -> JSONDict:
    number = draw(st.integers(0, 10**6))
    ids = {"file_id": f"{prefix}{number}", "file_unique_id": f"u{prefix}{number}"}
    return {**ids, **fields, **some(draw, {"file_size": lambda: draw(st.integers(0, 2**31))})}


def poll(question: str, *, leave_out: tuple[str, ...] = ()) -> JSONDict:
    """A poll as Bot API 10 sends it, without the fields in `leave_out`."""
    options = [{"persistent_id": str(i), "text": t, "voter_count": i} for i, t in enumerate("jn")]
    poll = {"id": "poll-1", "question": question, "options": options, "total_voter_count": 1}
    poll |= {"is_closed": False, "is_anonymous": True, "type": "regular"}
    poll |= {"allows_multiple_answers": False, "allows_revoting": True, "members_only": False}
    return {k: v for k, v in poll.items() if k not in leave_out}


MEDIA: dict[str, Callable[[Draw], JSONDict]] = {
    "sticker": lambda d: {
        "sticker": _file(d, "S", width=512, height=512, is_animated=False, is_video=False)
        | {"type": "regular", "emoji": "👍"}
    },
    "photo": lambda d: {
        "photo": [_file(d, "P", width=90, height=90), _file(d, "Q", width=9, height=9)]
    },
    "document": lambda d: {"document": _file(d, "D", file_name=d(NAMES), mime_type="x/y")},
    "voice": lambda d: {"voice": _file(d, "V", duration=d(st.integers(0, 3600)))},
    "video_note": lambda d: {"video_note": _file(d, "N", length=240, duration=3)},
    "audio": lambda d: {"audio": _file(d, "A", duration=7, title=d(NAMES))},
    "contact": lambda d: {"contact": {"phone_number": "+31 6 1234", "first_name": d(NAMES)}},
    "contact of a user": lambda d: {
        "contact": {"phone_number": "0", "first_name": "A", "user_id": 9}
    },
    "location": lambda d: {"location": {"latitude": d(st.floats(-90, 90)), "longitude": 4.9}},
    "venue": lambda d: {
        "location": {"latitude": 52.37, "longitude": 4.89},
        "venue": {
            "location": {"latitude": 52.37, "longitude": 4.89},
            "title": d(NAMES),
            "address": "Dam 1",
        },
    },
    "dice": lambda d: {"dice": {"emoji": "🎲", "value": d(st.integers(1, 6))}},
    "poll": lambda d: {"poll": poll(d(NAMES))},
    "story": lambda d: {"story": {"chat": CHANNEL, "id": d(st.integers(1, 99))}},
    "new member": lambda d: {"new_chat_members": [d(user_json(424_242))]},
    "member left": lambda d: {"left_chat_member": d(user_json(424_243))},
    "title": lambda d: {"new_chat_title": d(NAMES)},
}
CAPTIONED = ("photo", "document", "audio")
GROUP_ONLY = ("new member", "member left", "title")


@st.composite
def content(draw: Draw, in_group: bool) -> JSONDict:
    """What a message carries: text, a command, or anything else a person can send."""
    kind = draw(st.sampled_from(["text"] * 5 + ["command"] * 4 + ["media"] * 3))
    if kind == "text":
        return text_content(draw(TEXTS))
    if kind == "command":
        return draw(COMMAND)
    name = draw(st.sampled_from([k for k in sorted(MEDIA) if in_group or k not in GROUP_ONLY]))
    caption = some(draw, {"caption": lambda: draw(TEXTS)[:1024]}) if name in CAPTIONED else {}
    return {**MEDIA[name](draw), **caption}


VALUES = st.one_of(
    st.sampled_from(
        [
            *words("0 1 10 11 23 24 -1 +1 999999 1000000 99999999999999999999 yes no up down"),
            *words("main days tags zone pause checkin tips morning evening afternoon night"),
            *words("what heat stress none done skip withdraw nl en 20261126 20261125 20261119"),
            *words("20261118 20261127 20260230 99991231 00000000 Europe/Amsterdam 😀"),
            *["", " ", "a" * 40],
        ]
    ),
    st.text(max_size=8),
)
JUNK = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["1|t|" + "é" * 40, "1|" + "x" * 63, "1|t|" + "w" * 61, "1|t|what|"]),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


# Check-ins take consent and several steps, so their kinds come up more; deleting
# everything (`d`) less, or little state would build up.
WEIGHTS = {"d": 1, "c": 6, "cl": 6, "cn": 4, "ct": 4, "cx": 4, "mw": 3, "ml": 3}
TYPED_KINDS = [kind for kind in sorted(callbacks.KINDS) for _ in range(WEIGHTS.get(kind, 2))]
NUMBERS = words("0 1 5 7 10 11 12 23 24 30 45 480 1439 1440 999999")
DAYS = [(date(2026, 11, 26) - timedelta(days=back)).strftime("%Y%m%d") for back in (-1, 0, 1, 7, 8)]


def _typed(draw: Draw, wanted: Any, names: tuple[str, ...]) -> str:
    """A value of the field's type, in range or just outside it."""
    if wanted is bool:
        return draw(st.sampled_from(["yes", "no"]))
    if wanted is int:
        return draw(st.sampled_from(NUMBERS))
    if wanted is date:
        return draw(st.sampled_from([*DAYS, "20260230"]))
    if get_origin(wanted) is Literal:
        return str(draw(st.sampled_from(get_args(wanted))))
    return draw(st.sampled_from(names))


@st.composite
def button_data(draw: Draw, names: tuple[str, ...], typed: bool = False) -> str:
    """`1|kind|…` with typed values, or any values and perhaps a wrong field count, or junk;
    `typed`: only the first."""
    shape = 0 if typed else draw(st.integers(0, 5))
    if shape == 5:
        return draw(JUNK)
    if shape < 3:
        kind = draw(st.sampled_from(TYPED_KINDS))
        cls = callbacks.KINDS[kind]
        values = [_typed(draw, wanted, names) for _, wanted in callbacks.FIELD_TYPES[cls]]
        return "|".join(["1", kind, *values])
    kind = draw(st.sampled_from([*sorted(callbacks.KINDS), "zz", "", "T"]))
    count = len(callbacks.FIELD_TYPES.get(callbacks.KINDS.get(kind, callbacks.ShowTopic), []))
    count = max(0, count + draw(st.sampled_from([0, 0, 0, 0, 1, -1])))
    version = draw(st.sampled_from(["1", "1", "1", "1", "0", "2", ""]))
    return "|".join([version, kind, *draw(st.lists(VALUES, min_size=count, max_size=count))])


RIGHTS = words(
    "can_be_edited is_anonymous can_manage_chat can_delete_messages can_manage_video_chats "
    "can_restrict_members can_promote_members can_change_info can_invite_users "
    "can_post_stories can_edit_stories can_delete_stories"
)
RESTRICTIONS = words(
    "is_member can_change_info can_invite_users can_pin_messages can_send_messages "
    "can_send_polls can_send_other_messages can_add_web_page_previews can_manage_topics "
    "can_send_audios can_send_documents can_send_photos can_send_videos can_send_video_notes "
    "can_send_voice_notes can_edit_tag can_react_to_messages"
)
STATUSES: dict[str, JSONDict] = {
    "member": {"status": "member"},
    "kicked": {"status": "kicked", "until_date": 0},
    "left": {"status": "left"},
    "administrator": {"status": "administrator", **dict.fromkeys(RIGHTS, False)},
    "restricted": {"status": "restricted", "until_date": 0, **dict.fromkeys(RESTRICTIONS, True)},
}
