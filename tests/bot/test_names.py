"""A name given in a sentence, read out of it (bot.names)."""

from __future__ import annotations

import pytest

from bot.names import given_name, name_alone


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "my name is Sam", "Sam"),
        ("en", "Hi. I'm called Jo Smith", "Jo Smith"),
        ("en", "Sam is my name", "Sam"),
        ("en", "My name's Sam O'Brien.", "Sam O'Brien"),
        ("es", "me llamo Ana", "Ana"),
        ("zh", "叫我小明就行", "小明"),  # Chinese writes the name on, with no space
        ("ur", "میرا نام عائشہ ہے", "عائشہ"),  # the closing "is" is cut
        ("pa", "ਮੇਰਾ ਨਾਮ ਸਿਮਰਨ ਹੈ", "ਸਿਮਰਨ"),
        ("bn", "রুমা আমার নাম", "রুমা"),
        # no name given that way
        ("en", "Sam", None),
        ("en", "he would call me a terrorist", None),  # not where a sentence starts
        ("en", "call me back", None),  # a call asked for
        ("es", "llámame por teléfono", None),  # a listed phrase of two words
        ("en", "my name is not important", None),
        ("en", "my name is on the form I sent you last week", None),  # a sentence
        ("en", "call me on 07700 900123", None),
        ("ur", "مجھے ڈر لگتا ہے", None),  # "is" closes most sentences: no name alone
    ],
)
def test_a_name_is_read_out_of_the_sentence_that_gives_it(
    language: str, text: str, name: str | None
) -> None:
    assert given_name(text, language) == name


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "Sam", "Sam"),
        ("en", " Sam O'Brien. ", "Sam O'Brien"),
        ("en", "Anne-Marie", "Anne-Marie"),
        ("lt", "Rūta", "Rūta"),
        ("ar", "عائشة", "عائشة"),
        ("bn", "রুমা", "রুমা"),  # vowel signs are marks, not letters
        ("pa", "ਸਿਮਰਨ ਕੌਰ", "ਸਿਮਰਨ ਕੌਰ"),
        ("zh", "小明", "小明"),
        ("en", "sam", "sam"),  # one word, typed on a computer
        ("en", "al-hassan", "al-hassan"),
        ("en", "Sam al-Hassan", "Sam al-Hassan"),  # a particle inside a word
        ("pt", "Maria da Silva", "Maria da Silva"),  # a particle between words
        # not a name written alone
        ("en", "I'm scared", None),
        ("en", "go away", None),  # several words, and none holds a capital
        ("en", "Sam and me", None),  # the last word holds no capital
        ("en", "Sam something Smith", None),  # a long word between without one
        ("en", "Sam 2", None),
        ("en", "Sam 🙂", "Sam"),  # what is around it goes
        ("en", "Sam & Jo", None),
        ("en", "Call Me Back", None),  # a listed non-name
        ("en", "Not Sam", None),  # a "not" word
        ("en", "Scared", None),  # a feeling, listed in every language
        ("fr", "Désolée", None),
        ("ar", "خائفة", None),
        ("zh", "害怕", None),
        ("en", "Sam Jo Smith Jones", None),  # more words than a name
        ("zh", "我不想告诉你我的名字", None),  # more letters than a name
        ("en", "", None),
    ],
)
def test_a_name_written_alone_is_told_apart_from_other_words(
    language: str, text: str, name: str | None
) -> None:
    assert name_alone(text, language) == name
