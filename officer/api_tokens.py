"""Bearer tokens for the JSON API: created by the CLI, stored hashed, revocable.

A token is 256 random bits shown once when it is made. Only its SHA-256 is stored: a
slow password hash buys nothing for a secret that cannot be guessed, and every API call
checks one. Each token carries scopes, so a force's system gets only the data it needs.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Integer, String, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from cases import store
from cases.models import Base, UTCDateTime

#: Every token starts with this, so a leaked one is easy to recognise in a scan.
PREFIX: Final = "tsk_"

SCOPE_PROFILE: Final = "profile"
SCOPE_CENTRES: Final = "centres"
#: Case summaries: dates, channel, centre, area, risk, outcomes; no special category data.
SCOPE_CASES: Final = "cases"
#: Adds the Home Office flags (strands and the religion sub-flag): special category data.
SCOPE_CASE_FLAGS: Final = "cases:flags"
#: Adds the person's own words (what happened, why, where): special category free text.
SCOPE_CASE_TEXT: Final = "cases:text"
SCOPES: Final = (SCOPE_PROFILE, SCOPE_CENTRES, SCOPE_CASES, SCOPE_CASE_FLAGS, SCOPE_CASE_TEXT)
DEFAULT_SCOPES: Final = (SCOPE_PROFILE, SCOPE_CENTRES, SCOPE_CASES)

#: Record use at most this often, so reading the API does not write on every call.
TOUCH_EVERY: Final = timedelta(minutes=5)
ACTOR: Final = "cli"


class ApiToken(Base):
    """One API client's token.

    Attributes:
        name: Who holds it (a system's name), unique so it can be revoked by name.
        token_hash: SHA-256 of the token, hex.
        scopes: Space-separated scopes, as in OAuth.
        created_at: When it was made.
        last_used_at: Roughly when it was last used (see ``TOUCH_EVERY``).
        revoked_at: When it was revoked; a revoked token never works again.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_set(self) -> frozenset[str]:
        """The token's scopes."""
        return frozenset(self.scopes.split())


class TokenError(ValueError):
    """A token cannot be made or revoked as asked."""


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, name: str, now: datetime, scopes: Iterable[str] = DEFAULT_SCOPES
) -> tuple[ApiToken, str]:
    """Make a token for ``name``.

    Args:
        session: The open session (the caller commits).
        name: The client's name, unique among tokens (revoked ones included, so
            the audit log and old logs stay unambiguous).
        now: The current time.
        scopes: What the token may read; see ``SCOPES``.

    Returns:
        The stored row and the token itself, which is not kept anywhere.

    Raises:
        TokenError: The name is empty, too long or taken, or a scope is unknown.
    """
    name = name.strip()
    if not name or len(name) > 64:
        raise TokenError("a token needs a name of 1 to 64 characters")
    wanted = sorted(set(scopes))
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown or not wanted:
        raise TokenError(f"unknown scopes {unknown}; choose from {', '.join(SCOPES)}")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenError(f"a token named {name!r} exists (names are never reused)")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_hash=digest(token), scopes=" ".join(wanted), created_at=now)
    session.add(row)
    session.flush()
    store.audit(session, ACTOR, "api_token.created", "api_token", row.id, now, {"scopes": wanted})
    return row, token


def authenticate(session: Session, token: str) -> ApiToken | None:
    """Return the live token matching ``token``, or None (unknown or revoked)."""
    if not token.startswith(PREFIX) or len(token) > 128:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    return row


def needs_touch(row: ApiToken, now: datetime) -> bool:
    """Whether the token's last use is old enough to record this one."""
    return row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY


def touch(session: Session, token_id: int, now: datetime) -> None:
    """Record that the token was used (unless another request just did)."""
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOUCH_EVERY),
        )
        .values(last_used_at=now)
    )


def revoke(session: Session, name: str, now: datetime) -> bool:
    """Revoke the token named ``name``; False when there is no live one."""
    row = session.scalars(
        select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        return False
    row.revoked_at = now
    store.audit(session, ACTOR, "api_token.revoked", "api_token", row.id, now)
    return True


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first (revoked ones too: they explain old log lines)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))
