"""Carrier opt-out keywords, as Twilio's Advanced Opt-Out reads them.

Twilio acts on these exact words itself (it blocks later messages after STOP), so the
adapter must agree with it: the whole message, trimmed and in any case, is the keyword.
The engine then gets the one word it certainly understands. Local words for stop in
each supported language go to the engine unchanged; its language understanding knows
them.
"""

from __future__ import annotations

from typing import Final

STOP: Final = "STOP"
START: Final = "START"
HELP: Final = "HELP"

_KEYWORDS: Final = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "CANCEL", "REVOKE", "OPTOUT"), STOP
    ),
    # YES also opts back in at Twilio, but it is mostly an answer: see engine_text().
    **dict.fromkeys(("START", "UNSTOP", "YES"), START),
    **dict.fromkeys(("HELP", "INFO"), HELP),
}
#: Twilio's ``OptOutType`` webhook parameter, sent when Advanced Opt-Out matched.
_OPT_OUT_TYPES: Final = {"STOP": STOP, "START": START, "HELP": HELP}


def keyword(body: str, opt_out_type: str | None = None) -> str | None:
    """Return STOP, START or HELP when the message is a carrier keyword, else None.

    Args:
        body: The message text.
        opt_out_type: Twilio's ``OptOutType`` parameter, when present.
    """
    if opt_out_type and opt_out_type.upper() in _OPT_OUT_TYPES:
        return _OPT_OUT_TYPES[opt_out_type.upper()]
    word = body.strip().strip(".!").upper()
    return _KEYWORDS.get(word)


def engine_text(body: str, kind: str | None) -> str:
    """The text the engine should get for a message whose keyword is ``kind``.

    STOP words all become STOP and START words START, except YES, which stays an
    answer to the question asked (it only re-subscribes at the carrier).
    """
    if kind == STOP:
        return STOP
    if kind == START and body.strip().strip(".!").upper() != "YES":
        return START
    return body
