"""Scripts and word counts of texts, in the scripts written with and without spaces."""

from __future__ import annotations

import pytest

from nlu.text import normalise, scripts_in, word_count


def test_scripts_in_a_mixed_text() -> None:
    assert scripts_in("他在ins上骂我 123 !") == frozenset({"han", "latin"})
    assert scripts_in("123 😀") == frozenset()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("A man shouted at me on the bus", 8),
        ("是", 1),
        ("不认识", 2),  # "don't know (him)": a short answer, not an account
        # "Last night on the bus a man kept swearing at me, and pulled my headscarf":
        # about fourteen words, where splitting on spaces found one.
        ("昨天晚上在公交车上有个男人一直骂我，还扯我的头巾", 12),
        ("他在ins上骂我chink", 5),  # Chinese with English words in it
        ("so - they left 😡", 3),  # a dash or an emoji alone is no word
        ("", 0),
    ],
)
def test_word_count_counts_words_written_without_spaces(text: str, words: int) -> None:
    assert word_count(text) == words


def test_a_zero_width_non_joiner_is_inside_a_word_not_between_two() -> None:
    # "نمی‌دونم" (I don't know) is as often typed "نمیدونم": once two words, and a report.
    assert normalise("نمی\u200cدونم") == normalise("نمیدونم") == "نمیدونم"
    assert normalise("one\ntwo") == "one two"  # a line break still parts words
