"""The few user-facing texts that belong to channels, marked for the catalogs with N_()."""

from __future__ import annotations

from bot.messages import NOTICE, OutboundMessage, Text
from content.i18n import N_


def sms_help(contact: str) -> OutboundMessage:
    """The one reply to the SMS HELP keyword: who we are and how to reach a person."""
    return OutboundMessage(
        body=(
            Text.of(
                N_(
                    "TellSafe hate crime reporting. For help: {contact}. In an emergency "
                    "call 999. Send STOP to end messages, START to resume."
                ),
                contact=contact,
            ),
        ),
        kind=NOTICE,
    )
