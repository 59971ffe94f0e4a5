"""The callback-data codec: every button round-trips; anything else is rejected cleanly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks
from bot.callbacks import ChooseLanguage, InvalidCallbackData, SetLanguage, ShowTopic
from bot.content import Content
from bot.domain import changes

ids = st.from_regex(r"[a-z0-9_]{1,32}", fullmatch=True)


@given(ids)
def test_show_topic_round_trips(topic_id: str) -> None:
    assert callbacks.decode(callbacks.encode(ShowTopic(topic_id))) == ShowTopic(topic_id)


@pytest.mark.parametrize(
    "data",
    [
        ChooseLanguage(),
        SetLanguage("nl"),
        SetLanguage("en"),
        callbacks.OpenTopic("baclofen"),
        callbacks.RateTip("warm_bath_1", "down"),
        callbacks.AnswerTipOffer(accepted=True),
        callbacks.ShowSettings("pickdays"),
        callbacks.PickMinute("morning", 23),
        changes.SetZone("america__paramaribo"),
        changes.SetTime("checkin", 23 * 60 + 45),
        changes.Switch("silent", on=False),
        changes.Resume(),
        callbacks.CheckinLevel(date(2026, 11, 26), 10),
        callbacks.CheckinNight(date(2026, 2, 28), troubled=True),
    ],
)
def test_other_kinds_round_trip(data: callbacks.CallbackData) -> None:
    assert callbacks.decode(callbacks.encode(data)) == data


@given(st.one_of(st.text(), st.binary(), st.none(), st.integers()))
def test_any_input_parses_or_is_rejected_cleanly(raw: object) -> None:
    try:
        parsed = callbacks.decode(raw)
    except InvalidCallbackData:
        return
    assert type(parsed) in callbacks.KINDS.values()
    assert callbacks.encode(parsed) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "0|t|what",  # an old version
        "2|t|what",  # a future version
        "1|zz|what",  # unknown kind
        "1|t",  # missing field
        "1|t|what|extra",  # too many fields
        "1|t|WHAT",  # not a valid id
        "1|l|de",  # a language the bot does not speak
        "1|r|warm_bath_1|meh",  # a verdict that is not on offer
        "1|a|perhaps",
        "1|cl|99999999999999999999|5",  # a day number that does not fit
        "1|cl|20261126|11",  # a level above 10
        "1|cl|20260230|5",  # no such date
        "1|cl|2026112|5",
        "1|cn|20261126|maybe",
        "1|pm|tips|24",  # no such hour
        "1|pp|nobody",
        "1|st|tips|1440",  # no such minute of the day
        "1|st|tips|550",  # not on a quarter
        "1|sy|7",  # no eighth weekday
        "1|sp|30",  # a pause that is not on offer
        "1|sw|tips|maybe",
        "1|s|tips|on",  # the settings change of an earlier version
        "1|t|" + "a" * 70,  # longer than Telegram allows
        "1|t|wh at",
    ],
)
def test_stale_or_forged_data_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidCallbackData):
        callbacks.decode(raw)


def test_encode_refuses_what_it_could_not_parse() -> None:
    with pytest.raises(ValueError, match="cannot be put"):
        callbacks.encode(ShowTopic("Not|Valid"))


def test_every_topic_button_fits_in_64_bytes(content: Content) -> None:
    for topic_id in content.topics:
        assert len(callbacks.encode(ShowTopic(topic_id)).encode()) <= callbacks.MAX_BYTES
