"""The callback-data codec: every button round-trips; anything else is rejected cleanly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks
from bot.callbacks import ChooseLanguage, InvalidCallbackData, SetLanguage, ShowTopic
from bot.content import Content

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
        callbacks.AnswerTipOffer("yes"),
        callbacks.ShowSettings("minutes_23"),
        callbacks.ChangeSetting("zone", "america__paramaribo"),
        callbacks.AskTimezone(),
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
