"""A reporting centre's SMS keyword: a first message that is just a registered centre code.

Posters invite people to text the centre's code ("Text LIB-7 to ..."); the code is then
recorded on the conversation like the web chat's ``?centre=`` and Telegram's deep link.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from officer.centre_models import CODE_PATTERN, Centre


def centre_named_by(session: Session, text: str) -> str | None:
    """Return the registered centre code ``text`` consists of (any case), else None."""
    word = text.strip()
    if not CODE_PATTERN.match(word):
        return None
    found: str | None = session.scalar(
        select(Centre.code).where(func.lower(Centre.code) == word.lower())
    )
    return found
