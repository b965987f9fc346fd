"""Text clean-up shared by every part of the NLU.

People text in a hurry: capitals, repeated letters, emoji, stray control characters and
curly quotes. Everything downstream sees the same normalised form, so lexicons and
training examples only need to be written once in their plain spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

import regex

#: Longest text we look at. Incident descriptions rarely exceed this; cutting keeps the
#: cost of a 10,000-character paste bounded (p99 latency target is 5 ms).
MAX_CHARS: Final = 600

_QUOTES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
# Letters only: digits repeat legitimately ("1000", "999").
_REPEATS: Final = re.compile(r"([^\W\d_])\1{2,}")
_SPACES: Final = re.compile(r"\s+")
# The regex module's \w, not re's: re leaves out combining marks, and so cut Bengali,
# Gurmukhi and Devanagari words apart at every vowel sign ("আমাকে" was three tokens).
_TOKEN: Final = regex.compile(r"\w+(?:'\w+)?")
#: Han and kana, written with no spaces between words: code point ranges (end excluded).
_UNSPACED_RANGES: Final = (
    (0x3040, 0x3100),  # hiragana, katakana
    (0x3400, 0x4DC0),  # CJK extension A
    (0x4E00, 0xA000),  # CJK unified ideographs
    (0xF900, 0xFB00),  # compatibility ideographs
    (0x20000, 0x40000),  # extensions B and later
)
#: The same letters as the ranges of a character class.
UNSPACED_LETTERS: Final = "".join(f"{chr(low)}-{chr(high - 1)}" for low, high in _UNSPACED_RANGES)
#: How many letters of other scripts one Han character weighs in :func:`script_of`.
_HAN_WEIGHT: Final = 3


def normalise(text: str) -> str:
    """Return ``text`` in the canonical form used for matching and features.

    NFKC folds full-width and compatibility characters, ``casefold`` handles case in every
    script, control characters (line breaks, junk) become spaces, format characters are
    dropped (a zero-width non-joiner is inside a Persian word: "نمی‌دونم" is the word
    "نمیدونم", I don't know, as often typed without it), letters repeated three or more
    times are cut to two ("nooooo" -> "noo").

    Args:
        text: Raw message text; any string, however odd.

    Returns:
        The normalised text (possibly empty).
    """
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category[0] == "C" else char)
    cleaned = "".join(kept).translate(_QUOTES).casefold()
    cleaned = _REPEATS.sub(r"\1\1", cleaned)
    return _SPACES.sub(" ", cleaned).strip()


# Latin letters that carry their mark inside the letter (no decomposition in NFD), and
# ligatures people type as two letters ("soeur" for "sœur").
_LATIN_EXTRA: Final = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "œ": "oe", "æ": "ae"}
#: Precomposed Latin letters (Latin-1 Supplement to Latin Extended-B, and Latin Extended
#: Additional, which holds Welsh "ẁ" and Vietnamese letters).
_LATIN_RANGES: Final = (range(0xC0, 0x250), range(0x1E00, 0x1F00))
# Combining marks left after a Latin letter when NFKC had no precomposed form for the
# pair ("n" + diaeresis); other scripts' marks (Arabic harakat, Indic vowel signs) are
# outside this block.
_LEFTOVER_MARKS: Final = re.compile(r"(?<=[a-zA-Z])[\u0300-\u036f]+")


def _latin_fold_table() -> dict[int, str]:
    """Each precomposed Latin letter mapped to its letters without marks ("ą" -> "a")."""
    table: dict[int, str] = {}
    for block in _LATIN_RANGES:
        for code in block:
            bare = "".join(
                c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c)
            )
            if bare != chr(code) and bare.isascii() and bare.isalpha():
                table[code] = bare
    table.update((ord(letter), bare) for letter, bare in _LATIN_EXTRA.items())
    return table


# Built once: one ``str.translate`` per text is C speed, which matters because every
# training example and every parse goes through it (start-up budget 3 s, parse 5 ms).
_LATIN_FOLD: Final = _latin_fold_table()


def fold_latin_marks(normalised: str) -> str:
    """Drop accents from Latin letters ("żółć" -> "zolc", "țară" -> "tara").

    People text Polish, Romanian, Lithuanian, Portuguese, Welsh... with or without their
    diacritics; lexicon matching and the n-gram features on the folded form catch both
    spellings. Marks on other scripts are kept: Arabic harakat, Bengali and Gurmukhi
    vowel signs and Cyrillic "й"/"ї" are part of the letter there.

    Args:
        normalised: Text already passed through :func:`normalise`.

    Returns:
        The text with the marks of Latin letters removed.
    """
    if normalised.isascii():
        return normalised
    return _LEFTOVER_MARKS.sub("", normalised.translate(_LATIN_FOLD))


def with_folded_words(normalised: str) -> str:
    """``normalised`` followed by the accent-free spelling of each word that has accents.

    For the character n-grams: "mężczyzną" and "mezczyzna" then share their n-grams,
    while the accented n-grams, which say which language it is, are still there.

    Args:
        normalised: Text already passed through :func:`normalise`.

    Returns:
        The text, unchanged when no Latin letter in it carries a mark.
    """
    folded = fold_latin_marks(normalised)
    if folded == normalised:
        return normalised
    # Folding never adds or removes whitespace, so the words pair up one to one.
    pairs = zip(folded.split(), normalised.split(), strict=True)
    added = [bare for bare, word in pairs if bare != word]
    return " ".join([normalised, *added])


def tokens(normalised: str) -> list[str]:
    """Split normalised text into word tokens (letters, digits, inner apostrophes)."""
    return _TOKEN.findall(normalised)


#: A run of Han and kana letters (not CJK punctuation): words without spaces between.
UNSPACED_RUN: Final = re.compile(f"[{UNSPACED_LETTERS}]+")

#: A letter a name may not touch when it may stand inside unspaced text. Not Han or
#: kana, which put no spaces between words ("在脸书上": on Facebook), nor Hangul, which
#: joins particles to a name.
_SPACED_LETTER: Final = f"[^\\W{UNSPACED_LETTERS}\uac00-\ud7af]"


def phrase_pattern(
    phrases: Iterable[str], *, within_unspaced: bool = False
) -> re.Pattern[str] | None:
    """Any of ``phrases`` as whole words, the longest first; None when there are none.

    Args:
        phrases: The phrases, as the text they are looked for in is written.
        within_unspaced: Whether a phrase may also stand inside a run of Han, kana or
            Hangul (a platform name in "在脸书上").
    """
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return None
    alternation = "|".join(re.escape(p) for p in ordered)
    edge = _SPACED_LETTER if within_unspaced else r"\w"
    return re.compile(rf"(?<!{edge})(?:{alternation})(?!{edge})")


def word_count(text: str) -> int:
    """About how many words ``text`` has, also in the scripts written without spaces.

    Space-separated pieces with a letter or digit count one each (a dash or an emoji
    alone does not). A run of Han or kana counts one word for every two characters, as
    a Chinese word is one to three characters long: split on spaces, a whole Chinese
    account would be a single word.
    """
    unspaced = sum((len(run) + 1) // 2 for run in UNSPACED_RUN.findall(text))
    pieces = UNSPACED_RUN.sub(" ", text).split()
    return unspaced + sum(1 for piece in pieces if any(char.isalnum() for char in piece))


def has_letters(text: str) -> bool:
    """Whether ``text`` contains at least one letter in any script."""
    return any(char.isalpha() for char in text)


def letter_script(char: str) -> str | None:
    """Return the writing system of one character, or None when it is not a letter.

    One of ``latin``, ``arabic``, ``gurmukhi``, ``bengali``, ``cyrillic``, ``han`` (Han and
    kana) and ``other`` (every script no supported language is written in).
    """
    if not char.isalpha():
        return None
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "latin"
    if 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFF00:
        return "arabic"
    if 0xA00 <= code < 0xA80:
        return "gurmukhi"
    if 0x980 <= code < 0xA00:
        return "bengali"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if any(low <= code < high for low, high in _UNSPACED_RANGES):
        return "han"
    return "other"


def scripts_in(text: str) -> frozenset[str]:
    """Every writing system (see :func:`letter_script`) that has a letter in ``text``."""
    return frozenset(script for char in set(text) if (script := letter_script(char)))


def script_of(text: str) -> str | None:
    """Return the dominant writing system of ``text``, or None when there are no letters.

    Returns one of the names of :func:`letter_script`. The script is decisive for
    language identification of several of the supported languages, and tells romanised
    Urdu apart from Urdu in its own script.
    """
    counts: dict[str, int] = {}
    for char in text:
        name = letter_script(char)
        if name is None:
            continue
        # One Han character is a syllable, often a whole word, where a Latin letter is a
        # fraction of one: "他在ins上骂我chink" is Chinese with two English words in it.
        counts[name] = counts.get(name, 0) + (_HAN_WEIGHT if name == "han" else 1)
    if not counts:
        return None
    return max(counts, key=lambda key: counts[key])
