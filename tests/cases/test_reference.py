from __future__ import annotations

import re

from cases.reference import ALPHABET, new_reference


def test_references_are_short_unambiguous_and_distinct() -> None:
    seen = {new_reference() for _ in range(2000)}
    assert len(seen) == 2000
    for reference in seen:
        assert re.fullmatch(rf"TS-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", reference)
    assert not set("015IOLSZ2") & set(ALPHABET)
