"""Reading and writing the case record: the only place the engine touches storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from cases import deliveries, lawful_basis
from cases.models import (
    AuditEvent,
    Case,
    ChannelAddress,
    Consent,
    Contact,
    Conversation,
    FollowUp,
    Handoff,
    Message,
)
from cases.reference import new_reference
from cases.sealed import blind_index

SYSTEM: str = "system"


def find_address(session: Session, channel: str, address: str) -> ChannelAddress | None:
    """Return the stored address, looked up by its blind index."""
    return session.scalars(
        select(ChannelAddress).where(
            ChannelAddress.channel == channel,
            ChannelAddress.address_index == blind_index(address),
        )
    ).one_or_none()


@dataclass(frozen=True)
class Opened:
    """A conversation with its person, address and current case, loaded together.

    Holding these keeps them in the session's identity map (it only holds objects
    weakly), so the turn's later ``session.get`` calls cost no query.
    """

    conversation: Conversation
    address: ChannelAddress
    contact: Contact
    case: Case | None


#: Built once: it runs for every inbound message, and building it cost a fifth of the query.
_OPEN_TURN: Final = (
    select(Conversation, ChannelAddress, Contact, Case)
    .join(ChannelAddress, Conversation.address_id == ChannelAddress.id)
    .join(Contact, Conversation.contact_id == Contact.id)
    .outerjoin(Case, Conversation.case_id == Case.id)
    .where(
        ChannelAddress.channel == bindparam("channel"),
        ChannelAddress.address_index == bindparam("index"),
    )
    .with_for_update(of=Conversation, key_share=True)
)
_OPEN_TURN_REMEMBERING: Final = deliveries.remembering(_OPEN_TURN)


def open_turn(
    session: Session,
    channel: str,
    address: str,
    *,
    remember: dict[str, object] | None = None,
) -> Opened | None:
    """Load everything a turn starts from, in one query.

    Args:
        session: The open session.
        channel: The channel name.
        address: The channel address (phone number, chat id, session token).
        remember: A delivery to remember in the same query
            (:func:`cases.deliveries.remembered_params`), where the database can.

    Returns:
        The conversation, its address, contact and case; None on first contact (see
        :func:`open_conversation`).
    """
    params = {"channel": channel, "index": blind_index(address)}
    if remember is None:
        row = session.execute(_OPEN_TURN, params).one_or_none()
    else:
        row = session.execute(_OPEN_TURN_REMEMBERING, params | remember).one_or_none()
    return Opened(*row) if row is not None else None


def mark_carrier_opt_out(address: ChannelAddress, opted_out: bool, now: datetime) -> None:
    """Record that the provider opted an address out (or back in) on its own.

    The first opt-out time is kept: a repeated STOP changes nothing.
    """
    if not opted_out:
        address.opted_out_at = None
    elif address.opted_out_at is None:
        address.opted_out_at = now


def open_conversation(
    session: Session,
    channel: str,
    address: str,
    *,
    now: datetime,
    timezone: str,
    initial_state: str,
) -> Conversation:
    """Return the conversation for an address, creating the contact on first contact.

    Args:
        session: The open session.
        channel: The channel name.
        address: The channel address (phone number, chat id, session token).
        now: The current time.
        timezone: The deployment's time zone, the new contact's default.
        initial_state: The state a new conversation starts in.

    Returns:
        The conversation.
    """
    stored = find_address(session, channel, address)
    if stored is None:
        contact = Contact(created_at=now, timezone=timezone)
        session.add(contact)
        session.flush()
        stored = ChannelAddress(
            contact_id=contact.id,
            channel=channel,
            address_index=blind_index(address),
            address=address,
            created_at=now,
        )
        session.add(stored)
        session.flush()
    conversation = session.scalars(
        select(Conversation).where(Conversation.address_id == stored.id)
    ).one_or_none()
    if conversation is None:
        conversation = Conversation(
            contact_id=stored.contact_id,
            address_id=stored.id,
            channel=channel,
            state=initial_state,
            scratch={},
            misunderstood=0,
            created_at=now,
            updated_at=now,
        )
        session.add(conversation)
        session.flush()
    return conversation


def new_case(session: Session, conversation: Conversation, language: str, now: datetime) -> Case:
    """Start a draft case for the conversation, with a fresh unique reference."""
    reference = new_reference()
    while session.scalar(select(Case.id).where(Case.reference == reference)) is not None:
        reference = new_reference()
    case = Case(
        reference=reference,
        contact_id=conversation.contact_id,
        status="draft",
        created_at=now,
        channel=conversation.channel,
        language=language,
        centre=conversation.centre,
        anonymous=True,
        online=False,
        repeat_victim=False,
        followup_consent=False,
    )
    session.add(case)
    session.flush()
    conversation.case_id = case.id
    audit(session, SYSTEM, "case.created", "case", case.id, now)
    return case


def discard_draft(session: Session, case: Case, now: datetime) -> None:
    """Delete a draft the person chose to start again from (unless an officer needs it)."""
    has_handoff = session.scalar(select(func.count()).where(Handoff.case_id == case.id))
    if case.status != "draft" or has_handoff:
        return
    # The privacy consent is the person's, not the draft's: without this, the cascade
    # deletes it and the next draft rests on no recorded consent.
    session.execute(
        update(Consent)
        .where(Consent.case_id == case.id, Consent.purpose == "privacy")
        .values(case_id=None)
    )
    session.delete(case)
    audit(session, SYSTEM, "case.discarded", "case", case.id, now)


def record_consent(
    session: Session,
    *,
    case: Case | None,
    contact_id: int,
    purpose: str,
    wording_version: str,
    wording: str,
    language: str,
    answer: bool,
    channel: str,
    now: datetime,
    service: str | None = None,
    named: bool = False,
) -> Consent:
    """Record one consent answer exactly as asked."""
    consent = Consent(
        case_id=case.id if case else None,
        contact_id=contact_id,
        purpose=purpose,
        service=service,
        wording_version=wording_version,
        wording=wording,
        language=language,
        answer=answer,
        named=named,
        channel=channel,
        at=now,
    )
    session.add(consent)
    session.flush()
    audit(
        session,
        SYSTEM,
        f"consent.{purpose}",
        "consent",
        consent.id,
        now,
        # Codes only: the service would tell the strand (it is sealed on the consent row).
        {"answer": answer},
    )
    # Every consent answer links to the lawful basis it was asked under.
    lawful_basis.record_consent(session, consent, now)
    return consent


def has_inbound(session: Session, channel: str, external_id: str) -> bool:
    """Whether a message with this provider id is stored (still kept) on ``channel``."""
    found = session.scalar(
        select(Message.id).where(Message.channel == channel, Message.external_id == external_id)
    )
    return found is not None


def open_handoff_of(session: Session, conversation_id: int) -> Handoff | None:
    """The conversation's handoff that is not closed yet (open or claimed), if any."""
    return session.scalars(
        select(Handoff).where(
            Handoff.conversation_id == conversation_id, Handoff.status != "closed"
        )
    ).first()


