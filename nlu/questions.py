"""Whether a message asks something: a question mark after it, or a question word.

A question put back to the bot ("what happens if I say yes?", "do I have to give my
name?") is not an answer, though it holds an option's words: read as one, it once
recorded a consent to a referral and chose to give a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from nlu.data_reader import LanguageData
from nlu.text import normalise, phrase_pattern, tokens

#: Rasa lookup table of the words a question opens with in a language ("what", "czy",
#: "هل").
QUESTION_LOOKUP: Final = "question"
#: Rasa lookup table of question words found anywhere: where a question ends with them
#: ("হ্যাঁ বললে কী হবে", what happens if I say yes, in Bengali) or has no spaces ("吗").
QUESTION_WITHIN_LOOKUP: Final = "question_within"
#: Rasa lookup table of phrases that hold a question word and ask nothing: "what he
#: said was vile" (an English question puts a verb first: "what did he say"), "kyun
#: ke main musalman hun" (Urdu, because I am Muslim; "kyun" alone is why).
STATEMENT_LOOKUP: Final = "statement"

#: Question marks of every script: Latin, Arabic, full-width (Chinese), reversed.
_MARKS: Final = frozenset("?\u061f\uff1f\u2e2e")
#: Spanish opens a question with its own mark.
_OPENING_MARKS: Final = ("¿",)


class QuestionFinder:
    """Tells questions from answers, by the marks and the question words of each language.

    Args:
        data: The languages' data, with their ``question`` and ``question_within`` lookups.
    """

    def __init__(self, data: Iterable[LanguageData]) -> None:
        self._openers: dict[str, re.Pattern[str]] = {}
        self._within: dict[str, re.Pattern[str]] = {}
        self._statements: dict[str, re.Pattern[str]] = {}
        for language_data in data:
            statement = phrase_pattern(
                _phrases(language_data, STATEMENT_LOOKUP), within_unspaced=True
            )
            if statement is not None:
                self._statements[language_data.language] = statement
            opener = phrase_pattern(_phrases(language_data, QUESTION_LOOKUP))
            if opener is not None:
                self._openers[language_data.language] = opener
            within = phrase_pattern(
                _phrases(language_data, QUESTION_WITHIN_LOOKUP), within_unspaced=True
            )
            if within is not None:
                self._within[language_data.language] = within

    def worded(self, normalised: str, language: str | None) -> bool:
        """Whether ``normalised`` asks with a question word of ``language``.

        A mark alone (see :func:`marked`) is weaker: "Hyson Green?" is an answer the
        person is unsure of.
        """
        if language is None:
            return False
        words = " ".join(tokens(normalised))
        statement = self._statements.get(language)
        if statement is not None:
            words = " ".join(statement.sub(" ", words).split())
        opener = self._openers.get(language)
        if opener is not None and opener.match(words):
            return True
        within = self._within.get(language)
        return within is not None and within.search(words) is not None


def _phrases(data: LanguageData, lookup: str) -> list[str]:
    """A lookup's phrases, normalised and tokenised as messages are."""
    return [" ".join(tokens(normalise(phrase))) for phrase in data.lookups.get(lookup, ())]


def marked(text: str) -> bool:
    """Whether a question mark follows the last letter or digit, or opens the text."""
    stripped = text.strip()
    if stripped.startswith(_OPENING_MARKS):
        return True
    end = len(stripped)
    while end > 0 and not stripped[end - 1].isalnum():
        end -= 1
    return any(char in _MARKS for char in stripped[end:])
