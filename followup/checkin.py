"""The check-in dialogue: good time? how are you? anything new? support? satisfaction."""

from __future__ import annotations

from datetime import timedelta

from bot import states
from bot.choices import holds_listed, match_one
from bot.commands import asks_for_support
from bot.flow import goto, misunderstood, prompt_for, settle
from bot.messages import OutboundMessage
from bot.prompts import noted, officer_asked_to_contact
from bot.turn import Turn
from bot.withdrawal import withdraw_checkins
from cases import store
from cases.models import FollowUp
from followup import checkin_prompts
from followup.schedule import CHECKIN, next_safe_time


def _chosen(turn: Turn) -> str | None:
    state = turn.conversation.state
    return match_one(turn.text, turn.parse, prompt_for(turn, state).choices, turn.language)


def _answer(turn: Turn) -> str | None:
    # Past the neutral opener, "not sure" and a question asked back are understood, as
    # in a report (reassured or answered, no miss counted).
    return settle(turn, turn.conversation.state, _chosen(turn))


def on_time(turn: Turn) -> None:
    """Not now: try again tomorrow, inside the safe window. No more: consent withdrawn.

    "Still scared", "bit better thanks": how they are, told before they were asked,
    got "Sorry, I did not understand" and the opener again. It is the answer to "how
    are you?", and the next question follows. Only when nothing else was read: "not
    great" may be about the time, and a no keeps a check-in from going on beside
    someone who should not see it.
    """
    if holds_listed(turn.text, checkin_prompts.WRONG_NUMBER, turn.language):
        _wrong_number(turn)
        return
    code = _chosen(turn)
    if code is None:
        if holds_listed(turn.text, checkin_prompts.FEELINGS, turn.language):
            goto(turn, states.CHECKIN_AGAIN, [checkin_prompts.checking_in()])
        else:
            misunderstood(turn)
    elif code == checkin_prompts.STOP_CHECKINS:
        if not withdraw_checkins(turn):
            # Nothing left to withdraw (an officer cancelled them): still close kindly.
            turn.close()
            turn.replies.append(OutboundMessage(body=(checkin_prompts.checkins_withdrawn(),)))
    elif code == "yes":
        goto(turn, states.CHECKIN_HOW)
    elif code == "no":
        case = turn.require_case()
        turn.session.add(
            FollowUp(
                case_id=case.id,
                contact_id=turn.contact.id,
                address_id=turn.conversation.address_id,
                kind=CHECKIN,
                due_at=next_safe_time(turn.now + timedelta(days=1), turn.contact),
                state="pending",
                attempts=0,
            )
        )
        turn.conversation.state = states.CLOSED
        turn.replies.append(checkin_prompts.not_now())


def _wrong_number(turn: Turn) -> None:
    """Whoever has the phone says it is not the person's: stop writing to it.

    "Wrong number" got "Sorry, I did not understand" and the check-in again, to a
    stranger, or to someone the person may need kept out. The check-ins stop (not the
    consent: the person never withdrew it), an officer learns that this number no
    longer reaches them, and the reply names nothing.
    """
    store.cancel_followups(turn.session, turn.contact.id, "wrong_number", turn.now)
    store.open_handoff(turn.session, turn.conversation, turn.case, "wrong_number", False, turn.now)
    turn.close()
    turn.replies.append(checkin_prompts.wrong_number())


def on_how(turn: Turn) -> None:
    """Any answer is kept in the transcript for the officer; then, anything new?"""
    goto(turn, states.CHECKIN_AGAIN)


def on_again(turn: Turn) -> None:
    """A new incident becomes a new report, linked to the first and marked repeat."""
    code = _answer(turn)
    if code == "no":
        goto(turn, states.CHECKIN_SUPPORT)
    elif code == "yes":
        open_new_incident(turn)
        goto(turn, states.WHAT_HAPPENED, [checkin_prompts.new_incident()])


def open_new_incident(turn: Turn) -> None:
    """Start the report of an incident told at a check-in, linked to the first and a repeat."""
    first = turn.require_case()
    case = turn.new_case()
    case.linked_case_id = first.id
    case.repeat_victim = True
    case.anonymous = first.anonymous
    turn.forget()


def on_support(turn: Turn) -> None:
    """Support now: an officer is asked to make contact, and the person is told so.

    The yes was once followed by the satisfaction question alone, as if unheard. "I
    want support now" is a yes too (listed in the person's language): it was read as a
    no in six languages, and nobody was asked to call.
    """
    code = "yes" if asks_for_support(turn) else _answer(turn)
    preface = []
    if code == "yes":
        store.open_handoff(
            turn.session, turn.conversation, turn.case, "checkin_support", False, turn.now
        )
        preface.append(officer_asked_to_contact())
    if code is not None:
        goto(turn, states.CHECKIN_SATISFACTION, preface)


def on_satisfaction(turn: Turn) -> None:
    """The 1-5 answer is kept on the check-in for the problem profile."""
    code = _answer(turn)
    if code is None:
        return
    followup_id = turn.scratch.get("followup")
    followup = turn.session.get(FollowUp, followup_id) if followup_id else None
    if followup is not None:
        followup.satisfaction = int(code)
        followup.outcome = "completed"
    turn.close()
    # The words that end a report with nothing more to add.
    turn.replies.append(noted())
