from __future__ import annotations

import pytest

from nlu.entities import find_postcode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sw1a 1aa", "SW1A 1AA"),
        ("it was near M1 1AE in town", "M1 1AE"),
        ("B338TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes(text: str, expected: str) -> None:
    assert find_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    ["QQ1 1AA", "SW1A 1CI", "12345", "hello", "", "AB1", "ZZ9 9ZZ", "XX1 1AA", "V1 1AA"],
)
def test_invalid_postcodes(text: str) -> None:
    assert find_postcode(text) is None
