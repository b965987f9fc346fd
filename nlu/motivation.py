"""Perceived motivation: strands, perceived religion and the online flag.

The trained multi-label model does the understanding (indirect cues such as "go back to
your country" or "pulled off my turban", and negations such as "it wasn't about my
religion", are in its training data in every language). Lexicons add what a model should
not have to learn: which religion a word names, and which platforms and words make an
incident online.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from cases.codes import RELIGION, STRANDS
from nlu.classifiers import ONLINE_LABEL
from nlu.data_reader import LanguageData

#: A strand is suggested at or above this probability.
STRAND_THRESHOLD: Final = 0.5
#: The online flag from the model alone needs a little more certainty: a false online
#: flag sends the person evidence advice about screenshots that do not exist.
ONLINE_THRESHOLD: Final = 0.5
#: The religion model's answer is used at or above this; below it the religion is unknown.
RELIGION_THRESHOLD: Final = 0.45

_RELIGION_LOOKUP: Final = "religion_"
_ONLINE_LOOKUP: Final = "online"


@dataclass(frozen=True)
class Motivation:
    """What the answer to "why do you think this happened?" suggests."""

    strands: frozenset[str]
    religion: str | None
    online: bool


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({p.casefold() for p in phrases if p.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


class MotivationDecider:
    """Combines the motivation model's probabilities with the religion and online lexicons."""

    def __init__(self, data: Iterable[LanguageData]) -> None:
        religion_words: dict[str, list[str]] = {}
        online_words: list[str] = []
        for language_data in data:
            for name, words in language_data.lookups.items():
                if name.startswith(_RELIGION_LOOKUP):
                    religion_words.setdefault(name[len(_RELIGION_LOOKUP) :], []).extend(words)
                elif name == _ONLINE_LOOKUP:
                    online_words.extend(words)
        self._religion_patterns = {
            code: pattern
            for code, words in religion_words.items()
            if (pattern := _pattern(words)) is not None
        }
        self._online_pattern = _pattern(online_words)

    def religion_cue(self, normalised: str) -> str | None:
        """The religion named earliest in the text by the lexicons, if any."""
        best: tuple[int, str] | None = None
        for code, pattern in self._religion_patterns.items():
            match = pattern.search(normalised)
            if match is not None and (best is None or match.start() < best[0]):
                best = (match.start(), code)
        return None if best is None else best[1]

    def decide(
        self,
        normalised: str,
        motivation: Mapping[str, float],
        religion: Mapping[str, float],
        *,
        platform: str | None,
    ) -> Motivation:
        """Decide strands, religion and online flag for one message.

        Args:
            normalised: The normalised message.
            motivation: The multi-label model's probability per strand and ``online``.
            religion: The religion model's probability per religion code.
            platform: The platform named in the message, if any.

        Returns:
            The motivation; religion is set only when the religion strand is suggested.
        """
        strands = frozenset(s for s in STRANDS if motivation.get(s, 0.0) >= STRAND_THRESHOLD)
        perceived: str | None = None
        if RELIGION in strands:
            perceived = self.religion_cue(normalised)
            if perceived is None and religion:
                best = max(religion, key=lambda code: religion[code])
                perceived = best if religion[best] >= RELIGION_THRESHOLD else "unknown"
            perceived = perceived or "unknown"
        online = (
            platform is not None
            or motivation.get(ONLINE_LABEL, 0.0) >= ONLINE_THRESHOLD
            or (
                self._online_pattern is not None
                and self._online_pattern.search(normalised) is not None
            )
        )
        return Motivation(strands, perceived, online)
