"""Tables of the follow-up side: link codes, cross-victim patterns, officer notifications.

Everything here holds ids, codes and keyed hashes only. A pattern key is the keyed HMAC
of a normalised place or account name (never the words), so two victims' reports can be
matched without either being readable from this table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cases.models import Base, UTCDateTime


class LinkCode(Base):
    """A one-time code that links a second channel address to a person (on their say-so)."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    #: The address the code was asked for on; the other side must be a different one.
    address_id: Mapped[int] = mapped_column(ForeignKey("channel_addresses.id", ondelete="CASCADE"))
    #: Keyed HMAC of the code: the code itself is never stored.
    code_index: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PatternKey(Base):
    """One matchable trait of a submitted case: its area, place, or a named account."""

    __tablename__ = "pattern_keys"
    __table_args__ = (Index("ix_pattern_keys_lookup", "kind", "key_index", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Whose report it is, so that only reports of *different* people make a pattern.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    #: area, place, account or vehicle.
    kind: Mapped[str] = mapped_column(String(16))
    key_index: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When the worker compared it with other people's reports (None: not yet).
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class PatternAlert(Base):
    """An officer alert: reports from different people share a place or an offender trait.

    The alert names case references only (through :class:`PatternAlertCase`); it never
    says what the shared trait is, so reading it exposes no victim to another.
    """

    __tablename__ = "pattern_alerts"
    __table_args__ = (Index("ix_pattern_alerts_open", "status", "kind", "key_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key_index: Mapped[str] = mapped_column(String(64))
    #: open (officers should look) or dismissed (an officer has dealt with it).
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_count: Mapped[int] = mapped_column(Integer, default=0)


class PatternAlertCase(Base):
    """A case that belongs to a pattern alert."""

    __tablename__ = "pattern_alert_cases"

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("pattern_alerts.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )


class HandoffNotification(Base):
    """One notice to officers about a handoff, through one notifier.

    Level 0 is the first notifier configured; an urgent handoff nobody claims in time
    gets a row at the next level, for the next notifier. Rows are an outbox: claimed
    with a conditional update, retried with backoff, never silently dropped.
    """

    __tablename__ = "handoff_notifications"
    __table_args__ = (
        UniqueConstraint("handoff_id", "level", "urgent"),
        Index("ix_handoff_notifications_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    notifier: Mapped[str] = mapped_column(String(16))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: pending, sending (leased), sent, failed
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(64))
