"""The consent trail: every consent, withdrawal and use of special category data, with its basis.

Each record in ``data_uses`` points at a ``lawful_bases`` row naming the purpose, the
UK GDPR Article 6 basis, the Article 9 condition and, where Article 9 needs one, the
DPA 2018 Schedule 1 condition, under a policy version. The bases are declared here in
:data:`BASES` (reviewed with the force's data protection officer; a change of wording is
a new :data:`POLICY_VERSION`) and written to the table with every migration, so a record
always links to the exact basis in force when it was made.

What is recorded:

- every consent answer (given or refused) and every withdrawal;
- every use of special category data beyond the report itself: a referral the person
  agreed to, an officer export, a subject access export. Recording the report itself
  (strands, religion, the account) is covered by the privacy consent's basis.

Records hold ids and codes only, never the data itself.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship

from cases.models import Base, Case, Consent, UTCDateTime

#: Bump when any basis below changes; old records keep pointing at the old rows.
POLICY_VERSION: Final = "2026.1"

# What happened, in the ``event`` column.
CONSENT_GIVEN: Final = "consent_given"
CONSENT_REFUSED: Final = "consent_refused"
CONSENT_WITHDRAWN: Final = "consent_withdrawn"
SPECIAL_CATEGORY_USE: Final = "special_category_use"

# Categories of special category (or otherwise sensitive) data a use touches.
STRANDS: Final = "strands"
RELIGION: Final = "religion"
FREE_TEXT: Final = "free_text"
CONTACT_DETAILS: Final = "contact_details"
ALL_CATEGORIES: Final = (STRANDS, RELIGION, FREE_TEXT, CONTACT_DETAILS)

# Activities (``activity`` column) that use special category data.
INTAKE: Final = "intake"
REFERRAL: Final = "referral"
POLICE: Final = "police"
FOLLOWUP: Final = "followup"
EXPORT: Final = "export"
SUBJECT_ACCESS: Final = "subject_access"
ERASURE: Final = "erasure"


@dataclass(frozen=True)
class Basis:
    """One lawful basis as declared in policy.

    Attributes:
        code: Stable name of the purpose (``report_intake``, ``referral``...).
        purpose: What the processing is for, in plain words.
        article6: The UK GDPR Article 6(1) basis.
        article9: The UK GDPR Article 9(2) condition for special category data.
        schedule1: The DPA 2018 Schedule 1 condition Article 9 needs, or None when
            the Article 9 condition needs none (explicit consent).
    """

    code: str
    purpose: str
    article6: str
    article9: str
    schedule1: str | None


#: The bases in force (policy version :data:`POLICY_VERSION`), by code.
BASES: Final[dict[str, Basis]] = {
    basis.code: basis
    for basis in (
        Basis(
            "report_intake",
            "Taking and keeping a report of a hate crime or hate incident",
            "Art. 6(1)(e) public task",
            "Art. 9(2)(g) substantial public interest",
            "DPA 2018 Sch. 1 Part 2 para. 10 (preventing or detecting unlawful acts)",
        ),
        Basis(
            "referral",
            "Passing the report to a support service the person chose",
            "Art. 6(1)(a) consent",
            "Art. 9(2)(a) explicit consent",
            None,
        ),
        Basis(
            "police",
            "Reporting to the police, named or anonymously, as the person chose",
            "Art. 6(1)(a) consent",
            "Art. 9(2)(a) explicit consent",
            None,
        ),
        Basis(
            "followup",
            "Checking in with the person after the report",
            "Art. 6(1)(a) consent",
            "Art. 9(2)(a) explicit consent",
            None,
        ),
        Basis(
            "officer_export",
            "Officers' case export for victim support and safeguarding",
            "Art. 6(1)(e) public task",
            "Art. 9(2)(g) substantial public interest",
            "DPA 2018 Sch. 1 Part 2 para. 10 (preventing or detecting unlawful acts)",
        ),
        Basis(
            "subject_access",
            "Answering the person's right of access (UK GDPR Art. 15)",
            "Art. 6(1)(c) legal obligation",
            "Art. 9(2)(g) substantial public interest",
            "DPA 2018 Sch. 1 Part 2 para. 6 (statutory purposes)",
        ),
        Basis(
            "erasure",
            "Erasing the person's data on request (UK GDPR Art. 17)",
            "Art. 6(1)(c) legal obligation",
            "Art. 9(2)(g) substantial public interest",
            "DPA 2018 Sch. 1 Part 2 para. 6 (statutory purposes)",
        ),
    )
}

#: The basis each consent purpose (``consents.purpose``) is recorded under.
CONSENT_BASES: Final = {
    "privacy": "report_intake",
    "referral": "referral",
    "police": "police",
    "followup": "followup",
}


class LawfulBasis(Base):
    """A lawful basis as it stood in one policy version."""

    __tablename__ = "lawful_bases"
    __table_args__ = (UniqueConstraint("code", "policy_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    policy_version: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(200))
    article6: Mapped[str] = mapped_column(String(100))
    article9: Mapped[str] = mapped_column(String(100))
    schedule1: Mapped[str | None] = mapped_column(String(200))


class DataUse(Base):
    """One consent event or use of special category data, and the basis it rests on."""

    __tablename__ = "data_uses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    basis_id: Mapped[int] = mapped_column(ForeignKey("lawful_bases.id"))
    basis: Mapped[LawfulBasis] = relationship()
    #: consent_given, consent_refused, consent_withdrawn or special_category_use.
    event: Mapped[str] = mapped_column(String(32))
    #: What the data was used for (intake, referral, export, subject_access...).
    activity: Mapped[str] = mapped_column(String(32))
    #: Which kinds of sensitive data were involved (codes, never values).
    categories: Mapped[list[str]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="CASCADE"))


def seed_bases(connection: Connection) -> None:
    """Write every basis of the current policy version that is not stored yet.

    Run with each migration (:func:`cases.db.upgrade`), before any process serves: bases
    written on first use instead raced between processes recording their first
    consents at once, and one of them failed on the unique key.

    Args:
        connection: A connection in the migration's transaction.
    """
    stored = set(
        connection.scalars(
            select(LawfulBasis.code).where(LawfulBasis.policy_version == POLICY_VERSION)
        )
    )
    missing = [
        {
            "code": basis.code,
            "policy_version": POLICY_VERSION,
            "purpose": basis.purpose,
            "article6": basis.article6,
            "article9": basis.article9,
            "schedule1": basis.schedule1,
        }
        for basis in BASES.values()
        if basis.code not in stored
    ]
    if missing:
        connection.execute(insert(LawfulBasis), missing)


#: Basis ids by engine: the rows are written by the migration and never change, and
#: looking one up cost a query on every consent (a fifth of a consent turn's time).
_BASIS_IDS: Final[weakref.WeakKeyDictionary[Engine, dict[str, int]]] = weakref.WeakKeyDictionary()


def basis_id(session: Session, code: str) -> int:
    """Return the id of the stored basis ``code`` of the current policy.

    Args:
        session: The open session.
        code: A key of :data:`BASES`.

    Returns:
        The row's id.

    Raises:
        KeyError: For a code that is not declared.
        LookupError: When the database was not migrated with :func:`cases.db.upgrade`,
            which writes the bases.
    """
    if code not in BASES:
        raise KeyError(code)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    known = _BASIS_IDS.setdefault(engine, {})
    if code not in known:
        # no_autoflush: this also runs inside an attribute event, where a flush must not happen.
        with session.no_autoflush:
            found = session.scalar(
                select(LawfulBasis.id).where(
                    LawfulBasis.code == code, LawfulBasis.policy_version == POLICY_VERSION
                )
            )
        if found is None:
            raise LookupError(f"lawful basis {code!r} is not stored: migrate the database")
        known[code] = found
    return known[code]


def record_use(
    session: Session,
    *,
    basis: str,
    event: str,
    activity: str,
    categories: tuple[str, ...] | list[str],
    now: datetime,
    actor: str = "system",
    contact_id: int | None = None,
    case_id: int | None = None,
    consent_id: int | None = None,
) -> DataUse:
    """Record one consent event or use of special category data.

    Args:
        session: The open session (the record commits with the use it describes).
        basis: The code of the basis in :data:`BASES`.
        event: One of the event constants.
        activity: What the data was used for.
        categories: Which kinds of sensitive data were involved.
        now: When.
        actor: Who (``system``, or an officer's name as the CLI was given it).
        contact_id: The person, if known.
        case_id: The case, if any.
        consent_id: The consent, for consent events.

    Returns:
        The record.
    """
    use = DataUse(
        at=now,
        basis_id=basis_id(session, basis),
        event=event,
        activity=activity,
        categories=sorted(set(categories)),
        actor=actor[:64],
        contact_id=contact_id,
        case_id=case_id,
        consent_id=consent_id,
    )
    session.add(use)
    return use


def record_consent(session: Session, consent: Consent, now: datetime) -> None:
    """Link a consent answer to its basis; a yes to a referral is also a use of the data.

    Args:
        session: The open session.
        consent: The consent just recorded (flushed, so it has an id).
        now: When it was given.
    """
    basis = CONSENT_BASES.get(consent.purpose, "report_intake")
    record_use(
        session,
        basis=basis,
        event=CONSENT_GIVEN if consent.answer else CONSENT_REFUSED,
        activity=consent.purpose,
        categories=_consent_categories(consent),
        now=now,
        contact_id=consent.contact_id,
        case_id=consent.case_id,
        consent_id=consent.id,
    )
    if consent.answer and consent.purpose in (REFERRAL, POLICE):
        # The report (strands, religion, the account) goes to the service or the
        # police on the strength of this consent: that is a use of the data.
        record_use(
            session,
            basis=basis,
            event=SPECIAL_CATEGORY_USE,
            activity=consent.purpose,
            categories=_consent_categories(consent),
            now=now,
            contact_id=consent.contact_id,
            case_id=consent.case_id,
            consent_id=consent.id,
        )


def _consent_categories(consent: Consent) -> list[str]:
    if consent.purpose == FOLLOWUP:
        return [CONTACT_DETAILS]
    categories = [STRANDS, RELIGION, FREE_TEXT]
    if consent.named:
        categories.append(CONTACT_DETAILS)
    return categories


@event.listens_for(Consent.withdrawn_at, "set")
def _on_withdrawal(target: Consent, value: Any, oldvalue: Any, _initiator: Any) -> None:
    """Record every withdrawal, whichever code path sets ``withdrawn_at``.

    A listener rather than a function to call, so that the officer console, the
    follow-up dialogue and anything added later cannot withdraw a consent without
    the trail showing it.
    """
    if not isinstance(value, datetime) or isinstance(oldvalue, datetime):
        return
    session = object_session(target)
    if session is None or target.id is None:
        return
    with session.no_autoflush:
        record_use(
            session,
            basis=CONSENT_BASES.get(target.purpose, "report_intake"),
            event=CONSENT_WITHDRAWN,
            activity=target.purpose,
            categories=_consent_categories(target),
            now=value,
            contact_id=target.contact_id,
            case_id=target.case_id,
            consent_id=target.id,
        )


def record_export(session: Session, now: datetime, actor: str) -> int:
    """Record an officer export of every case that still belongs to a person.

    Anonymous statistical records are not personal data and need no record.

    Args:
        session: The open transaction.
        now: When the export was made.
        actor: Who made it.

    Returns:
        How many uses were recorded.
    """
    rows = session.execute(
        select(Case.id, Case.contact_id).where(Case.contact_id.is_not(None)).order_by(Case.id)
    ).all()
    for case_id, contact_id in rows:
        record_use(
            session,
            basis="officer_export",
            event=SPECIAL_CATEGORY_USE,
            activity=EXPORT,
            categories=(STRANDS, RELIGION, FREE_TEXT),
            now=now,
            actor=actor,
            contact_id=contact_id,
            case_id=case_id,
        )
    return len(rows)
