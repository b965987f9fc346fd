"""The reporting-centre table.

A centre is a charity, place of worship, library or college that points its visitors to
TellSafe. Its short code travels with the person (``/chat?centre=<code>``, the Telegram
``start`` payload) and is recorded on the case, so the profile can show what came of
the reports each centre sent.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cases.models import Base, UTCDateTime

#: The codes the web chat and the Telegram deep link accept (see bot/web/chat.py and
#: bot/channels/telegram.py): a centre with any other code could never be credited.
CODE_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_NAME: Final = 120
MAX_AREA: Final = 64


class Centre(Base):
    """A third-party reporting centre.

    Attributes:
        code: The short code in its links, as stored on ``Case.centre``.
        name: The centre's name, shown to officers and on its poster.
        area: Where it is (a town, district or postcode area), for the profile.
        created: When it was registered.
    """

    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    area: Mapped[str] = mapped_column(String(MAX_AREA))
    created: Mapped[datetime] = mapped_column(UTCDateTime())
