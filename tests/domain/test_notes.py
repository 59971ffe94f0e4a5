"""A long note is cut, never thrown away: a prefix, within the limit, at a word if near."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.notes import MAX_NOTE_CHARS, shorten_note

words = st.lists(st.text("abcdefghij€😀", min_size=1, max_size=30), min_size=1, max_size=80)


@given(words)
def test_a_note_keeps_its_first_part_within_the_limit(parts: list[str]) -> None:
    note = " ".join(parts)
    kept = shorten_note(note)
    assert note.startswith(kept) and len(kept) <= MAX_NOTE_CHARS
    if len(note) <= MAX_NOTE_CHARS:
        assert kept == note
    else:
        assert len(kept) >= MAX_NOTE_CHARS * 0.8 - 1  # never much shorter than the limit
        rest = note[len(kept) :]
        ends_at_word = rest.startswith(" ")
        assert ends_at_word or len(kept) == MAX_NOTE_CHARS


def test_a_cut_between_words_and_a_hard_cut_in_one_long_word() -> None:
    assert shorten_note("aaaa bbbb cccc", limit=11) == "aaaa bbbb"
    assert shorten_note("aaaa bbbb cccc", limit=12) == "aaaa bbbb cc"  # a word too far back
    assert shorten_note("x" * 20, limit=12) == "x" * 12
