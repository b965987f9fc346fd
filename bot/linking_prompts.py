"""What the bot says when a person links two of their chats (SMS, Telegram, web)."""

from __future__ import annotations

from bot.messages import Text
from content.i18n import N_

T = Text.of

#: The word that asks for a link code, in the person's language ("LINK" works in all).
LINK_WORD = T(N_("link"))


def link_code(code: str, minutes: int) -> Text:
    """The one-time code, and what to do with it."""
    return T(
        N_(
            "Your link code is {code}. Within {minutes} minutes, send it to TellSafe from your "
            "other phone or app, and we will keep your chats together. Only use it on "
            "accounts that are yours."
        ),
        code=code,
        minutes=minutes,
    )


def linked() -> Text:
    """The two chats are now one person's."""
    return T(
        N_(
            "Done: this chat is now linked to your other one. Reports from either are kept "
            "together."
        )
    )


def already_linked() -> Text:
    """The code came from the same person's chat."""
    return T(N_("These chats are already linked."))


def code_failed() -> Text:
    """A wrong, used or expired code (the same words whichever it was)."""
    return T(
        N_(
            "That code did not work. Codes work once, for a short time. Send LINK in your "
            "other chat for a new one."
        )
    )


def link_failed() -> Text:
    """The link could not be made (a clash in the records); nothing was changed."""
    return T(N_("Sorry, we could not link these chats. Please ask for a person: send PERSON."))
