"""Tables of the officer console: accounts, sessions, login attempts, notes, flag changes.

Officer accounts are not special category data, but the second-factor secret is a
credential, so it is sealed like everything sensitive. Session tokens are stored only
as hashes: a copy of the database does not let anyone log in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cases.models import Base, UTCDateTime
from cases.sealed import SealedJSON, SealedText


class Officer(Base):
    """A console account: an officer, a supervisor, reporting-centre staff or an admin.

    Attributes:
        role: One of :class:`officer.auth.Role`.
        centre: The reporting centre code, for centre staff.
        password_hash: The argon2 hash (with its parameters, so they can change).
        totp_secret: The base32 TOTP secret, sealed.
        totp_last_step: The last TOTP time step accepted, so a code is used once.
    """

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    centre: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(SealedText())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OfficerSession(Base):
    """A logged-in browser. The cookie holds the token; only its SHA-256 is kept here."""

    __tablename__ = "officer_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginAttempt(Base):
    """A failed or successful login, for rate limiting across every server process.

    ``key`` is a keyed hash of ``user:<name>`` or ``client:<address>``: client
    addresses are personal data and need not be readable here.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseNote(Base):
    """An officer's note on a case or a conversation (sealed: notes hold personal detail)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(SealedText())


class CaseChange(Base):
    """One field of a case changed by an officer, with the values and the reason (sealed).

    The audit log says who changed which field when; the values themselves (strands,
    for one) are special category data, so they live here, sealed.
    """

    __tablename__ = "case_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    field: Mapped[str] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(SealedJSON(), nullable=True)
    after: Mapped[Any] = mapped_column(SealedJSON(), nullable=True)
    reason: Mapped[str] = mapped_column(SealedText())
