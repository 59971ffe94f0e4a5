"""Hypothesis strategies for the updates Telegram can send this bot, as raw Bot API JSON.

`updates(population)` draws one `Fuzzed` update: a `message` (text in any script, very
long or only whitespace, commands known and unknown, `/start@otherbot`, stickers, photos,
documents, voice, contacts, locations, venues, polls, dice, stories, replies, forwards,
group service messages), an `edited_message`, a `callback_query` (data valid, forged,
huge or negative numbers, wrong field counts, unicode, > 64 bytes, absent; on a live, a
made-up or an inaccessible message; from people who never wrote) or a `my_chat_member`
(blocks and unblocks, groups, channels), from private chats of many users, groups and
supergroups (members, anonymous admins, channel forwards). Optional fields come and go
as the Bot API allows; unknown "future" fields appear at random. `journey` is one person
going through a flow with valid buttons, so that check-ins, settings and reports happen.
Everything parses with python-telegram-bot (tests/handlers/test_fuzz.py checks that).

Inline-mode button taps (issue 11 defect 4, fixed) are drawn unless `known_defects=False`.
Updates python-telegram-bot cannot parse (defect 1) are never drawn: they have their own
test, since the bot skips them before any handler sees them.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as with_seed
from hypothesis import strategies as st

from devtools.fakeapi.players import text_content
from tests.auxil.fuzzing import Fuzzed, LiveTap, Population, within_flood_limits
from tests.auxil.update_parts import (
    ANONYMOUS,
    CHANNEL,
    DAYS,
    FUTURE,
    NOW,
    STATUSES,
    TELEGRAM,
    TEXTS,
    Draw,
    JSONDict,
    button_data,
    content,
    private_chat,
    some,
    someone,
    user_json,
)

MESSAGE_IDS = st.integers(1, 3_000)
NOTES = st.one_of(  # what people write under a check-in
    TEXTS,
    st.sampled_from(["Slecht geslapen.", "fysio 50% vergoed", "pillen $$$", "€5 of $5", "\n\n"]),
)


@st.composite
def where(draw: Draw, population: Population, user: JSONDict) -> tuple[JSONDict, JSONDict]:
    """(chat, sender fields): mostly `user`'s private chat, sometimes a group."""
    if draw(st.integers(0, 9)) < 9:
        return private_chat(user), {"from": user}
    chat_id, kind = draw(st.sampled_from(population.groups))
    chat = {"id": chat_id, "type": kind, "title": f"Groep {chat_id}"}
    sender = draw(st.sampled_from(["member", "member", "anonymous admin", "channel"]))
    if sender == "anonymous admin":
        return chat, {"from": ANONYMOUS, "sender_chat": chat}
    if sender == "channel":
        return chat, {"from": TELEGRAM, "sender_chat": CHANNEL, "is_automatic_forward": True}
    return chat, {"from": user}


@st.composite
def message(draw: Draw, population: Population, *, edited: bool = False) -> JSONDict:
    user = draw(user_json(draw(someone(population.users))))
    chat, sender = draw(where(population, user))
    date = NOW + draw(st.integers(-(10**6), 10**5))
    body = {"message_id": draw(MESSAGE_IDS), "date": date, "chat": chat, **sender}
    earlier = {"message_id": draw(MESSAGE_IDS), "date": date - 60, "chat": chat}
    origins = [
        {"type": "hidden_user", "date": date, "sender_user_name": "Iemand"},
        {"type": "channel", "date": date, "chat": CHANNEL, "message_id": 5},
        {
            "type": "user",
            "date": date,
            "sender_user": {"id": 7, "is_bot": False, "first_name": "B"},
        },
    ]
    optional = {
        "reply_to_message": lambda: (
            {**earlier, "from": draw(st.sampled_from([population.bot, user]))} | {"text": "eerder"}
        ),
        "forward_origin": lambda: draw(st.sampled_from(origins)),
        "has_protected_content": True,
        "is_from_offline": True,
        "link_preview_options": {"is_disabled": True},
        "via_bot": population.bot,
        "media_group_id": "13",
        "message_thread_id": 7,
        "author_signature": "Redactie",
    }
    extra = some(draw, optional)
    if "reply_to_message" in extra and draw(st.booleans()):
        extra["quote"] = {"text": "eerder", "position": 0}
    if edited:
        extra["edit_date"] = date + draw(st.integers(1, 10**5))
    return {**body, **draw(content(chat["type"] != "private")), **extra}


