"""Patterns across different victims: the same place, area or offender, within a window.

When a report is submitted, :func:`record_case` stores keyed hashes of the traits that
can link it to other people's reports:

- ``area``: the postcode's outward code ("M1"), already on the case;
- ``place``: the full postcode when one was given, else the place as written
  (normalised: case, punctuation and spacing do not matter);
- ``account``: online handles named in the account or the place ("@name", profile
  links), which is how a described online offender is recognised;
- ``vehicle``: UK registration plates named in the account.

The worker then calls :func:`scan`: when reports from at least two *different* people
share a trait within the window (and, for a whole area, at least
``pattern_area_min`` reports), an officer alert is opened or extended. Alerts name
case references only (:func:`open_alerts`), never the shared trait or anything a
victim said, so no victim is exposed to another, and the hashes cannot be read back.

For the officer console: :class:`followup.models.PatternAlert` (table
``pattern_alerts``) with its cases in ``pattern_alert_cases``; read them with
:func:`open_alerts` and close one with :func:`dismiss`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases import store
from cases.models import Case
from cases.sealed import Keyring, blind_index
from followup.models import PatternAlert, PatternAlertCase, PatternKey
from nlu.entities import find_postcode

logger = logging.getLogger(__name__)

AREA: Final = "area"
PLACE: Final = "place"
ACCOUNT: Final = "account"
VEHICLE: Final = "vehicle"
KINDS: Final = (AREA, PLACE, ACCOUNT, VEHICLE)
#: Reports from different people sharing a place, account or vehicle that make an alert.
SHARED_TRAIT_MIN: Final = 2
OPEN: Final = "open"
DISMISSED: Final = "dismissed"

_HANDLE: Final = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.]{1,29})")
_PROFILE: Final = re.compile(
    r"(?:https?://)?(?:www\.)?(?:twitter|x|instagram|tiktok|facebook|youtube|threads|snapchat)"
    r"\.(?:com|net)/@?([A-Za-z0-9_.]{2,30})",
    re.IGNORECASE,
)
_PLATE: Final = re.compile(r"\b([A-Z]{2}[0-9]{2})\s?([A-Z]{3})\b")
#: A place written with fewer letters than this is too vague to match on ("home").
_MIN_PLACE_CHARS: Final = 6


def _normalise_place(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


def case_traits(case: Case) -> set[tuple[str, str]]:
    """The matchable traits of a case, as ``(kind, normalised value)`` pairs."""
    traits: set[tuple[str, str]] = set()
    if case.area:
        traits.add((AREA, case.area.upper()))
    if case.location:
        postcode = find_postcode(case.location)
        place = postcode or _normalise_place(case.location)
        if len(place.replace(" ", "")) >= _MIN_PLACE_CHARS or postcode:
            traits.add((PLACE, place))
    texts = [t for t in (case.what_happened, case.location, case.platform) if t]
    for text in texts:
        for match in _HANDLE.finditer(text):
            traits.add((ACCOUNT, match.group(1).rstrip(".").casefold()))
        for match in _PROFILE.finditer(text):
            traits.add((ACCOUNT, match.group(1).rstrip(".").casefold()))
    if case.what_happened:
        for match in _PLATE.finditer(case.what_happened.upper()):
            traits.add((VEHICLE, match.group(1) + match.group(2)))
    return traits


def trait_key(kind: str, value: str, keyring: Keyring | None = None) -> str:
    """The keyed hash a trait is stored and matched by.

    Args:
        kind: area, place, account or vehicle.
        value: The normalised value (from :func:`case_traits`).
        keyring: The ring whose index key to use; the installed one by default
            (``tellsafe keys retire`` recomputes the keys under the retired ring).

    Returns:
        The hex digest.
    """
    text = f"pattern:{kind}:{value}"
    return blind_index(text) if keyring is None else keyring.index(text)


def record_case(session: Session, case: Case, now: datetime) -> int:
    """Store the keyed traits of a submitted case for :func:`scan`; returns how many."""
    traits = case_traits(case)
    session.add_all(
        PatternKey(
            case_id=case.id,
            contact_id=case.contact_id,
            kind=kind,
            key_index=trait_key(kind, value),
            created_at=now,
        )
        for kind, value in sorted(traits)
    )
    return len(traits)


def scan(
    session: Session, now: datetime, window_days: int, area_min: int, limit: int | None = None
) -> list[int]:
    """Compare newly recorded traits with other people's; open or extend alerts.

    Args:
        session: The open session.
        now: The current time.
        window_days: Reports further apart than this are not a pattern.
        area_min: Reports in one postcode area that make an area alert.
        limit: Look at no more than this many new traits (the worker scans in short
            passes so people's messages are not kept waiting behind a long one).

    Returns:
        Ids of the alerts opened or extended.
    """
    query = select(PatternKey).where(PatternKey.evaluated_at.is_(None)).order_by(PatternKey.id)
    fresh = session.scalars(query if limit is None else query.limit(limit)).all()
    # New traits that are the same trait (a busy area, one bus route) share one set of
    # matches: compare each distinct trait once, not once per report.
    traits: dict[tuple[str, str], None] = {}
    for key in fresh:
        key.evaluated_at = now
        traits[(key.kind, key.key_index)] = None
    touched: list[int] = []
    since = now - timedelta(days=window_days)
    for kind, key_index in traits:
        matches = session.execute(
            select(PatternKey.case_id, PatternKey.contact_id).where(
                PatternKey.kind == kind,
                PatternKey.key_index == key_index,
                PatternKey.created_at >= since,
            )
        ).all()
        people = {contact for _case, contact in matches if contact is not None}
        cases = {case_id for case_id, _contact in matches}
        needed = area_min if kind == AREA else SHARED_TRAIT_MIN
        if len(people) < 2 or len(cases) < needed:
            continue
        alert_id = _raise(session, kind, key_index, cases, now)
        if alert_id is not None and alert_id not in touched:
            touched.append(alert_id)
    if touched:
        logger.info("pattern alerts opened or extended: %s", len(touched))
    return touched


def unscanned(session: Session) -> bool:
    """Whether any recorded trait waits to be compared."""
    return (
        session.scalar(select(PatternKey.id).where(PatternKey.evaluated_at.is_(None)).limit(1))
        is not None
    )


def _raise(
    session: Session, kind: str, key_index: str, cases: Iterable[int], now: datetime
) -> int | None:
    alert = session.scalars(
        select(PatternAlert).where(
            PatternAlert.status == OPEN,
            PatternAlert.kind == kind,
            PatternAlert.key_index == key_index,
        )
    ).first()
    created = alert is None
    if alert is None:
        alert = PatternAlert(
            kind=kind,
            key_index=key_index,
            status=OPEN,
            created_at=now,
            updated_at=now,
            case_count=0,
        )
        session.add(alert)
        session.flush()
    known = set(
        session.scalars(
            select(PatternAlertCase.case_id).where(PatternAlertCase.alert_id == alert.id)
        ).all()
    )
    new = sorted(set(cases) - known)
    if not new:
        return None
    session.add_all(PatternAlertCase(alert_id=alert.id, case_id=case_id) for case_id in new)
    alert.case_count = len(known) + len(new)
    alert.updated_at = now
    store.audit(
        session,
        store.SYSTEM,
        "pattern.opened" if created else "pattern.extended",
        "pattern_alert",
        alert.id,
        now,
        {"kind": kind, "cases": alert.case_count},
    )
    return alert.id


@dataclass(frozen=True)
class AlertView:
    """An alert as officers see it: what kind of link, and which cases.

    Attributes:
        id: The alert id.
        kind: area, place, account or vehicle.
        references: The case references, oldest first.
        created_at: When it was opened.
        updated_at: When a case was last added.
    """

    id: int
    kind: str
    references: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


def open_alerts(session: Session) -> list[AlertView]:
    """Every open alert, newest activity first, naming case references only."""
    alerts = session.scalars(
        select(PatternAlert)
        .where(PatternAlert.status == OPEN)
        .order_by(PatternAlert.updated_at.desc(), PatternAlert.id.desc())
    ).all()
    views = []
    for alert in alerts:
        references = session.scalars(
            select(Case.reference)
            .join(PatternAlertCase, PatternAlertCase.case_id == Case.id)
            .where(PatternAlertCase.alert_id == alert.id)
            .order_by(Case.id)
        ).all()
        views.append(
            AlertView(alert.id, alert.kind, tuple(references), alert.created_at, alert.updated_at)
        )
    return views


def dismiss(session: Session, alert_id: int, actor: str, now: datetime) -> bool:
    """Close an alert an officer has dealt with (audited); returns whether it was open."""
    result = session.execute(
        update(PatternAlert)
        .where(PatternAlert.id == alert_id, PatternAlert.status == OPEN)
        .values(status=DISMISSED, updated_at=now)
    )
    done = bool(getattr(result, "rowcount", 0))
    if done:
        store.audit(session, actor, "pattern.dismissed", "pattern_alert", alert_id, now)
    return done
