r"""What a regular expression needs of a text before it can match there.

The danger patterns of every language are checked on every message. Most cannot match
most messages at all: an Arabic pattern needs Arabic letters, and a Latin text has none.
Knowing that from the pattern lets the detector skip it, which is most of the cost of a
parse (measured: 1.1 ms for a 55-character English sentence before, 0.24 ms after).

The answer comes from the pattern's syntax tree, and errs only one way: a script is
named only when every possible match holds a letter of it (an optional part, a ``\w``
or a class that also takes digits never names one), so skipping a pattern for a text
without that script never loses a match.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any, Final

from nlu.text import letter_script

# The standard library's own regular expression parser. It is internal (re._parser,
# without type stubs), but it is the parser re itself compiles with, so it reads every
# pattern exactly as re will; a parser of our own could disagree with re on some syntax.
_parser: Any = importlib.import_module("re._parser")
_codes: Any = importlib.import_module("re._constants")

#: Largest character range looked into letter by letter; wider ones name no script.
_WIDEST_RANGE: Final = 0x3000


def required_script(pattern: str) -> str | None:
    """A writing system every match of ``pattern`` contains a letter of, or None.

    Args:
        pattern: A regular expression that compiles with :mod:`re` (no flags).

    Returns:
        A name from :func:`nlu.text.letter_script` (the first in alphabetical order when
        a match needs letters of several), or None when a match may need no letter of
        any one script.
    """
    needed = _needs(_tree(pattern))
    return min(needed) if needed else None


def starts_at_word_boundary(pattern: str) -> bool:
    r"""Whether ``pattern`` as a whole begins with ``\b`` (and so may be factored).

    ``\ba|b`` does not: its ``\b`` belongs to the first alternative only.
    """
    if not pattern.startswith(r"\b"):
        return False
    items = _tree(pattern)
    return bool(items) and items[0] == (_codes.AT, _codes.AT_BOUNDARY)


@cache
def _tree(pattern: str) -> list[tuple[Any, Any]]:
    """The top level of ``pattern``'s syntax tree, parsed once for both questions above."""
    return list(_parser.parse(pattern).data)


def _needs(items: list[tuple[Any, Any]]) -> set[str]:
    """The scripts a sequence needs: whatever any of its parts needs."""
    needed: set[str] = set()
    for code, argument in items:
        needed |= _needs_item(code, argument)
    return needed


def _needs_item(code: Any, argument: Any) -> set[str]:
    if code is _codes.LITERAL:
        script = letter_script(chr(argument))
        return {script} if script else set()
    if code is _codes.IN:
        return _class_needs(argument)
    if code is _codes.SUBPATTERN:
        return _needs(argument[3].data)
    if code is _codes.ATOMIC_GROUP:
        return _needs(argument.data)
    if code is _codes.BRANCH:
        # Only what every alternative needs: any one of them may be the match.
        alternatives = [_needs(branch.data) for branch in argument[1]]
        return set.intersection(*alternatives) if alternatives else set()
    if code in (_codes.MAX_REPEAT, _codes.MIN_REPEAT, _codes.POSSESSIVE_REPEAT):
        minimum, _maximum, body = argument
        return _needs(body.data) if minimum >= 1 else set()
    # Anchors, lookarounds, "any character", negated literals, categories (\w, \d),
    # back references: none of them needs a letter of one script.
    return set()


def _class_needs(members: list[tuple[Any, Any]]) -> set[str]:
    """The one script a character class needs: when every character it takes is of it."""
    scripts: set[str | None] = set()
    for code, argument in members:
        if code is _codes.LITERAL:
            scripts.add(letter_script(chr(argument)))
        elif code is _codes.RANGE:
            scripts |= _range_scripts(*argument)
        else:  # a negation or a category (\w, \s, \d): takes characters of any kind
            return set()
        if len(scripts) > 1 or None in scripts:
            return set()
    return {script for script in scripts if script is not None}


@cache
def _range_scripts(low: int, high: int) -> frozenset[str | None]:
    if high - low > _WIDEST_RANGE:
        return frozenset({None})
    return frozenset(letter_script(chr(code)) for code in range(low, high + 1))
