"""Case reference numbers: short, unambiguous, easy to read aloud or type on a phone."""

from __future__ import annotations

import secrets
from typing import Final

# No 0/O, 1/I/L, 5/S or 2/Z: nothing that is misread on a small screen or over the phone.
ALPHABET: Final = "346789ABCDEFGHJKMNPQRTUVWXY"
PREFIX: Final = "TS"


def new_reference() -> str:
    """Return a random reference like ``TS-7KQ4-M9XD`` (about 38 bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"
