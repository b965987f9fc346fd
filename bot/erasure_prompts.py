"""What the person reads when they ask us to delete their data.

The question says plainly what goes and that it cannot be undone; the confirmation
says it is done (and, when policy keeps one, that only an anonymous count remains).
"""

from __future__ import annotations

from typing import Final

from bot.messages import Choice, OutboundMessage, Text
from content.i18n import N_

T = Text.of

#: Choice codes: the yes/no intents pick them in every language.
ERASE: Final = "yes"
KEEP: Final = "no"

CONFIRM_QUESTION: Final = T(
    N_(
        "Do you want us to delete everything you have told us, and your contact "
        "details? This cannot be undone."
    )
)


def confirm_erasure() -> OutboundMessage:
    """Ask before deleting anything."""
    return OutboundMessage(
        body=(CONFIRM_QUESTION,),
        choices=(
            Choice(ERASE, T(N_("Yes, delete everything"))),
            Choice(KEEP, T(N_("No, keep it"))),
        ),
    )


def erased(statistics_kept: bool) -> OutboundMessage:
    """The confirmation, sent after everything about the person is gone."""
    body = [
        T(
            N_(
                "Done. Your messages, your report and your contact details have been "
                "deleted. You can write to us again at any time."
            )
        )
    ]
    if statistics_kept:
        body.append(T(N_("We keep only an anonymous count that cannot be linked to you.")))
    return OutboundMessage(body=tuple(body))


def not_erased() -> Text:
    """The person chose not to delete."""
    return T(N_("OK, nothing has been deleted."))
