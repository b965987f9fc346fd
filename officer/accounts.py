"""Creating console accounts (``tellsafe officer add``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import store
from officer.auth import PASSWORD_HASHER, Role, hash_password, new_totp_secret
from officer.models import Officer

#: Passphrases rather than passwords: length matters more than symbols (NCSC guidance).
MIN_PASSWORD: Final = 12
_USERNAME: Final = re.compile(r"^[A-Za-z0-9._@-]{2,64}$")
_CENTRE: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class AccountError(ValueError):
    """An account that cannot be created as asked."""


def create_officer(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    now: datetime,
    centre: str | None = None,
    hasher: PasswordHasher = PASSWORD_HASHER,
) -> tuple[Officer, str]:
    """Create a console account.

    Args:
        session: An open transaction.
        username: The login name (letters, digits, ``. _ @ -``).
        role: One of :class:`~officer.auth.Role`.
        password: At least :data:`MIN_PASSWORD` characters.
        now: The current time.
        centre: The reporting centre code; required for centre staff, refused otherwise.
        hasher: The argon2 hasher (tests pass a cheap one).

    Returns:
        The account and its new TOTP secret (shown once, to enrol an authenticator).

    Raises:
        AccountError: When a value is not acceptable or the name is taken.
    """
    if not _USERNAME.match(username):
        raise AccountError("usernames are 2-64 letters, digits or . _ @ -")
    try:
        parsed = Role(role)
    except ValueError as error:
        raise AccountError(f"role must be one of: {', '.join(r.value for r in Role)}") from error
    if parsed == Role.CENTRE_STAFF and not (centre and _CENTRE.match(centre)):
        raise AccountError("centre staff need --centre CODE")
    if parsed != Role.CENTRE_STAFF and centre:
        raise AccountError("only centre staff belong to a centre")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"passwords need at least {MIN_PASSWORD} characters")
    if session.scalar(select(Officer.id).where(Officer.username == username)) is not None:
        raise AccountError("that username is taken")
    secret = new_totp_secret()
    officer = Officer(
        username=username,
        role=parsed.value,
        centre=centre if parsed == Role.CENTRE_STAFF else None,
        password_hash=hash_password(password, hasher),
        totp_secret=secret,
        active=True,
        created_at=now,
    )
    session.add(officer)
    session.flush()
    store.audit(
        session, store.SYSTEM, "officer.created", "officer", officer.id, now, {"role": parsed.value}
    )
    return officer, secret
