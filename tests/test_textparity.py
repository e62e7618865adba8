"""Text parity's word matching: what it forgives and what it still finds."""

from __future__ import annotations

from pressroom.validation.textparity import missing_words, words

EXPECTED = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
]


def test_the_pieces_of_a_line_read_in_another_order_are_all_found() -> None:
    # pdfium gives a right-to-left line whose vowel marks are raised as three
    # pieces, its end first: "nine ten" and "eight" before "five ... seven".
    actual = [
        "one",
        "two",
        "three",
        "four",
        "nine",
        "ten",
        "eight",
        "five",
        "six",
        "seven",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
    ]
    assert missing_words(EXPECTED, actual) == []


def test_a_dropped_word_is_still_missing() -> None:
    actual = [
        "one",
        "two",
        "three",
        "four",
        "nine",
        "ten",
        "five",
        "six",
        "seven",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
    ]
    assert missing_words(EXPECTED, actual) == ["eight"]


def test_a_word_matched_once_is_not_matched_again() -> None:
    expected = ["alpha", "beta", "gamma", "alpha", "delta", "epsilon", "zeta", "eta"]
    actual = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]
    assert missing_words(expected, actual) == ["alpha"]


def test_arabic_words_are_compared_without_their_vowel_marks() -> None:
    # "جديداً" with its tanween after the alif, as written, and before it, as a
    # PDF may give it back.
    assert words("طريقاً جديداً") == words("طريقًا جديدًا") == ["طريقا", "جديدا"]
