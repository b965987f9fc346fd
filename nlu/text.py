"""Text clean-up shared by every part of the NLU.

People text in a hurry: capitals, repeated letters, emoji, stray control characters and
curly quotes. Everything downstream sees the same normalised form, so lexicons and
training examples only need to be written once in their plain spelling.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: Longest text we look at. Incident descriptions rarely exceed this; cutting keeps the
#: cost of a 10,000-character paste bounded (p99 latency target is 5 ms).
MAX_CHARS: Final = 600

_QUOTES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
# Letters only: digits repeat legitimately ("1000", "999").
_REPEATS: Final = re.compile(r"([^\W\d_])\1{2,}")
_SPACES: Final = re.compile(r"\s+")
_TOKEN: Final = re.compile(r"\w+(?:'\w+)?")
#: How many letters of other scripts one Han character weighs in :func:`script_of`.
_HAN_WEIGHT: Final = 3


def normalise(text: str) -> str:
    """Return ``text`` in the canonical form used for matching and features.

    NFKC folds full-width and compatibility characters, ``casefold`` handles case in every
    script, control and format characters are dropped (junk and zero-width joiners must not
    split words), letters repeated three or more times are cut to two ("nooooo" -> "noo").

    Args:
        text: Raw message text; any string, however odd.

    Returns:
        The normalised text (possibly empty).
    """
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C":
            kept.append(" ")
        else:
            kept.append(char)
    cleaned = "".join(kept).translate(_QUOTES).casefold()
    cleaned = _REPEATS.sub(r"\1\1", cleaned)
    return _SPACES.sub(" ", cleaned).strip()


# Latin letters that carry their mark inside the letter (no decomposition in NFD).
_LATIN_FOLD: Final = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i"})


def fold_latin_marks(normalised: str) -> str:
    """Drop accents from Latin letters ("żółć" -> "zolc", "țară" -> "tara").

    People text Polish, Romanian, Lithuanian, Portuguese, Welsh... with or without their
    diacritics; lexicon matching on the folded form catches both spellings. Marks on
    other scripts are kept: Arabic harakat, Bengali and Gurmukhi vowel signs and
    Cyrillic "й"/"ї" are part of the letter there.

    Args:
        normalised: Text already passed through :func:`normalise`.

    Returns:
        The text with combining marks removed after Latin letters.
    """
    if normalised.isascii():
        return normalised
    decomposed = unicodedata.normalize("NFD", normalised.translate(_LATIN_FOLD))
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = char.isascii() or "\u00c0" <= char <= "\u024f"
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def tokens(normalised: str) -> list[str]:
    """Split normalised text into word tokens (letters, digits, inner apostrophes)."""
    return _TOKEN.findall(normalised)


def has_letters(text: str) -> bool:
    """Whether ``text`` contains at least one letter in any script."""
    return any(char.isalpha() for char in text)


def script_of(text: str) -> str | None:
    """Return the dominant writing system of ``text``, or None when there are no letters.

    Returns one of ``latin``, ``arabic``, ``gurmukhi``, ``bengali``, ``cyrillic``, ``han``,
    ``other``. The script is decisive for language identification of several of the
    supported languages, and tells romanised Urdu apart from Urdu in its own script.
    """
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            name = "latin"
        elif 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFF00:
            name = "arabic"
        elif 0xA00 <= code < 0xA80:
            name = "gurmukhi"
        elif 0x980 <= code < 0xA00:
            name = "bengali"
        elif 0x400 <= code < 0x530:
            name = "cyrillic"
        elif 0x4E00 <= code < 0xA000 or 0x3400 <= code < 0x4DC0 or code >= 0x20000:
            name = "han"
        else:
            name = "other"
        # One Han character is a syllable, often a whole word, where a Latin letter is a
        # fraction of one: "他在ins上骂我chink" is Chinese with two English words in it.
        counts[name] = counts.get(name, 0) + (_HAN_WEIGHT if name == "han" else 1)
    if not counts:
        return None
    return max(counts, key=lambda key: counts[key])
