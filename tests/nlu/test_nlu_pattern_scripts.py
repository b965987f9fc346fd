"""Skipping danger patterns a text's scripts rule out never changes what is found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu.danger import DangerDetector
from nlu.data_reader import available_languages, read_file, read_languages
from nlu.pattern_scripts import required_script, starts_at_word_boundary
from nlu.text import fold_latin_marks, normalise

HELD_OUT = Path(__file__).resolve().parents[2] / "nlu" / "heldout"


@pytest.mark.parametrize(
    ("pattern", "script"),
    [
        (r"\bknife\b", "latin"),
        (r"(він|вона|вони) (під|біля) дверима", "cyrillic"),
        (r"\b(چاقو|چاکو)\b", "arabic"),
        (r"他在门口", "han"),
        (r"[a-z]+ now", "latin"),
        (r"\d+ days ago", "latin"),
        # Letters of two scripts both needed: either one rules the pattern out.
        (r"他在ins上", "han"),
    ],
)
def test_a_pattern_needs_the_script_every_match_has(pattern: str, script: str) -> None:
    assert required_script(pattern) == script


@pytest.mark.parametrize(
    "pattern",
    [
        r"(knife|سكين)",  # either alternative may be the match
        r"(he )?\d{3}",  # the letters are optional
        r"\w+ \w+",  # any letters at all
        r"[^a-z]+",  # a negated class
        r"[a-z0-9]+",  # digits are no script
        r"(?=knife)\d",  # a lookahead is not part of the match
        r"x{0,3}!",  # may repeat nothing
    ],
)
def test_a_pattern_that_may_match_without_a_script_names_none(pattern: str) -> None:
    assert required_script(pattern) is None


def test_only_a_leading_boundary_of_the_whole_pattern_is_factored() -> None:
    assert starts_at_word_boundary(r"\bknife")
    assert starts_at_word_boundary(r"\b(he|she) is here")
    assert not starts_at_word_boundary(r"\bknife|gun")  # the \b is the first branch's
    assert not starts_at_word_boundary(r"knife\b")


def _unskipped_kinds(texts: list[str]) -> list[frozenset[str]]:
    """What the detector found before patterns were skipped: every pattern, every text.

    One alternation per kind over every language's patterns, in the order read, as
    the detector ran them until script skipping came in.
    """
    data = read_languages(available_languages())
    patterns: dict[str, list[str]] = {}
    for language in data.values():
        for name, regexes in language.regexes.items():
            patterns.setdefault(name, []).extend(regexes)
    plain = {name: _alternation(regexes) for name, regexes in patterns.items()}
    folded = {
        name: _alternation(
            [
                fold_latin_marks(regex)
                for regex in regexes
                if fold_latin_marks(regex) != regex or name.startswith("not_")
            ]
        )
        for name, regexes in patterns.items()
    }
    kinds = ("danger_now", "weapon", "self_harm", "followed")
    found = []
    for text in texts:
        normalised = normalise(text)
        bare = fold_latin_marks(normalised)
        found.append(
            frozenset(
                kind
                for kind in kinds
                if _found(plain, kind, normalised) or _found(folded, kind, bare)
            )
        )
    return found


def _alternation(regexes: list[str]) -> re.Pattern[str] | None:
    valid = [regex for regex in dict.fromkeys(regexes) if _compiles(regex)]
    return re.compile("|".join(f"(?:{regex})" for regex in valid)) if valid else None


def _compiles(regex: str) -> bool:
    try:
        re.compile(regex)
    except re.error:
        return False
    return True


def _found(compiled: dict[str, re.Pattern[str] | None], kind: str, text: str) -> bool:
    pattern = compiled.get(kind)
    if pattern is None:
        return False
    spans = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
    negative = compiled.get("not_" + kind)
    if not spans or negative is None:
        return bool(spans)
    cancelled = [m.span() for m in negative.finditer(text)]
    return any(
        not any((c0 <= s0 and s1 <= c1) or c0 <= s0 < c1 or c0 < s1 <= c1 for c0, c1 in cancelled)
        for s0, s1 in spans
    )


def test_skipping_patterns_finds_what_running_every_pattern_found() -> None:
    """Every training and held-out example, in every language, gets the same kinds."""
    languages = available_languages()
    data = read_languages(languages)
    texts = [example.text for language in data.values() for example in language.examples]
    for language in languages:
        for path in sorted((HELD_OUT / language).glob("*.yml")):
            texts.extend(example.text for example in read_file(path, language).examples)
    # Mixed scripts and accent-free spellings too, where skipping has most to get wrong.
    texts += [
        "he has a knife سكين",
        "他在门口 with a knife",
        "wciaz tu sa pod drzwiami",
        "ми вдома, він досі тут",
    ]
    detector = DangerDetector(data.values())
    gated = [detector.detect_all(normalise(text)) for text in texts]
    reference = _unskipped_kinds(texts)
    differing = [
        (text, got, want)
        for text, got, want in zip(texts, gated, reference, strict=True)
        if got != want
    ]
    assert len(texts) > 7000
    assert sum(bool(kinds) for kinds in reference) > 60  # with the 68 held-out dangers
    assert differing == []