@st.composite
def callback_query(draw: Draw, population: Population, known_defects: bool) -> Fuzzed:
    user = draw(user_json(draw(someone(population.users + population.tappers))))
    chat, _ = draw(where(population, user))
    shapes = ["live"] * 6 + ["made up"] * 3 + ["inaccessible"] + ["inline"] * known_defects
    shape = draw(st.sampled_from(shapes))
    payload: JSONDict = {"id": str(draw(st.integers(0, 2**63))), "from": user}
    payload["chat_instance"] = str(draw(st.integers(-(2**63), 2**63 - 1)))
    data = draw(st.integers(0, 9))
    if data < 8:
        payload["data"] = draw(button_data(population.names))
    elif data == 8:
        payload["game_short_name"] = "spasm_game"
    message_id = draw(st.one_of(st.integers(1, 3_000), st.sampled_from([2**31 - 1, 2**53])))
    if shape == "inline":
        payload["inline_message_id"] = f"AgAAAN{draw(st.integers(0, 2**40))}"
    elif shape == "inaccessible":
        payload["message"] = {"chat": chat, "message_id": message_id, "date": 0}
    else:
        made_up = {"message_id": message_id, "date": NOW - 3600, "chat": chat}
        made_up |= {"from": population.bot, "text": draw(TEXTS)}
        if button := payload.get("data"):
            made_up["reply_markup"] = {
                "inline_keyboard": [[{"text": "?", "callback_data": button}]]
            }
        payload["message"] = made_up
    tap = None
    if shape == "live":
        back = draw(st.sampled_from([0, 0, 0, 0, 1, 1, 2, 3, 7, 10**6]))
        tap = LiveTap(back, draw(st.none() | st.integers(0, 100)))
    return Fuzzed("callback_query", {**payload, **draw(FUTURE)}, tap)


@st.composite
def my_chat_member(draw: Draw, population: Population) -> JSONDict:
    """The bot blocked or unblocked in a private chat, or added to or removed from a group."""
    user = draw(user_json(draw(someone(population.users))))
    place = draw(st.sampled_from([None, None, None, (0, "channel"), *population.groups]))
    if place is None:
        chat, statuses = private_chat(user), ["member", "kicked"]
    elif place[1] == "channel":
        chat, statuses = CHANNEL, ["administrator", "left", "kicked"]
    else:
        chat, statuses = {"id": place[0], "type": place[1], "title": "Groep"}, sorted(STATUSES)
    old, new = ({**STATUSES[draw(st.sampled_from(statuses))], "user": population.bot} for _ in "on")
    change = {
        "chat": chat,
        "from": user,
        "date": NOW,
        "old_chat_member": old,
        "new_chat_member": new,
    }
    return {**change, **some(draw, {"via_join_request": True})}


@st.composite
def updates(draw: Draw, population: Population, *, known_defects: bool = True) -> Fuzzed:
    kind = draw(st.sampled_from(["message"] * 10 + ["callback_query"] * 7 + ["edited", "member"]))
    if kind == "callback_query":
        return draw(callback_query(population, known_defects))
    if kind == "member":
        return Fuzzed("my_chat_member", draw(my_chat_member(population)))
    if kind == "edited":
        return Fuzzed("edited_message", draw(message(population, edited=True)))
    return Fuzzed("message", draw(message(population)))


