"""Danger and safeguarding detection by per-language patterns.

Patterns, not the classifier, decide danger because a miss is the worst error a
victim-contact bot can make: a trained model can be confidently wrong on a phrasing it
never saw, a pattern list is auditable and can be extended by anyone who speaks the
language. Patterns live in the data files as Rasa ``regex`` blocks named after the danger
kind; a ``not_<kind>`` block lists spans that cancel a match inside them ("I'm not in
danger now").

Every language's patterns are checked on every message, whatever the conversation
language, because people switch language when frightened. A pattern written with Latin
accents ("wciąż tu są") also gets an accent-free twin matched against the accent-free
text, because most Polish, Romanian or Lithuanian is texted without accents ("wciaz tu
sa"); the patterns as written are still checked as before, so no match is ever lost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Final

from nlu.data_reader import LanguageData
from nlu.parse import DANGER_KINDS, DANGER_NOW, FOLLOWED, SELF_HARM, WEAPON
from nlu.text import fold_latin_marks

logger = logging.getLogger(__name__)

#: When several kinds match, the first in this order is reported: a threat in the room
#: comes before a remembered weapon, and both need 999; self-harm needs Samaritans and
#: outranks being followed, which in most texts is in the past.
PRIORITY: Final = (DANGER_NOW, WEAPON, SELF_HARM, FOLLOWED)

_NEGATIVE_PREFIX: Final = "not_"


class DangerDetector:
    """Finds danger in a normalised message using every language's patterns."""

    def __init__(self, data: Iterable[LanguageData]) -> None:
        patterns: dict[str, list[str]] = {}
        for language_data in data:
            for name, regexes in language_data.regexes.items():
                kind = name.removeprefix(_NEGATIVE_PREFIX)
                if kind not in DANGER_KINDS:
                    continue
                for regex in regexes:
                    if not _compiles(regex):
                        # A broken pattern must not take the whole detector down; it is
                        # reported by id-free counts only (patterns are not user text).
                        logger.warning("invalid %s pattern in %s", name, language_data.language)
                        continue
                    patterns.setdefault(name, []).append(regex)
        self._compiled = _alternations(patterns)
        self._folded = _alternations(_folded_twins(patterns))

    @property
    def kinds(self) -> tuple[str, ...]:
        """Danger kinds that have at least one pattern."""
        return tuple(kind for kind in PRIORITY if kind in self._compiled)

    def detect(self, normalised: str) -> str | None:
        """Return the most urgent danger kind in ``normalised`` text, or None.

        Args:
            normalised: Text passed through :func:`nlu.text.normalise`.

        Returns:
            One of :data:`nlu.parse.DANGER_KINDS`, or None.
        """
        return self.most_urgent(self.detect_all(normalised))

    def detect_all(self, normalised: str) -> frozenset[str]:
        """Every danger kind signalled in ``normalised`` text (empty when none)."""
        folded = fold_latin_marks(normalised)
        return frozenset(
            kind
            for kind in PRIORITY
            if _matches(self._compiled, kind, normalised) or _matches(self._folded, kind, folded)
        )

    @staticmethod
    def most_urgent(kinds: frozenset[str]) -> str | None:
        """The first of ``kinds`` in :data:`PRIORITY` order, or None."""
        return next((kind for kind in PRIORITY if kind in kinds), None)


def _folded_twins(patterns: dict[str, list[str]]) -> dict[str, list[str]]:
    """Accent-free twins of the patterns that have Latin accents, by kind.

    Only patterns that change when folded: the others would repeat the first pass on
    the same text and double the cost of every parse. Cancelling (``not_``) patterns
    are all kept, folded, as they are only looked for after a twin matched.
    """
    twins: dict[str, list[str]] = {}
    for name, regexes in patterns.items():
        for regex in regexes:
            folded = fold_latin_marks(regex)
            if folded != regex or name.startswith(_NEGATIVE_PREFIX):
                twins.setdefault(name, []).append(folded)
    return twins


def _alternations(patterns: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    """One alternation per kind: a single pass per kind keeps the check well under 1 ms.

    Patterns that do not compile are left out (the patterns as written are checked one
    by one when read; a folded twin could still break, e.g. a range "[é-ą]").
    """
    compiled: dict[str, re.Pattern[str]] = {}
    for name, regexes in patterns.items():
        unique = list(dict.fromkeys(regexes))
        try:
            compiled[name] = re.compile("|".join(f"(?:{regex})" for regex in unique))
        except re.error:
            valid = [regex for regex in unique if _compiles(regex)]
            if valid:
                compiled[name] = re.compile("|".join(f"(?:{regex})" for regex in valid))
    return compiled


def _compiles(regex: str) -> bool:
    try:
        re.compile(regex)
    except re.error:
        return False
    return True


def _matches(compiled: dict[str, re.Pattern[str]], kind: str, text: str) -> bool:
    pattern = compiled.get(kind)
    if pattern is None:
        return False
    spans = [match.span() for match in pattern.finditer(text) if match.end() > match.start()]
    if not spans:
        return False
    negative = compiled.get(_NEGATIVE_PREFIX + kind)
    if negative is None:
        return True
    cancelled = [match.span() for match in negative.finditer(text)]
    return any(not _inside(span, cancelled) for span in spans)


def _inside(span: tuple[int, int], cancelling: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(c_start <= start and end <= c_end for c_start, c_end in cancelling) or any(
        c_start <= start < c_end or c_start < end <= c_end for c_start, c_end in cancelling
    )
