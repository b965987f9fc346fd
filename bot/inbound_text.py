"""Cleaning inbound text before anything reads it."""

from __future__ import annotations

import unicodedata
from typing import Final

#: The most of one message we keep. Longer texts are cut (and the person told), so a
#: flood cannot fill the database; 20,000 characters is several pages of account.
MAX_KEPT: Final = 20_000
_KEEP_CONTROLS: Final = {"\n", "\t"}


def clean(text: str) -> tuple[str, bool]:
    """Remove control characters and unpaired surrogates; cut very long text.

    Args:
        text: The text as received.

    Returns:
        The cleaned text and whether it was cut.
    """
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = "".join(
        ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    if len(kept) > MAX_KEPT:
        return kept[:MAX_KEPT], True
    return kept, False
