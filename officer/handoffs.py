"""The officer's side of a handoff: the queue, claiming, replying, handing back, closing.

While an officer holds a handoff the conversation sits in the bot's ``handoff_wait``
state, where the bot says nothing for itself (``bot.commands.officer_holds``) but still
answers danger, exit and STOP. The officer's replies are outbox rows on the
conversation's own channel, so the sender's rate limits, retries and opt-out rules
apply to them as to any reply. Handing back resumes the report where it was, asking
its question again; everything is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import commands, states
from bot.messages import InboundMessage, OutboundMessage, RenderedMessage
from bot.outbox import pending_row
from bot.ready_replies import BACK_WITH_BOT, BY_CODE
from bot.service import ConversationService
from bot.turn import Turn
from cases import store
from cases.models import Case, ChannelAddress, Contact, Conversation, Handoff, Message
from nlu.parse import Parse
from officer.models import Officer

OPEN: Final = "open"
CLAIMED: Final = "claimed"
CLOSED: Final = "closed"
HANDED_BACK: Final = "handed_back"
#: Longest reply an officer may type (an SMS provider splits it; the web shows it whole).
MAX_REPLY: Final = 1600
#: States the bot cannot resume into: coming back from them means their own resume state.
_NOT_RESUMABLE: Final = (states.LANGUAGE_MENU, states.HANDOFF_WAIT, states.PAUSED, states.STOPPED)


class HandoffError(Exception):
    """An action that does not fit the handoff's state (shown to the officer)."""


def actor(officer: Officer) -> str:
    """How an officer appears in the audit log."""
    return f"officer:{officer.id}"


@dataclass(frozen=True)
class QueueItem:
    """One handoff as the queue shows it (codes and times only, nothing sealed)."""

    handoff_id: int
    conversation_id: int
    reference: str | None
    reason: str
    urgent: bool
    status: str
    created_at: datetime
    waited_seconds: int
    channel: str
    language: str | None
    risk: str | None
    holder: str | None


def queue(session: Session, now: datetime) -> list[QueueItem]:
    """Handoffs not yet closed: waiting ones first, urgent first, then longest waiting."""
    rows = session.execute(
        select(Handoff, Conversation, Contact, Case, Officer.username)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .outerjoin(Case, Case.id == Handoff.case_id)
        .outerjoin(Officer, Officer.id == Handoff.claimed_by)
        .where(Handoff.status.in_((OPEN, CLAIMED)))
        .order_by(
            (Handoff.status == CLAIMED).asc(),
            Handoff.urgent.desc(),
            Handoff.created_at.asc(),
            Handoff.id.asc(),
        )
    ).all()
    return [
        QueueItem(
            handoff_id=handoff.id,
            conversation_id=conversation.id,
            reference=case.reference if case else None,
            reason=handoff.reason,
            urgent=handoff.urgent,
            status=handoff.status,
            created_at=handoff.created_at,
            waited_seconds=max(int((now - handoff.created_at).total_seconds()), 0),
            channel=conversation.channel,
            language=contact.language,
            risk=case.risk if case else None,
            holder=holder,
        )
        for handoff, conversation, contact, case, holder in rows
    ]


def current_handoff(session: Session, conversation_id: int) -> Handoff | None:
    """The conversation's handoff that is not closed, if any."""
    return session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id, Handoff.status != CLOSED)
        .order_by(Handoff.id.desc())
    ).first()


def claim(session: Session, handoff_id: int, officer: Officer, now: datetime) -> Handoff:
    """Take a waiting handoff. Two officers clicking at once: one wins, the other is told.

    The conversation moves to ``handoff_wait`` (remembering where the report was), so
    the bot stays quiet while the officer talks.

    Raises:
        HandoffError: When the handoff is not waiting (someone else took it, or closed).
    """
    won = session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == OPEN)
        .values(status=CLAIMED, claimed_at=now, claimed_by=officer.id)
    )
    if not getattr(won, "rowcount", 0):
        raise HandoffError("This handoff is no longer waiting: another officer may have it.")
    handoff = session.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None:  # pragma: no cover - it was just updated
        raise HandoffError("The handoff is gone.")
    conversation = session.get(Conversation, handoff.conversation_id)
    if conversation is not None and conversation.state != states.STOPPED:
        if conversation.state not in _NOT_RESUMABLE:
            conversation.resume_state = conversation.state
        conversation.state = states.HANDOFF_WAIT
    store.audit(session, actor(officer), "handoff.claimed", "handoff", handoff.id, now)
    return handoff


def _held_by(session: Session, conversation: Conversation, officer: Officer) -> Handoff:
    handoff = current_handoff(session, conversation.id)
    if handoff is None or handoff.status != CLAIMED:
        raise HandoffError("Claim the handoff before writing to the person.")
    if handoff.claimed_by != officer.id:
        raise HandoffError("Another officer holds this conversation.")
    return handoff


