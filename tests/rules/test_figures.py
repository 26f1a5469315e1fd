"""Numbers as text (core/rules/figures.py): one place for the three ways they are written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rules.figures import exactly, in_words, rounded


@pytest.mark.parametrize(
    ("value", "words", "exact", "round2"),
    [
        (5, "5", "5", "5"),
        (5.0, "5", "5", "5"),
        (2.5, "2.5", "2.5", "2.5"),
        (0.1, "0.1", "0.1", "0.1"),
        (2.345, "2.345", "2.345", "2.35"),
        (35.123456, "35.1235", "35.123456", "35.12"),
        (1000000.0, "1000000", "1000000", "1000000"),
        (-3.0, "-3", "-3", "-3"),
        (0, "0", "0", "0"),
    ],
)
def test_each_way_of_writing_a_number(value, words, exact, round2):
    assert (in_words(value), exactly(value), rounded(value)) == (words, exact, round2)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_exactly_gives_the_same_number_back_and_never_a_trailing_point_zero(value):
    text = exactly(value)
    assert float(text) == value
    assert not text.endswith(".0")


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_a_whole_number_is_written_the_same_every_way(n):
    assert in_words(n) == exactly(n) == rounded(n) == in_words(float(n)) == exactly(float(n)) == str(n)


def test_exactly_gives_text_back_as_it_was():
    assert exactly("72.50") == "72.50"
