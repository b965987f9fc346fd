"""Withdrawing a consent in the person's own words, at any point: as easy as giving it.

Two consents can be withdrawn: passing the person's details on (to support services or
the police) and the check-ins. The words decide which ("stop passing on my details",
"no more check-ins"); when they name neither and both are in force, the person is
asked which, once, and nothing is withdrawn that they did not name. "wycofuję zgodę"
(I withdraw my consent), said about a referral, once cancelled every check-in first
and left the referral standing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from bot import states
from bot.choices import holds_listed, match_one
from bot.flow import reask
from bot.messages import OutboundMessage, Text
from bot.turn import Turn
from bot.withdrawal_prompts import (
    BOTH,
    CHECKIN_WORDS,
    CHECKINS,
    SHARING,
    SHARING_WORDS,
    nothing_to_withdraw,
    sharing_withdrawn,
    which_consent,
)
from cases import store
from cases.models import Case
from followup import checkin_prompts
from followup.consent import has_followups, sharing_consents, withdraw_followups, withdraw_sharing

#: Where the conversation remembers that "which one?" was asked, and for how long an
#: answer still answers it (as the erasure question).
_WHICH_ASKED: Final = "withdraw_asked"
_ANSWER_WINDOW: Final = timedelta(hours=1)


def withdraw(turn: Turn) -> None:
    """Withdraw the consent the words name, or the one in force; ask when it is unclear."""
    in_force = _in_force(turn)
    named = _named(turn)
    if not named and len(in_force) > 1:
        turn.remember(_WHICH_ASKED, turn.now.isoformat())
        turn.replies.append(which_consent())
        return
    _withdraw(turn, (named or in_force) & in_force)


def withdrawal_pending(turn: Turn) -> bool:
    """Whether this message may be the answer to "what would you like us to stop?"."""
    return turn.asked_within(_WHICH_ASKED, _ANSWER_WINDOW)


def answer_withdrawal(turn: Turn) -> bool:
    """Withdraw what the answer chooses; anything else is handled as usual.

    Returns:
        True when the message answered the question.
    """
    turn.take(_WHICH_ASKED)
    code = match_one(turn.text, turn.parse, which_consent().choices, turn.language)
    if code is None:
        return False
    # As in force now: an officer may have withdrawn one since the question was asked.
    _withdraw(turn, ({SHARING, CHECKINS} if code == BOTH else {code}) & _in_force(turn))
    return True


def withdraw_checkins(turn: Turn) -> bool:
    """Withdraw follow-up consent, if the person has any; returns whether it did.

    Check-ins stop at once and the person is told so in their language; at a check-in
    the conversation then closes.
    """
    if not has_followups(turn.session, turn.contact.id):
        return False
    _withdraw(turn, {CHECKINS})
    return True


def _in_force(turn: Turn) -> set[str]:
    kinds = set()
    if sharing_consents(turn.session, turn.contact.id):
        kinds.add(SHARING)
    if has_followups(turn.session, turn.contact.id):
        kinds.add(CHECKINS)
    return kinds


def _named(turn: Turn) -> set[str]:
    """What the words name: passing details on, the check-ins, both or neither."""
    return {
        kind
        for kind, words in ((SHARING, SHARING_WORDS), (CHECKINS, CHECKIN_WORDS))
        if holds_listed(turn.text, words, turn.language)
    }


def _withdraw(turn: Turn, kinds: set[str]) -> None:
    """Withdraw ``kinds`` (each in force), say so, and go on with the question."""
    told: list[Text] = []
    if CHECKINS in kinds:
        withdraw_followups(turn.session, turn.contact.id, turn.now)
        told.append(checkin_prompts.checkins_withdrawn())
    if SHARING in kinds:
        withdrawn = withdraw_sharing(turn.session, turn.contact.id, turn.now)
        # An officer tells any service that already has the details: the case of the
        # latest consent shows them which.
        case = turn.session.get(Case, withdrawn[-1].case_id) if withdrawn else turn.case
        store.open_handoff(turn.session, turn.conversation, case, "withdrawal", False, turn.now)
        told.append(sharing_withdrawn())
    if not told:
        told.append(nothing_to_withdraw())
    if CHECKINS in kinds and turn.conversation.state in states.CHECKIN_STATES:
        turn.close()
        turn.replies.append(OutboundMessage(body=tuple(told)))
    else:
        reask(turn, told)
