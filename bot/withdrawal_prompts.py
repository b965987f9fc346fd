"""What the person reads when they withdraw a consent: which one, and that it is done."""

from __future__ import annotations

from typing import Final

from bot.messages import Choice, OutboundMessage, Text
from bot.prompts import listed
from content.i18n import N_, PN_

T = Text.of

#: What can be withdrawn: passing details on (to support services or the police), the
#: check-ins, or both.
SHARING: Final = "sharing"
CHECKINS: Final = "checkins"
BOTH: Final = "both"

#: Words that name passing details on, in the person's language (whole words). Not the
#: verbs alone: "stop sending me messages" is about the check-ins.
SHARING_WORDS: Final = listed(
    PN_(
        "also",
        "share, sharing, shared, pass on, passing on, passed on, details, information, info, "
        "data, referral, refer, service, services, police, Galop, Tell MAMA, Victim Support",
    )
)
#: Words that name the check-ins, in the person's language (whole words).
CHECKIN_WORDS: Final = listed(
    PN_(
        "also",
        "check-in, check-ins, check in, checking in, checkin, checkins, follow-up, follow-ups, "
        "follow up, messages, message me, messaging me, contact me, contacting me, "
        "keep in touch, stay in touch",
    )
)


def which_consent() -> OutboundMessage:
    """Asked when both are in force and the words name neither ("I withdraw my consent")."""
    return OutboundMessage(
        body=(T(N_("What would you like us to stop?")),),
        choices=(
            Choice(SHARING, T(N_("Passing on my details")), also=SHARING_WORDS),
            Choice(CHECKINS, T(N_("Check-in messages")), also=CHECKIN_WORDS),
            Choice(BOTH, T(N_("Both")), also=listed(PN_("also", "both, all, all of it"))),
        ),
    )


def sharing_withdrawn() -> Text:
    """Consent to pass details on withdrawn: nothing more goes to a service or the police."""
    return T(
        N_(
            "Done: we will not pass your details on to a support service or the police. "
            "A support officer will tell any service that already has them."
        )
    )


def nothing_to_withdraw() -> Text:
    """The person withdraws what they never agreed to (or already withdrew)."""
    return T(
        N_(
            "You have not agreed to that, so there is nothing to withdraw. We never pass "
            "on your details or check in with you without your agreement."
        )
    )