def _reachable(session: Session, conversation: Conversation) -> None:
    contact = session.get(Contact, conversation.contact_id)
    address = session.get(ChannelAddress, conversation.address_id)
    if contact is None or address is None:
        raise HandoffError("The person's details have been erased.")
    if contact.opted_out_at is not None or address.opted_out_at is not None:
        raise HandoffError("The person sent STOP: nothing can be sent until they send START.")
    if address.unreachable_at is not None:
        raise HandoffError("The person's address can no longer be reached.")


def reply(
    session: Session, conversation: Conversation, officer: Officer, text: str, now: datetime
) -> int:
    """Queue the officer's own words to the person on their channel.

    Returns:
        The outbox message id.

    Raises:
        HandoffError: Without the handoff held, for empty text, or when nothing may be sent.
    """
    text = text.strip()
    if not text:
        raise HandoffError("Write a message first.")
    if len(text) > MAX_REPLY:
        raise HandoffError(f"Messages are at most {MAX_REPLY} characters.")
    _held_by(session, conversation, officer)
    _reachable(session, conversation)
    message = pending_row(conversation, RenderedMessage(text=text), now, officer_id=officer.id)
    session.add(message)
    session.flush()
    store.audit(
        session,
        actor(officer),
        "conversation.replied",
        "conversation",
        conversation.id,
        now,
        {"message": message.id},
    )
    return message.id


def _queue_as(
    session: Session,
    service: ConversationService,
    conversation: Conversation,
    officer: Officer,
    replies: list[OutboundMessage],
) -> list[int]:
    ids = service.queue(session, conversation, replies)
    if ids:
        session.execute(update(Message).where(Message.id.in_(ids)).values(officer_id=officer.id))
    return ids


def send_ready(
    session: Session,
    service: ConversationService,
    conversation: Conversation,
    officer: Officer,
    code: str,
    now: datetime,
) -> list[int]:
    """Queue a ready-made reply, rendered in the person's language.

    Raises:
        HandoffError: For an unknown reply, without the handoff held, or when nothing may
            be sent.
    """
    ready = BY_CODE.get(code)
    if ready is None:
        raise HandoffError("Choose one of the ready-made replies.")
    _held_by(session, conversation, officer)
    _reachable(session, conversation)
    ids = _queue_as(session, service, conversation, officer, [ready.message()])
    store.audit(
        session,
        actor(officer),
        "conversation.replied",
        "conversation",
        conversation.id,
        now,
        {"ready": code, "messages": ids},
    )
    return ids


def _finish(
    session: Session, handoff: Handoff, outcome: str, officer: Officer, now: datetime
) -> None:
    handoff.status = CLOSED
    handoff.outcome = outcome
    handoff.closed_at = now
    store.audit(session, actor(officer), f"handoff.{outcome}", "handoff", handoff.id, now)


def _holder_check(handoff: Handoff, officer: Officer) -> None:
    if handoff.status == CLOSED:
        raise HandoffError("This handoff is already closed.")
    if handoff.status == CLAIMED and handoff.claimed_by != officer.id:
        raise HandoffError("Another officer holds this conversation.")


def hand_back(
    session: Session,
    service: ConversationService,
    handoff: Handoff,
    officer: Officer,
    now: datetime,
) -> list[int]:
    """Give the conversation back to the bot, which carries on where it was.

    The person is told they are back with TellSafe and asked the question they were
    at (the bot's own ``resume``), unless they opted out.

    Returns:
        The ids of the messages queued to the person.

    Raises:
        HandoffError: When the handoff is closed or another officer holds it.
    """
    _holder_check(handoff, officer)
    _finish(session, handoff, HANDED_BACK, officer, now)
    conversation = session.get(Conversation, handoff.conversation_id)
    if conversation is None or conversation.state != states.HANDOFF_WAIT:
        return []
    contact = session.get(Contact, conversation.contact_id)
    if contact is None:
        return []
    case = session.get(Case, conversation.case_id) if conversation.case_id else None
    turn = Turn(
        session=session,
        conversation=conversation,
        contact=contact,
        case=case,
        inbound=InboundMessage(conversation.channel, "", "", now),
        text="",
        parse=Parse(),
        now=now,
    )
    commands.resume(turn, [BACK_WITH_BOT])
    conversation.updated_at = now
    if contact.opted_out_at is not None:
        return []
    return _queue_as(session, service, conversation, officer, turn.replies)


def close(session: Session, handoff: Handoff, officer: Officer, now: datetime) -> None:
    """Close the handoff: the conversation is finished (the person can write again).

    Raises:
        HandoffError: When the handoff is closed or another officer holds it.
    """
    _holder_check(handoff, officer)
    _finish(session, handoff, CLOSED, officer, now)
    conversation = session.get(Conversation, handoff.conversation_id)
    if conversation is not None and conversation.state == states.HANDOFF_WAIT:
        case = session.get(Case, conversation.case_id) if conversation.case_id else None
        # A finished report offers "add to it or start a new one"; an unfinished one
        # starts afresh next time, with the draft kept for officers.
        conversation.state = states.CLOSED if case is not None else states.NEW
        conversation.resume_state = None
        conversation.updated_at = now
