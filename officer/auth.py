"""Who may use the console: passwords, second factor, sessions, CSRF and roles.

- Passwords are argon2 hashes (argon2-cffi); the second factor is TOTP (pyotp), each
  code accepted once.
- A session is a random token in a cookie (HttpOnly, SameSite=Strict, Secure when the
  public URL is https); the database keeps only its SHA-256, the times it started and
  was last used, so 15 minutes idle or 12 hours in all ends it, on every server process.
  Time comes from the runtime's clock, so tests move it.
- Every form carries a CSRF token derived from the session token (an HMAC keyed by
  it), checked by :func:`verify_csrf`; the login form, before any session, uses a
  double-submit cookie instead.
- Failed logins are counted per username and per client address in the database, so
  the limit holds across processes.

Routes take the logged-in officer with ``Depends(require_role(Role.OFFICER, ...))``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.runtime import Runtime
from cases.sealed import blind_index
from officer.models import LoginAttempt, Officer, OfficerSession


class Role(StrEnum):
    """What an account may do."""

    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    CENTRE_STAFF = "centre_staff"
    ADMIN = "admin"


#: Roles that work with cases (see and change them). Centre staff and admins never do.
CASE_ROLES: Final = (Role.OFFICER, Role.SUPERVISOR)

SESSION_COOKIE: Final = "tellsafe_officer"
LOGIN_COOKIE: Final = "tellsafe_officer_login"
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
IDLE_TIMEOUT: Final = timedelta(minutes=15)
ABSOLUTE_TIMEOUT: Final = timedelta(hours=12)
#: Failed logins allowed in :data:`LIMIT_WINDOW` for one username, and for one client.
USER_LIMIT: Final = 5
CLIENT_LIMIT: Final = 20
LIMIT_WINDOW: Final = timedelta(minutes=15)
TOTP_ISSUER: Final = "TellSafe"
LOGIN_PATH: Final = "/officer/login"

#: The default hasher (argon2id, argon2-cffi's recommended parameters).
PASSWORD_HASHER: Final = PasswordHasher()
# A hash to verify against for unknown usernames, so a wrong name takes as long as a
# wrong password and does not reveal which names exist.
_DUMMY_HASH: Final = PASSWORD_HASHER.hash(secrets.token_urlsafe(16))


class LoginRequired(Exception):  # noqa: N818 - a signal, not an error
    """Raised by :func:`require_role` when nobody (or an expired session) is logged in."""


def hash_password(password: str, hasher: PasswordHasher = PASSWORD_HASHER) -> str:
    """Return the argon2 hash of ``password``."""
    return hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored argon2 hash."""
    try:
        return PASSWORD_HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(username: str, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app enrols from."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step ``code`` is valid for at ``now`` (one step of drift allowed), or None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _limit_key(kind: str, value: str) -> str:
    return blind_index(f"officer-login:{kind}:{value}")


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt.

    Attributes:
        officer: The officer, when the login succeeded.
        token: The new session token for the cookie, when it succeeded.
        limited: Whether the attempt was refused for too many failures.
    """

    officer: Officer | None = None
    token: str | None = None
    limited: bool = False


def _failures(session: Session, key: str, since: datetime) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                LoginAttempt.key == key,
                LoginAttempt.at >= since,
                LoginAttempt.succeeded.is_(False),
            )
        )
        or 0
    )


def login(
    session: Session, username: str, password: str, code: str, client: str, now: datetime
) -> LoginResult:
    """Check a username, password and TOTP code; start a session when all are right.

    Args:
        session: An open transaction.
        username: The account name typed.
        password: The password typed.
        code: The six-digit code from the authenticator.
        client: The client's address, for the per-client limit.
        now: The current time.

    Returns:
        The result; a refused attempt is recorded against the username and the client.
    """
    user_key = _limit_key("user", username.lower())
    client_key = _limit_key("client", client)
    since = now - LIMIT_WINDOW
    if (
        _failures(session, user_key, since) >= USER_LIMIT
        or _failures(session, client_key, since) >= CLIENT_LIMIT
    ):
        return LoginResult(limited=True)
    officer = session.scalars(select(Officer).where(Officer.username == username)).one_or_none()
    password_ok = check_password(officer.password_hash if officer else _DUMMY_HASH, password)
    step = totp_step(officer.totp_secret, code, now) if officer and password_ok else None
    fresh = step is not None and officer is not None and step > (officer.totp_last_step or -1)
    if officer is None or not officer.active or not password_ok or not fresh:
        session.add(LoginAttempt(key=user_key, at=now, succeeded=False))
        session.add(LoginAttempt(key=client_key, at=now, succeeded=False))
        return LoginResult()
    officer.totp_last_step = step
    session.add(LoginAttempt(key=user_key, at=now, succeeded=True))
    token = secrets.token_urlsafe(32)
    session.add(
        OfficerSession(
            token_hash=_hash_token(token), officer_id=officer.id, created_at=now, last_seen_at=now
        )
    )
    return LoginResult(officer=officer, token=token)


def end_session(session: Session, token: str, now: datetime) -> None:
    """Log out: the session can never be used again."""
    session.execute(
        update(OfficerSession)
        .where(OfficerSession.token_hash == _hash_token(token), OfficerSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def current_officer(session: Session, token: str, now: datetime, touch: bool) -> Officer | None:
    """The officer a session token belongs to, if the session is still alive.

    Args:
        session: An open transaction.
        token: The cookie's token.
        now: The current time.
        touch: Whether this request counts as activity (background polling does not,
            or the idle timeout would never end a session left open).

    Returns:
        The active officer, or None when the session is unknown, ended or timed out.
    """
    found = session.execute(
        select(OfficerSession, Officer)
        .join(Officer, Officer.id == OfficerSession.officer_id)
        .where(OfficerSession.token_hash == _hash_token(token))
    ).one_or_none()
    if found is None:
        return None
    live, officer = found
    if live.ended_at is not None or not officer.active:
        return None
    if now - live.last_seen_at > IDLE_TIMEOUT or now - live.created_at > ABSOLUTE_TIMEOUT:
        live.ended_at = now
        return None
    if touch:
        live.last_seen_at = now
    return officer


def runtime_of(request: Request) -> Runtime:
    """The runtime the application was built with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def require_role(*roles: Role, touch: bool = True) -> Callable[[Request], Officer]:
    """A FastAPI dependency: the logged-in officer, who must hold one of ``roles``.

    Args:
        *roles: The roles allowed; none means any logged-in account.
        touch: Whether the request counts as activity for the idle timeout.

    Returns:
        The dependency. It raises :class:`LoginRequired` (a redirect to the login page,
        or 401 for JSON) when nobody is logged in, and a 403 for a role not allowed.
    """
    allowed = frozenset(roles)

    def dependency(request: Request) -> Officer:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not token:
            raise LoginRequired
        runtime = runtime_of(request)
        with runtime.sessions.begin() as session:
            officer = current_officer(session, token, runtime.clock.now(), touch)
        if officer is None:
            raise LoginRequired
        request.state.officer = officer
        if allowed and Role(officer.role) not in allowed:
            raise HTTPException(status_code=403, detail="Your role may not open this page.")
        return officer

    return dependency


def _session_csrf(token: str) -> str:
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token for forms on this page (for templates).

    With a session cookie it is an HMAC keyed by the session token, so it needs no
    storage and changes with every login (whether the session is alive is for
    :func:`require_role` to say); before login it is the double-submit cookie's value
    (a fresh one is kept on ``request.state.login_csrf`` for the response to set).
    """
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        return _session_csrf(token)
    existing = request.cookies.get(LOGIN_COOKIE) or getattr(request.state, "login_csrf", None)
    if existing:
        return str(existing)
    fresh = secrets.token_urlsafe(32)
    request.state.login_csrf = fresh
    return fresh


async def verify_csrf(request: Request) -> None:
    """A FastAPI dependency for every POST: the form's (or header's) CSRF token must match.

    Raises:
        HTTPException: 403 when the token is missing or wrong.
    """
    given = request.headers.get(CSRF_HEADER, "")
    if not given:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
    token = request.cookies.get(SESSION_COOKIE, "")
    expected = _session_csrf(token) if token else request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise HTTPException(status_code=403, detail="The form has expired. Please try again.")
