"""The words on a reporting centre's poster, read by people thinking of reporting.

Marked with ``N_`` so ``tellsafe i18n`` extracts them; :mod:`officer.poster` prints
them in several languages around the QR code, with the conversation's own safety line
(``bot.prompts.EMERGENCY``). Short and plain, like the conversation.
"""

from __future__ import annotations

from typing import Final

from content.i18n import N_

HEADLINE: Final = N_("Hate crime or a hate incident? You can tell us.")
INVITATION: Final = N_(
    "Chat with TellSafe in your own language. It is free and private, and you can stay anonymous."
)
SCAN: Final = N_("Scan the code with your phone camera to start.")