def open_handoff(
    session: Session,
    conversation: Conversation,
    case: Case | None,
    reason: str,
    urgent: bool,
    now: datetime,
) -> Handoff:
    """Hand the conversation to officers, or raise the urgency of an open handoff.

    One conversation has at most one handoff that is not closed: a second trigger
    (danger after asking for a person) makes the open one urgent instead of queuing twice.
    """
    existing = open_handoff_of(session, conversation.id)
    if existing is not None:
        if urgent and not existing.urgent:
            existing.urgent = True
            audit(
                session,
                SYSTEM,
                "handoff.escalated",
                "handoff",
                existing.id,
                now,
                {"reason": reason},
            )
        if existing.case_id is None and case is not None:
            existing.case_id = case.id
        return existing
    handoff = Handoff(
        case_id=case.id if case else None,
        conversation_id=conversation.id,
        reason=reason,
        urgent=urgent,
        status="open",
        created_at=now,
    )
    session.add(handoff)
    session.flush()
    audit(
        session,
        SYSTEM,
        "handoff.opened",
        "handoff",
        handoff.id,
        now,
        {"reason": reason, "urgent": urgent},
    )
    return handoff


def earlier_reports(session: Session, contact_id: int, exclude_case_id: int) -> int:
    """How many submitted reports the same person made before."""
    return (
        session.scalar(
            select(func.count()).where(
                Case.contact_id == contact_id,
                Case.status == "submitted",
                Case.id != exclude_case_id,
            )
        )
        or 0
    )


def cancel_followups(session: Session, contact_id: int, outcome: str, now: datetime) -> int:
    """Cancel every pending check-in for a person; returns how many."""
    result = session.execute(
        update(FollowUp)
        .where(FollowUp.contact_id == contact_id, FollowUp.state == "pending")
        .values(state="cancelled", outcome=outcome, done_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def cancel_pending_messages(session: Session, conversation_id: int) -> None:
    """Cancel unsent outbound messages (after STOP nothing more may go out)."""
    session.execute(
        update(Message)
        .where(Message.conversation_id == conversation_id, Message.delivery == "pending")
        .values(delivery="cancelled")
    )


def forget_unreported_words(session: Session, conversation: Conversation) -> None:
    """Empty what the person wrote in this conversation that no report of theirs holds.

    For someone who chose not to go on at the privacy question: they are told nothing
    about what happened was saved, and some start telling it before they answer. The
    rows stay, emptied: the Telegram quick exit deletes their messages from the chat
    by the ids kept on them.
    """
    latest = session.scalar(
        select(func.max(Case.created_at)).where(Case.contact_id == conversation.contact_id)
    )
    words = update(Message).where(
        Message.conversation_id == conversation.id, Message.direction == "in"
    )
    if latest is not None:
        words = words.where(Message.created_at > latest)
    session.execute(words.values(text=""))


def add_to_account(session: Session, case: Case, text: str, now: datetime) -> None:
    """Add words written after the report to its account, audited (the event, not the words)."""
    case.what_happened = f"{case.what_happened or ''}\n{text}".strip()
    audit(session, SYSTEM, "case.added_to", "case", case.id, now)


def audit_values(
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The column values of an audit event, for batches written with one bulk ``INSERT``."""
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "details": details,
    }


def audit(
    session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | None,
    now: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Append to the audit log (ids and codes only, never personal data)."""
    session.add(AuditEvent(**audit_values(actor, action, subject_type, subject_id, now, details)))
