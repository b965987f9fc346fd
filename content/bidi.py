"""Keeping left-to-right pieces readable inside right-to-left text (Arabic, Urdu, Persian).

In a right-to-left paragraph the Unicode bidirectional algorithm treats the spaces in
"0800 138 1625" as right-to-left, so the groups come out reversed ("1625 138 0800"), and
a reference, a link or a service name can swap places with the punctuation around it.
The fix is to mark every left-to-right run (numbers, Latin words, links) explicitly:

- on rich channels (Telegram, web) each run is wrapped in FIRST STRONG ISOLATE ...
  POP DIRECTIONAL ISOLATE, the Unicode 6.3 mechanism that browsers and Telegram apply;
- on SMS, where older handsets may show isolates as boxes and every character costs
  (the text is already UCS-2), a single LEFT-TO-RIGHT MARK goes before each run that
  starts with a digit and contains a space: that is what reverses, and the mark has
  been understood by phones for decades. One character instead of two.

Catalogs never contain these controls (the catalog tests refuse them); they are added
here, where they can be balanced.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Final

from babel import Locale

FSI: Final = "\u2068"
PDI: Final = "\u2069"
LRM: Final = "\u200e"

#: How to mark left-to-right runs.
NONE: Final = "none"
ISOLATE: Final = "isolate"
MARK: Final = "mark"

SMS_CHANNEL: Final = "sms"

#: Bidi classes that start or end a left-to-right run: strong LTR letters and
#: European digits.
_STRONG: Final = frozenset({"L", "EN"})
#: Classes that may join two strong pieces of one run: number separators and
#: terminators, common separators, spaces, and non-spacing marks. ("0800 138 1625",
#: "report-it.org.uk", "TS-7KQ4-M9XD", "True Vision").
_JOINING: Final = frozenset({"ES", "ET", "CS", "WS", "NSM"})
#: Other neutral characters that join inside links and addresses.
_JOINING_CHARACTERS: Final = frozenset("/@_#&+:=?~%")
_RUN: Final = re.compile(r"S(?:J*S)*")


@cache
def is_rtl(language: str) -> bool:
    """Whether ``language`` is written right to left (from Babel's locale data)."""
    try:
        return Locale.parse(language).character_order == "right-to-left"
    except (ValueError, LookupError):
        return False


def mode(language: str, channel: str | None) -> str:
    """How to mark left-to-right runs for ``language`` on ``channel``.

    Args:
        language: The person's language.
        channel: ``sms``, ``telegram``, ``web``, or None (treated as a rich channel).

    Returns:
        :data:`NONE` for left-to-right languages, :data:`MARK` on SMS, else :data:`ISOLATE`.
    """
    if not is_rtl(language):
        return NONE
    return MARK if channel == SMS_CHANNEL else ISOLATE


def _classes(text: str) -> str:
    """One letter per character: S strong LTR, J joining, O anything else."""
    letters = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            letters.append("S")
        elif kind in _JOINING or char in _JOINING_CHARACTERS:
            letters.append("J")
        else:
            letters.append("O")
    return "".join(letters)


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the left-to-right runs in ``text``.

    A run starts and ends with a strong character, but keeps the plus signs it ends
    with: "LGBT+" isolated as "LGBT" left its "+" to the right-to-left text around it,
    where it showed as "+LGBT".
    """
    spans = []
    for match in _RUN.finditer(_classes(text)):
        start, end = match.span()
        while end < len(text) and text[end] == "+":
            end += 1
        spans.append((start, end))
    return spans


def _needs_mark(run: str) -> bool:
    return unicodedata.bidirectional(run[0]) == "EN" and any(char.isspace() for char in run)


def mark_runs(text: str, how: str) -> str:
    """Mark every left-to-right run of ``text`` (see the module notes).

    Args:
        text: Text in a right-to-left language (translated words or a value).
        how: :data:`ISOLATE`, :data:`MARK` or :data:`NONE`.

    Returns:
        The text with isolates around, or marks before, its left-to-right runs.
    """
    if how == NONE or not text:
        return text
    pieces = []
    last = 0
    for start, end in ltr_runs(text):
        run = text[start:end]
        pieces.append(text[last:start])
        if how == ISOLATE:
            pieces.append(FSI + run + PDI)
        else:
            pieces.append(LRM + run if _needs_mark(run) else run)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def isolate_value(value: str, how: str) -> str:
    """Mark a whole inserted value (a place, a reference, a name) as one unit.

    A value is isolated as a whole, not run by run, so "Victoria Bus Station, Stand 12"
    keeps its comma in place. On SMS it gets a mark only when it needs one.

    Args:
        value: The value as it will appear in the text.
        how: :data:`ISOLATE`, :data:`MARK` or :data:`NONE`.

    Returns:
        The value, isolated or marked when it has anything left-to-right in it.
    """
    if how == NONE or not value or not ltr_runs(value):
        return value
    if how == ISOLATE:
        return FSI + value + PDI
    return LRM + value if _needs_mark(value) else value


def strip_controls(text: str) -> str:
    """Remove the marks and isolates this module adds (for comparing text)."""
    return text.replace(FSI, "").replace(PDI, "").replace(LRM, "")
