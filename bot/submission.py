"""Submitting a report: the moment a draft becomes a report that officers work."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import states
from bot.turn import Turn
from cases import store
from cases.models import Case, Conversation
from followup import patterns
from followup.schedule import schedule_checkins

#: Reports submitted unfinished in one transaction (the worker comes back for the rest).
UNFINISHED_BATCH: Final = 100


def submit(turn: Turn) -> None:
    """Submit the turn's case, with check-ins if the person agreed and still hears from us.

    A report submitted unfinished while the person was silent (:func:`submit_unfinished`)
    stays as it is and only gets its check-ins now, when they have chosen them.
    """
    case = turn.require_case()
    if case.status == "draft":
        mark_submitted(turn.session, case, turn.now)
    if case.followup_consent and turn.contact.opted_out_at is None:
        schedule_checkins(turn.session, case, turn.contact, turn.conversation.address_id, turn.now)


def mark_submitted(
    session: Session, case: Case, now: datetime, unfinished_at: str | None = None
) -> None:
    """Make a draft a report officers see, audited, and compare it with other reports.

    Args:
        session: The open session.
        case: The draft.
        now: The current time.
        unfinished_at: The question the person left it at, when it is submitted for
            them after a silence (kept in the audit event as a state name, nothing more).
    """
    case.status = "submitted"
    case.submitted_at = now
    details = {"unfinished_at": unfinished_at} if unfinished_at else None
    store.audit(session, store.SYSTEM, "case.submitted", "case", case.id, now, details)
    patterns.record_case(session, case, now)


def awaits_last_answers(case: Case, conversation: Conversation | None) -> bool:
    """Whether a submitted report's author has not answered its last questions yet.

    So officers know a missing police answer or check-in was never given, not refused:
    the report was submitted for its author after a silence (:func:`submit_unfinished`)
    and its conversation still stands at a question after the risk assessment (directly,
    or behind a pause, a language menu or a wait for a person).
    """
    return (
        case.status == "submitted"
        and conversation is not None
        and conversation.case_id == case.id
        and _question_left_at(conversation) is not None
    )


def _question_left_at(conversation: Conversation) -> str | None:
    """The question after the risk assessment the conversation stands at, if any."""
    for state in (conversation.state, conversation.resume_state):
        if state in states.ASSESSED_STATES:
            return state
    return None


def submit_unfinished(session: Session, now: datetime, silent_for: timedelta) -> int:
    """Submit the reports whose authors went silent after the risk assessment.

    By then the report holds what happened, why, and the risk, and the person may have
    agreed to referrals. Someone who stops replying at a referral, police or check-in
    question (interrupted, the phone taken, or feeling they had said enough) left it a
    draft no officer saw, with those referrals, until retention deleted it. After
    ``silent_for`` it is submitted as it stands: without check-ins, since they never
    chose when a message is safe, and without telling them, since a phone that went
    quiet may not be theirs alone now. If they come back they carry on from the same
    question, and finishing adds the check-ins they choose.

    Args:
        session: The open session.
        now: The current time.
        silent_for: How long since the person's last message.

    Returns:
        How many reports were submitted (at most :data:`UNFINISHED_BATCH`).
    """
    assessed = states.ASSESSED_STATES
    rows = session.execute(
        select(Case, Conversation)
        .join(Conversation, Conversation.case_id == Case.id)
        .where(
            Case.status == "draft",
            Conversation.updated_at < now - silent_for,
            or_(Conversation.state.in_(assessed), Conversation.resume_state.in_(assessed)),
        )
        .order_by(Case.id)
        .limit(UNFINISHED_BATCH)
        # Several workers may pass at once, and the person may be answering right now:
        # a row another transaction holds is left for the next pass (PostgreSQL).
        .with_for_update(of=(Case, Conversation), skip_locked=True)
    ).all()
    for case, conversation in rows:
        mark_submitted(session, case, now, unfinished_at=_question_left_at(conversation))
    return len(rows)
