"""SQLAlchemy models for everything TellSafe stores.

Sensitive columns are :class:`~cases.sealed.SealedText` / :class:`~cases.sealed.SealedJSON`;
nothing special category is stored in the clear. Times are UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from cases.sealed import SealedJSON, SealedText


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Store UTC, refusing naive times that would be ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass a timezone-aware time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return UTC-aware times whatever the backend gave back."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: The largest row id: ids are INTEGER columns, 32 bits on PostgreSQL. An id or cursor
#: from outside past it is refused or clamped before a query (the query would fail).
MAX_ROW_ID: Final = 2**31 - 1


def id_cursor(value: str | None) -> int:
    """A polling page's "rows after this id" cursor, read from its query string.

    Pages poll with the last id they have. Anything else (absent, not a number, below
    zero) starts from the beginning, and a number past :data:`MAX_ROW_ID` is clamped:
    compared with a 32-bit column on PostgreSQL it would be a database error (a 500).
    """
    try:
        return min(max(int(value or "0"), 0), MAX_ROW_ID)
    except ValueError:
        return 0


class Base(DeclarativeBase):
    """Declarative base for all TellSafe tables."""


class Contact(Base):
    """A person, reached through one or more channel addresses."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    language: Mapped[str | None] = mapped_column(String(8))
    reading: Mapped[str] = mapped_column(String(16), default="standard")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    name: Mapped[str | None] = mapped_column(SealedText())
    #: Safe contact window in minutes after local midnight; follow-ups go only inside it.
    safe_from_minute: Mapped[int] = mapped_column(Integer, default=9 * 60)
    safe_to_minute: Mapped[int] = mapped_column(Integer, default=20 * 60)
    #: The days follow-ups may go, a bit a day from Monday (bit 0) to Sunday (bit 6).
    safe_days: Mapped[int] = mapped_column(Integer, default=0b1111111, server_default="127")
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    addresses: Mapped[list[ChannelAddress]] = relationship(back_populates="contact")


