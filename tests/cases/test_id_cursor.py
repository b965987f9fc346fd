from __future__ import annotations

import pytest

from cases.models import MAX_ROW_ID, id_cursor


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        ("", 0),
        ("42", 42),
        ("-5", 0),
        ("1e3", 0),
        ("٣", 3),  # an Arabic-Indic digit is still a number to int()
        (str(MAX_ROW_ID), MAX_ROW_ID),
        (str(2**63), MAX_ROW_ID),
    ],
)
def test_a_polling_cursor_is_a_row_id_or_the_beginning(value: str | None, expected: int) -> None:
    assert id_cursor(value) == expected
