"""Whether a message asks something: a question mark after it, or a question word first.

A question put back to the bot ("what happens if I say yes?", "do I have to give my
name?") is not an answer, though it holds an option's words: read as one, it once
recorded a consent to a referral and chose to give a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from nlu.data_reader import LanguageData
from nlu.text import UNSPACED_RUN, normalise, phrase_pattern, tokens

#: Rasa lookup table of the words a question opens with in a language ("what", "czy",
#: "هل"); in Chinese, which has no spaces, question words found anywhere ("吗", "为什么").
QUESTION_LOOKUP: Final = "question"

#: Question marks of every script: Latin, Arabic, full-width (Chinese), reversed.
_MARKS: Final = frozenset("?\u061f\uff1f\u2e2e")
#: Spanish opens a question with its own mark.
_OPENING_MARKS: Final = ("¿",)


class QuestionFinder:
    """Tells questions from answers, by the marks and the question words of each language.

    Args:
        data: The languages' data; each one's ``question`` lookup lists its question words.
    """

    def __init__(self, data: Iterable[LanguageData]) -> None:
        self._openers: dict[str, re.Pattern[str]] = {}
        self._anywhere: dict[str, re.Pattern[str]] = {}
        for language_data in data:
            words = [
                " ".join(tokens(normalise(word)))
                for word in language_data.lookups.get(QUESTION_LOOKUP, ())
            ]
            spaced = [word for word in words if not UNSPACED_RUN.search(word)]
            unspaced = [word for word in words if UNSPACED_RUN.search(word)]
            opener = phrase_pattern(spaced)
            if opener is not None:
                self._openers[language_data.language] = opener
            anywhere = phrase_pattern(unspaced, within_unspaced=True)
            if anywhere is not None:
                self._anywhere[language_data.language] = anywhere

    def asks(self, text: str, normalised: str, language: str | None) -> bool:
        """Whether ``text`` (``normalised``, in ``language`` if known) asks something."""
        if _marked(text):
            return True
        if language is None:
            return False
        words = " ".join(tokens(normalised))
        opener = self._openers.get(language)
        if opener is not None and opener.match(words):
            return True
        anywhere = self._anywhere.get(language)
        return anywhere is not None and anywhere.search(words) is not None


def _marked(text: str) -> bool:
    """Whether a question mark follows the last letter or digit, or opens the text."""
    stripped = text.strip()
    if stripped.startswith(_OPENING_MARKS):
        return True
    end = len(stripped)
    while end > 0 and not stripped[end - 1].isalnum():
        end -= 1
    return any(char in _MARKS for char in stripped[end:])