class ChannelAddress(Base):
    """A phone number, Telegram chat or web session through which a contact writes."""

    __tablename__ = "channel_addresses"
    __table_args__ = (UniqueConstraint("channel", "address_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    #: Keyed HMAC of the address: lookups never touch the plaintext.
    address_index: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(SealedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the provider says the address can never be reached (e.g. Twilio 21211).
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contact: Mapped[Contact] = relationship(back_populates="addresses")


class Conversation(Base):
    """The dialogue with one contact on one address, and where it stands."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    address_id: Mapped[int] = mapped_column(
        ForeignKey("channel_addresses.id", ondelete="CASCADE"), unique=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(40))
    #: The state to return to after an interruption (help, language, quick exit).
    resume_state: Mapped[str | None] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    centre: Mapped[str | None] = mapped_column(String(32))
    #: Working memory of the dialogue (proposed strands, pending referrals): sealed,
    #: because it can hold special category data before it reaches the case.
    scratch: Mapped[dict[str, Any] | None] = mapped_column(SealedJSON())
    #: Consecutive answers the bot could not understand, for the misunderstanding handoff.
    misunderstood: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Message(Base):
    """One message in or out. Outbound rows are also the outbox: they carry delivery state.

    Writing the outbound row in the same transaction as the state change that caused it
    means a crash between deciding and sending loses nothing and sends nothing twice.
    """

    __tablename__ = "messages"
    __table_args__ = (
        # The sender's claim walks pending rows oldest first (migration 0010).
        Index("ix_messages_outbox_order", "delivery", "id"),
        UniqueConstraint("channel", "external_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    kind: Mapped[str] = mapped_column(String(16))  # inbound, reply, followup, notice
    channel: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(SealedText())
    choices: Mapped[list[dict[str, str]] | None] = mapped_column(SealedJSON())
    #: Provider id of an inbound message (Twilio MessageSid, Telegram update_id), for
    #: dropping redelivered webhooks; or of an outbound one once the provider accepted it.
    external_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: Outbox state of outbound rows: pending, sent, failed, cancelled. Null for inbound.
    delivery: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(64))
    #: Parts of a split outbound text the provider has accepted, so a retry after a
    #: failure part-way sends only the rest.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The console account that wrote an outbound message (None: the bot wrote it).
    officer_id: Mapped[int | None] = mapped_column(Integer)


class Case(Base):
    """A report of a hate crime or incident, built up during the conversation."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    #: draft while the report is being made, submitted once closed.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    centre: Mapped[str | None] = mapped_column(String(32))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    reporter_role: Mapped[str | None] = mapped_column(String(16))
    what_happened: Mapped[str | None] = mapped_column(SealedText())
    occurred_text: Mapped[str | None] = mapped_column(SealedText())
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    location: Mapped[str | None] = mapped_column(SealedText())
    #: First half of a UK postcode only ("NG1"): enough for area trends, not an address.
    area: Mapped[str | None] = mapped_column(String(8))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    platform: Mapped[str | None] = mapped_column(SealedText())
    offender_known: Mapped[str | None] = mapped_column(String(8))
    victim_words: Mapped[str | None] = mapped_column(SealedText())
    motivations: Mapped[list[str] | None] = mapped_column(SealedJSON())
    religion: Mapped[str | None] = mapped_column(SealedText())
    risk: Mapped[str | None] = mapped_column(String(8))
    risk_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    risk_answers: Mapped[dict[str, str] | None] = mapped_column(SealedJSON())
    repeat_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    #: How many earlier reports the same person made (across linked channels).
    repeat_count: Mapped[int] = mapped_column(Integer, default=0)
    police_report: Mapped[str | None] = mapped_column(String(16))
    followup_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The earlier report this one follows (a new incident told at a check-in).
    linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))

    consents: Mapped[list[Consent]] = relationship(order_by="Consent.id", viewonly=True)
    handoffs: Mapped[list[Handoff]] = relationship(order_by="Handoff.id", viewonly=True)


class Consent(Base):
    """One question of consent, exactly as asked, and the answer."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    #: What it is consent to: privacy, referral, police, followup.
    purpose: Mapped[str] = mapped_column(String(16))
    #: The support service, for referral consents (sealed: a Muslim or LGBT+ service
    #: tells the strand).
    service: Mapped[str | None] = mapped_column(SealedText())
    #: Identifies the exact wording asked: message key and a digest of its source text.
    wording_version: Mapped[str] = mapped_column(String(64))
    #: The question as the person saw it, in their language.
    wording: Mapped[str] = mapped_column(SealedText())
    language: Mapped[str] = mapped_column(String(8))
    answer: Mapped[bool] = mapped_column(Boolean)
    #: Whether the person's details go with it (False: anonymous).
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FollowUp(Base):
    """A scheduled check-in, claimed by one worker with a conditional update."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    address_id: Mapped[int] = mapped_column(ForeignKey("channel_addresses.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # checkin, reminder
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: pending, claimed, sent, cancelled, skipped
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why it was cancelled or skipped (stop, erased, stale, handoff...), never silent.
    outcome: Mapped[str | None] = mapped_column(String(32))
    #: The person's 1-5 satisfaction answer, for the problem profile.
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    #: The check-in a reminder (or its closing "no answer" row) belongs to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id", ondelete="CASCADE"))


class Handoff(Base):
    """A conversation handed to a human hate crime support officer."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_open", "status", "urgent", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: open (waiting), claimed (an officer holds it), closed
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The console account holding (or last holding) the handoff.
    claimed_by: Mapped[int | None] = mapped_column(Integer)
    #: How it ended: handed_back (the bot carries on) or closed.
    outcome: Mapped[str | None] = mapped_column(String(16))


class AuditEvent(Base):
    """Who did what to which record. Holds ids and codes, never personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
