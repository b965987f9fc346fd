"""Danger and safeguarding detection by per-language patterns.

Patterns, not the classifier, decide danger because a miss is the worst error a
victim-contact bot can make: a trained model can be confidently wrong on a phrasing it
never saw, a pattern list is auditable and can be extended by anyone who speaks the
language. Patterns live in the data files as Rasa ``regex`` blocks named after the danger
kind; a ``not_<kind>`` block lists spans that cancel a match inside them ("I'm not in
danger now").

Every language's patterns are checked on every message, whatever the conversation
language, because people switch language when frightened. Only a pattern that cannot
match is skipped: one that needs letters of a script the text has none of.

A pattern written with Latin accents ("wciąż tu są") also gets an accent-free twin
matched against the accent-free text, because most Polish, Romanian or Lithuanian is
texted without accents ("wciaz tu sa"); the patterns as written are still checked as
before, so no match is ever lost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Final

from nlu.data_reader import LanguageData
from nlu.parse import DANGER_KINDS, DANGER_NOW, FOLLOWED, SELF_HARM, WEAPON
from nlu.pattern_scripts import required_script, starts_at_word_boundary
from nlu.text import fold_latin_marks, scripts_in

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
        # Folding keeps every letter in its script, so both texts have the same scripts.
        scripts = scripts_in(normalised)
        return frozenset(
            kind
            for kind in PRIORITY
            if _matches(self._compiled, kind, normalised, scripts)
            or _matches(self._folded, kind, folded, scripts)
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


class _Alternation:
    r"""One kind's patterns, as one alternation for each writing system they need.

    A pattern that needs Arabic letters (see :mod:`nlu.pattern_scripts`) is only run
    on text that has some; one that needs no script in particular is run on every text.
    Patterns that begin with ``\b`` are joined under one ``\b``, so the alternatives
    are only tried where a word starts or ends, not at every character.

    Args:
        regexes: The kind's patterns (each compiles on its own).
    """

    def __init__(self, regexes: list[str]) -> None:
        groups: dict[str | None, list[str]] = {}
        for regex in dict.fromkeys(regexes):
            groups.setdefault(required_script(regex), []).append(regex)
        self._by_script = [(script, _joined(group)) for script, group in groups.items()]

    def spans(self, text: str, scripts: frozenset[str]) -> list[tuple[int, int]]:
        """Where the patterns match ``text`` (which has letters of ``scripts``), non-empty."""
        return [
            match.span()
            for script, pattern in self._by_script
            if script is None or script in scripts
            for match in pattern.finditer(text)
            if match.end() > match.start()
        ]


def _joined(regexes: list[str]) -> re.Pattern[str]:
    """One pattern matching wherever any of ``regexes`` would."""
    bounded: list[str] = []
    parts: list[str] = []
    for regex in regexes:
        if starts_at_word_boundary(regex):
            bounded.append(regex[2:])
        else:
            parts.append(f"(?:{regex})")
    if bounded:
        parts.insert(0, r"\b(?:" + "|".join(f"(?:{regex})" for regex in bounded) + ")")
    return re.compile("|".join(parts))


def _alternations(patterns: dict[str, list[str]]) -> dict[str, _Alternation]:
    """The patterns of each kind, ready to run (those that do not compile left out).

    A folded twin can fail to compile where its original did not (a range "[é-ą]").
    """
    return {
        name: _Alternation(valid)
        for name, regexes in patterns.items()
        if (valid := [regex for regex in regexes if _compiles(regex)])
    }


def _compiles(regex: str) -> bool:
    try:
        re.compile(regex)
    except re.error:
        return False
    return True


def _matches(
    compiled: dict[str, _Alternation], kind: str, text: str, scripts: frozenset[str]
) -> bool:
    alternation = compiled.get(kind)
    if alternation is None:
        return False
    spans = alternation.spans(text, scripts)
    if not spans:
        return False
    negative = compiled.get(_NEGATIVE_PREFIX + kind)
    if negative is None:
        return True
    cancelled = negative.spans(text, scripts)
    return any(not _inside(span, cancelled) for span in spans)


def _inside(span: tuple[int, int], cancelling: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(c_start <= start and end <= c_end for c_start, c_end in cancelling) or any(
        c_start <= start < c_end or c_start < end <= c_end for c_start, c_end in cancelling
    )
