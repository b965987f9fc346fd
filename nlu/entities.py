"""Entities the engine needs: UK postcode, numbered choices, online platform.

All three are found by patterns: they are closed sets (a postcode either validates or
not; platform names are a short list) where a pattern is exact and costs microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from nlu.data_reader import LanguageData
from nlu.text import normalise, phrase_pattern, tokens

# Postcode areas (the letters before the first digit). A string that fits the pattern
# but names no area ("QQ1 1AA") is a typo or not a postcode, and a wrong area would
# route the report to the wrong force.
POSTCODE_AREAS: Final = frozenset(
    [
        "AB",
        "AL",
        "B",
        "BA",
        "BB",
        "BD",
        "BF",
        "BH",
        "BL",
        "BN",
        "BR",
        "BS",
        "BT",
        "BX",
        "CA",
        "CB",
        "CF",
        "CH",
        "CM",
        "CO",
        "CR",
        "CT",
        "CV",
        "CW",
        "DA",
        "DD",
        "DE",
        "DG",
        "DH",
        "DL",
        "DN",
        "DT",
        "DY",
        "E",
        "EC",
        "EH",
        "EN",
        "EX",
        "FK",
        "FY",
        "G",
        "GL",
        "GU",
        "GY",
        "HA",
        "HD",
        "HG",
        "HP",
        "HR",
        "HS",
        "HU",
        "HX",
        "IG",
        "IM",
        "IP",
        "IV",
        "JE",
        "KA",
        "KT",
        "KW",
        "KY",
        "L",
        "LA",
        "LD",
        "LE",
        "LL",
        "LN",
        "LS",
        "LU",
        "M",
        "ME",
        "MK",
        "ML",
        "N",
        "NE",
        "NG",
        "NN",
        "NP",
        "NR",
        "NW",
        "OL",
        "OX",
        "PA",
        "PE",
        "PH",
        "PL",
        "PO",
        "PR",
        "RG",
        "RH",
        "RM",
        "S",
        "SA",
        "SE",
        "SG",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SP",
        "SR",
        "SS",
        "ST",
        "SW",
        "SY",
        "TA",
        "TD",
        "TF",
        "TN",
        "TQ",
        "TR",
        "TS",
        "TW",
        "UB",
        "W",
        "WA",
        "WC",
        "WD",
        "WF",
        "WN",
        "WR",
        "WS",
        "WV",
        "YO",
        "ZE",
    ]
)

# The shapes A9, A99, A9A, AA9, AA99, AA9A with the Royal Mail letter rules: no Q, V, X
# first; no I, J, Z second; restricted letters in the third and fourth positions; the
# inward code never uses C, I, K, M, O, V.
_POSTCODE: Final = re.compile(
    r"(?<![A-Z0-9])("
    r"[A-PR-UWYZ](?:[0-9][0-9]?|[0-9][ABCDEFGHJKPSTUW]|[A-HK-Y][0-9][0-9]?|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"|GIR)"
    r" ?([0-9][ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])"
)

#: Choice numbers are small; anything bigger is a phone number, a year or an amount.
MAX_CHOICE: Final = 99
#: A reply longer than this is content, not a choice ("he hit me 3 times").
MAX_CHOICE_TOKENS: Final = 8
#: Words a choice may carry beside each number ("option 2", "2 please", "1 and 3"). More
#: and the number is part of what is said: "2 weeks ago" is not option 2.
WORDS_PER_CHOICE: Final = 1

# Digits standing alone (an ordinal suffix allowed: "2nd"). Digits glued to letters are
# spelling, not choices: Arabizi writes letters with them ("em7o", "sa3idni", "la2").
_DIGITS: Final = re.compile(r"(?<!\w)(\d+)(?:st|nd|rd|th)?(?!\w)")


def find_postcode(text: str) -> str | None:
    """Return the first valid UK postcode in ``text``, normalised as ``"SW1A 1AA"``.

    Args:
        text: Any text (raw or normalised; case does not matter).

    Returns:
        The postcode with one space before the inward code, or None.
    """
    for match in _POSTCODE.finditer(text.upper()):
        outward, inward = match.group(1), match.group(2)
        if outward == "GIR":
            if inward == "0AA":
                return "GIR 0AA"
            continue
        area = outward[:2] if outward[1].isalpha() else outward[:1]
        if area in POSTCODE_AREAS:
            return f"{outward} {inward}"
    return None


#: Rasa lookup table of number words that are also the article "a" ("um", "un"): one
#: alone is a choice, but before a word it is "a" ("um pouco", a little).
NUMBER_ARTICLES: Final = "number_articles"


class EntityExtractor:
    """Finds platform names and numbered choices using every language's synonyms."""

    def __init__(self, data: Iterable[LanguageData]) -> None:
        platforms: dict[str, str] = {}
        # Number words are per language: "do" is two in Urdu but a verb in English.
        number_words: dict[str, dict[str, int]] = {}
        articles: dict[str, frozenset[str]] = {}
        for language_data in data:
            articles[language_data.language] = frozenset(
                normalise(word) for word in language_data.lookups.get(NUMBER_ARTICLES, ())
            )
            words = number_words.setdefault(language_data.language, {})
            for written, canonical in language_data.synonyms.items():
                # As messages are matched: Persian "فیس‌بوک" has a joiner normalise drops.
                variant = normalise(written)
                if canonical.isdigit():
                    words[variant] = int(canonical)
                else:
                    platforms[variant] = canonical
        self._platforms = platforms
        self._number_words = number_words
        self._articles = articles
        # A platform may be named inside unspaced Chinese; number words keep whole-word
        # edges in every script ("二" inside "二十" is not two).
        self._platform_pattern = phrase_pattern(platforms, within_unspaced=True)
        self._number_patterns = {
            language: pattern
            for language, words in number_words.items()
            if (pattern := phrase_pattern(words)) is not None
        }

    def _is_article(self, language: str, match: re.Match[str], normalised: str) -> bool:
        """Whether a number word is an article here: "um pouco" is "a little", not "1"."""
        if match.group(0) not in self._articles.get(language, frozenset()):
            return False
        return any(char.isalpha() for char in normalised[match.end() :])

    def platform(self, normalised: str) -> str | None:
        """The canonical name of the first platform named in ``normalised`` text."""
        if self._platform_pattern is None:
            return None
        match = self._platform_pattern.search(normalised)
        return None if match is None else self._platforms[match.group(0)]

    def numbers(self, normalised: str, language: str | None = None) -> tuple[int, ...]:
        """Whole numbers typed as a choice ("2", "2 and 5", "the second one", "٣").

        Only replies that are mostly numbers count (:data:`WORDS_PER_CHOICE`), so counts
        and dates in what people say do not become choices: "2 weeks ago" would
        otherwise answer "when?" with its option 2, "yesterday". Any Unicode decimal
        digits are read (Arabic-Indic, Bengali, Gurmukhi). Number words are read in
        ``language`` and English (or English only when the language is unknown).

        Args:
            normalised: The normalised message.
            language: The conversation or detected language.

        Returns:
            The numbers in the order typed, without repeats; none when the reply is
            more than a choice.
        """
        if not normalised or len(tokens(normalised)) > MAX_CHOICE_TOKENS:
            return ()
        found: list[tuple[int, int, int]] = []
        for match in _DIGITS.finditer(normalised):
            digits = match.group(1)
            if len(digits) <= 2:
                found.append((*match.span(), int(digits)))
        for code in dict.fromkeys((language or "en", "en")):
            pattern = self._number_patterns.get(code)
            if pattern is None:
                continue
            for match in pattern.finditer(normalised):
                if self._is_article(code, match, normalised):
                    continue
                found.append((*match.span(), self._number_words[code][match.group(0)]))
        ordered: list[int] = []
        rest: list[str] = []
        end = 0
        for start, stop, value in sorted(found):
            rest.append(normalised[end:start])
            end = max(end, stop)
            if 0 < value <= MAX_CHOICE and value not in ordered:
                ordered.append(value)
        rest.append(normalised[end:])
        if len(tokens(" ".join(rest))) > WORDS_PER_CHOICE * len(ordered):
            return ()
        return tuple(ordered)
