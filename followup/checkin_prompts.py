"""What a check-in says. The first line is neutral: it reveals nothing on a lock screen."""

from __future__ import annotations

from bot.messages import FOLLOWUP, Choice, OutboundMessage, Text
from content.i18n import N_

T = Text.of


def opener() -> OutboundMessage:
    """The first check-in message: a plain greeting and "is now a good time?"."""
    return OutboundMessage(
        body=(T(N_("Hello, is now a good time for a quick chat?")),),
        choices=(Choice("yes", T(N_("Yes"))), Choice("no", T(N_("Not now")))),
        kind=FOLLOWUP,
    )


def not_now() -> OutboundMessage:
    """The person cannot talk now."""
    return OutboundMessage(body=(T(N_("That is fine. We will try another day.")),))


def how_are_you() -> OutboundMessage:
    """The open wellbeing question."""
    return OutboundMessage(
        body=(
            T(N_("Thank you. This is TellSafe, checking in after your report.")),
            T(N_("How are you feeling now?")),
        )
    )


def anything_else() -> OutboundMessage:
    """Whether anything else has happened since the report."""
    return OutboundMessage(
        body=(T(N_("Has anything else happened to you since you last talked to us?")),),
        choices=(Choice("yes", T(N_("Yes"))), Choice("no", T(N_("No")))),
    )


def new_incident() -> Text:
    """Before taking a new report at a check-in."""
    return T(
        N_("I am sorry that happened. Let us record it as a new report, linked to your first one.")
    )


def support_now() -> OutboundMessage:
    """Whether they want support now."""
    return OutboundMessage(
        body=(T(N_("Would you like a support officer to contact you?")),),
        choices=(Choice("yes", T(N_("Yes, please"))), Choice("no", T(N_("No, thank you")))),
    )


def satisfaction() -> OutboundMessage:
    """The 1-5 satisfaction question."""
    return OutboundMessage(
        body=(
            T(
                N_(
                    "How happy are you with the help you have had so far? Send a number from 1 "
                    "(not at all) to 5 (very happy)."
                )
            ),
        ),
        choices=tuple(Choice(str(n), T(str(n))) for n in range(1, 6)),
    )


def thanks() -> OutboundMessage:
    """The end of a check-in."""
    return OutboundMessage(
        body=(T(N_("Thank you for letting us know. You can message here at any time.")),)
    )
