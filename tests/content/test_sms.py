"""SMS encoding, segment counting, sanitising and splitting, on real-world examples."""

from __future__ import annotations

import pytest

from content import sms

POLISH = "Zgłoś przestępstwo z nienawiści. Jesteś bezpieczny? Zadzwoń pod 999."
ARABIC = "إذا كنت في خطر الآن، فاتصل بالرقم 999."


def test_alphabet_tables_match_gsm_03_38() -> None:
    # 128 code points less the escape, and the 10 characters of the extension table.
    assert len(sms.GSM7_BASIC) == 127
    assert frozenset("\f^{}\\[~]|€") == sms.GSM7_EXTENSION
    assert not sms.GSM7_BASIC & sms.GSM7_EXTENSION
    for char in "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r":
        assert char in sms.GSM7_BASIC
    for char in "çÀÈâêœ`\t":
        assert char not in sms.GSM7_BASIC | sms.GSM7_EXTENSION


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 999 now.", "GSM-7"),
        ("Price: 5€ [approx] ^_^", "GSM-7"),
        ("Déjà vu, Åse? ¿Ñoño? Straße", "GSM-7"),
        ("Ça va", "GSM-7"),
        ("ça va", "UCS-2"),  # lower-case ç is not in the alphabet; only Ç is
        (POLISH, "UCS-2"),
        (ARABIC, "UCS-2"),
        ("Thanks 🙂", "UCS-2"),
        ("It\u2019s fine", "UCS-2"),
        ("", "GSM-7"),
    ],
)
def test_encoding(text: str, expected: str) -> None:
    assert sms.encoding(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # 160 septets
        ("€" + "a" * 159, 2),  # 161 septets
        ("^" * 76 + "a" * 8, 1),
        # 152 septets then an escape pair: the pair may not be split, so it starts part 2.
        ("a" * 152 + "€" + "a" * 153, 3),
        ("a" * 151 + "€" + "a" * 153, 2),
        ("ą" * 70, 1),
        ("ą" * 71, 2),
        ("ą" * 134, 2),
        ("ą" * 135, 3),
        (ARABIC, 1),
        ("🙂" * 35, 1),  # 70 code units
        ("🙂" + "a" * 69, 2),  # 71 code units: the emoji alone forces UCS-2
        # 66 units then a surrogate pair that may not be split.
        ("ł" * 66 + "🙂" + "ł" * 67, 3),
        ("ł" * 65 + "🙂" + "ł" * 67, 2),
    ],
)
def test_segments(text: str, expected: int) -> None:
    assert sms.segments(text) == expected


def test_polish_text_is_ucs2_and_counts_characters() -> None:
    text = POLISH * 3
    assert sms.encoding(text) == "UCS-2"
    assert len(text) == 204
    assert sms.segments(text) == 4  # 204 units: 67 + 67 + 67 + 3


def test_sanitize_replaces_look_alikes_only() -> None:
    dirty = "\u201cDon\u2019t\u201d\u00a0wait\u202f\u2013 call 999\u2026 \u2022 now \u2014 ok"
    clean = sms.sanitize_for_gsm(dirty)
    assert clean == '"Don\'t" wait - call 999... - now - ok'
    assert sms.encoding(clean) == "GSM-7"
    assert sms.sanitize_for_gsm(POLISH) == POLISH
    assert sms.sanitize_for_gsm(ARABIC) == ARABIC
    assert sms.sanitize_for_gsm("Ça va") == "Ça va"


def test_sanitize_can_halve_the_segments() -> None:
    text = "It\u2019s " + "a" * 150
    assert sms.segments(text) == 3
    assert sms.segments(sms.sanitize_for_gsm(text)) == 1


def test_split_short_text_is_one_part() -> None:
    assert sms.split("  Hello.  ") == ["Hello."]
    assert sms.split("   ") == []


def test_split_keeps_words_whole_and_parts_within_limit() -> None:
    words = [f"word{n}" for n in range(400)]
    text = " ".join(words)
    parts = sms.split(text)
    assert len(parts) > 1
    assert all(sms.segments(part) <= sms.MAX_SEGMENTS_PER_MESSAGE for part in parts)
    assert " ".join(parts).split() == words
    assert all(part.split()[0] in words and part.split()[-1] in words for part in parts)


def test_split_prefers_paragraphs_then_sentences() -> None:
    first = "First paragraph. " * 20
    second = "Second one, rather shorter."
    parts = sms.split(first.strip() + "\n\n" + second, max_chars_per_part=350)
    assert parts[-1] == second
    assert all(part.endswith(".") for part in parts)

    sentences = "Sentence number one is here. " * 30
    parts = sms.split(sentences, max_chars_per_part=100)
    assert all(part.endswith("here.") for part in parts)
    assert all(len(part) <= 100 for part in parts)


def test_split_ucs2_text_uses_the_ucs2_budget() -> None:
    text = " ".join([POLISH] * 20)
    parts = sms.split(text)
    assert len(parts) == 6  # 1,399 units, at most 4 x 67 = 268 per part
    assert all(sms.segments(part) <= sms.MAX_SEGMENTS_PER_MESSAGE for part in parts)
    assert all(part.endswith((".", "?")) for part in parts)
    assert " ".join(parts) == text


def test_split_chinese_without_spaces_at_sentence_ends() -> None:
    text = "您可以随时在这里发信息。" * 40
    parts = sms.split(text)
    assert all(part.endswith("。") for part in parts)
    assert "".join(parts) == text


def test_split_cuts_only_a_word_that_cannot_fit() -> None:
    parts = sms.split("short " + "x" * 25 + " end", max_chars_per_part=10)
    assert parts == ["short", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx end"] or all(
        len(part) <= 10 for part in parts
    )
    assert "".join(parts).replace(" ", "") == "short" + "x" * 25 + "end"


def test_split_never_separates_combining_marks() -> None:
    word = "e\u0301" * 12
    parts = sms.split(word, max_chars_per_part=5)
    assert all(not part.startswith("\u0301") for part in parts)
    assert "".join(parts) == word


def test_split_rejects_a_silly_limit() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        sms.split("text", max_chars_per_part=0)


def test_budget_constants() -> None:
    assert sms.SEGMENT_BUDGET == 10
    assert sms.MAX_SEGMENTS_PER_MESSAGE == 4
