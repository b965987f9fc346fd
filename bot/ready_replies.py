"""Ready-made replies an officer can send, in the person's own language.

The officer may not speak the person's language, so the console offers these
messages from the catalogs: the officer reads the English, the person gets their
language. Kept SMS-short, kind and plain, like every prompt (``bot/prompts.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.messages import OutboundMessage, Text
from bot.prompts import EMERGENCY
from content.i18n import N_

T = Text.of


@dataclass(frozen=True)
class ReadyReply:
    """One ready-made reply.

    Attributes:
        code: Its stable name (what the console's form sends).
        text: The message, translated into the person's language when sent.
    """

    code: str
    text: Text

    def message(self) -> OutboundMessage:
        """The reply as an outbound message."""
        return OutboundMessage(body=(self.text,))


#: Said when the officer hands the conversation back to the bot, before its question.
BACK_WITH_BOT: Final = T(
    N_(
        "Thank you for talking with the support officer. You are back with TellSafe. "
        "You can ask for a person again at any time."
    )
)

READY_REPLIES: Final[tuple[ReadyReply, ...]] = (
    ReadyReply(
        "introduce",
        T(
            N_(
                "Hello, I am a hate crime support officer. I have read what you told us "
                "and I am here to help."
            )
        ),
    ),
    ReadyReply("safe_now", T(N_("Are you safe right now?"))),
    ReadyReply("tell_more", T(N_("Can you tell me a little more about what happened?"))),
    ReadyReply(
        "call_time",
        T(N_("Would you like me to call you? If yes, when is a safe time to call?")),
    ),
    ReadyReply(
        "keep_evidence",
        T(
            N_(
                "Please keep any screenshots, links, messages and dates. They can help "
                "if you decide to report it."
            )
        ),
    ),
    ReadyReply(
        "support_service",
        T(N_("A support service can help you. May we pass your details to them? You can say no.")),
    ),
    ReadyReply(
        "reply_soon",
        T(N_("Thank you. I need a little time to look into this. I will write again soon.")),
    ),
    ReadyReply("emergency", EMERGENCY),
    ReadyReply(
        "closing",
        T(
            N_(
                "Thank you for talking with us. If anything else happens, or you need "
                "help, message us here at any time."
            )
        ),
    ),
)

BY_CODE: Final[Mapping[str, ReadyReply]] = {reply.code: reply for reply in READY_REPLIES}