@st.composite
def journey(draw: Draw, population: Population) -> list[Fuzzed]:
    """One person through one flow with valid buttons (taps on their newest message)."""
    user = draw(user_json(draw(someone(population.users))))
    chat, day = private_chat(user), draw(st.sampled_from(DAYS[1:3]))  # today or yesterday

    def say(text: str) -> Fuzzed:
        body = {"message_id": draw(MESSAGE_IDS), "date": NOW, "chat": chat, "from": user}
        return Fuzzed("message", {**body, **text_content(text)})

    def tap(data: str) -> Fuzzed:
        query = {"id": str(draw(st.integers(0, 2**63))), "from": user, "chat_instance": "1"}
        made_up = {"message_id": 1, "date": NOW, "chat": chat, "from": population.bot, "text": "?"}
        return Fuzzed(
            "callback_query", {**query, "data": data, "message": made_up}, LiveTap(0, None)
        )

    level, yes = draw(st.integers(0, 10)), draw(st.sampled_from(["yes", "no"]))
    triggers = draw(st.lists(st.sampled_from(population.triggers), max_size=3))
    flows = {
        "checkin": lambda: [
            say("/checkin"),
            tap("1|c|yes_checkin"),
            tap(f"1|cl|{day}|{level}"),
            tap(f"1|cn|{day}|{yes}"),
            *(tap(f"1|ct|{day}|{trigger}") for trigger in triggers),
            tap(f"1|cx|{day}|{draw(st.sampled_from(['none', 'done', 'done', 'skip']))}"),
            say(draw(NOTES)),
            *[say(draw(st.sampled_from(["/overzicht", "/export"])))] * draw(st.booleans()),
        ],
        "morning": lambda: [tap("1|c|yes"), tap(f"1|mw|{day}|{yes}"), tap(f"1|ml|{day}|{level}")],
        "later": lambda: [tap("1|c|yes"), tap(f"1|cz|{day}"), tap(f"1|cz|{day}")],
        "zone": lambda: [say("/instellingen"), tap("1|z"), say(draw(TEXTS)), say("Europe/London")],
        "settings": lambda: [
            say("/settings"),
            *(tap(draw(button_data(population.names, typed=True))) for _ in range(4)),
        ],
        "reports": lambda: [say(draw(st.sampled_from(["/overzicht", "/export", "/mijngegevens"])))],
        "delete": lambda: [say("/verwijderen"), tap(f"1|d|{yes}")],
        "subscribe": lambda: [
            say("/start"),
            tap(f"1|a|{yes}"),
            *(tap(f"1|sw|{what}|yes") for what in ("tips", "checkin", "morning")),
            tap("1|c|yes"),
        ],
    }
    weights = ["checkin"] * 4 + ["morning", "later", "zone", "settings", "settings", "reports"]
    weights += ["subscribe"]
    return flows[draw(st.sampled_from([*weights, "delete"]))]()


@st.composite
def chunk(draw: Draw, population: Population, known_defects: bool) -> list[Fuzzed]:
    if draw(st.integers(0, 7)) == 7:
        return draw(journey(population))
    return [draw(updates(population, known_defects=known_defects))]


def draw_updates(
    population: Population,
    count: int,
    *,
    seed: int | None = None,
    known_defects: bool = True,
    per_example: int = 30,
) -> list[Fuzzed]:
    """`count` updates (fewer after `within_flood_limits`), the same for the same arguments.

    Hypothesis bounds the data of one example, so they are drawn `per_example` chunks
    (an update or a journey) at a time in the examples of a throw-away test, derandomized
    or from `seed`. Shrinking means nothing for a bot whose state carries over, so only
    the generate phase runs.
    """
    drawn: list[Fuzzed] = []

    @settings(
        max_examples=-(-count // per_example),
        derandomize=seed is None,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(chunk(population, known_defects), min_size=per_example, max_size=per_example))
    def collect(chunks: list[list[Fuzzed]]) -> None:
        drawn.extend(item for items in chunks for item in items)

    (collect if seed is None else with_seed(seed)(collect))()
    return within_flood_limits(drawn[:count], population)
