"""Withdrawing consent (check-ins, or passing details on): as easy as giving it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases import store
from cases.models import Case, Consent, FollowUp

FOLLOWUP_PURPOSE = "followup"
REFERRAL_PURPOSE = "referral"
POLICE_PURPOSE = "police"


def _active_consents(session: Session, contact_id: int, purpose: str) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent).where(
                Consent.contact_id == contact_id,
                Consent.purpose == purpose,
                Consent.answer.is_(True),
                Consent.withdrawn_at.is_(None),
            )
        ).all()
    )


def has_followups(session: Session, contact_id: int) -> bool:
    """Whether the person has follow-up consent in force or check-ins waiting."""
    if _active_consents(session, contact_id, FOLLOWUP_PURPOSE):
        return True
    pending = session.scalar(
        select(FollowUp.id)
        .where(FollowUp.contact_id == contact_id, FollowUp.state == "pending")
        .limit(1)
    )
    return pending is not None


def sharing_consents(session: Session, contact_id: int) -> list[Consent]:
    """The person's consents in force to pass their details on: to a service or the police."""
    return [
        *_active_consents(session, contact_id, REFERRAL_PURPOSE),
        *_active_consents(session, contact_id, POLICE_PURPOSE),
    ]


def withdraw_sharing(session: Session, contact_id: int, now: datetime) -> list[Consent]:
    """Withdraw every consent in force to pass the person's details on.

    From now on no referral or police packet can be made from them (officer
    casework refuses a withdrawn consent). A service that already has the details is
    told by an officer, who learns of the withdrawal from the person's handoff.

    Returns:
        The consents withdrawn.
    """
    withdrawn = sharing_consents(session, contact_id)
    for consent in withdrawn:
        consent.withdrawn_at = now
    if withdrawn:
        store.audit(
            session,
            store.SYSTEM,
            "consent.sharing_withdrawn",
            "contact",
            contact_id,
            now,
            # How many, not to whom: the service would tell the strand.
            {"withdrawn": len(withdrawn)},
        )
    return withdrawn


def withdraw_followups(session: Session, contact_id: int, now: datetime) -> int:
    """Withdraw follow-up consent: cancel every pending check-in and mark the consent.

    The consent rows keep what was asked and answered; ``withdrawn_at`` records the
    withdrawal, and the person's cases no longer show follow-up consent.

    Args:
        session: The open session.
        contact_id: The person.
        now: The time of the withdrawal.

    Returns:
        How many pending check-ins were cancelled.
    """
    cancelled = store.cancel_followups(session, contact_id, "withdrawn", now)
    for consent in _active_consents(session, contact_id, FOLLOWUP_PURPOSE):
        consent.withdrawn_at = now
    session.execute(
        update(Case)
        .where(Case.contact_id == contact_id, Case.followup_consent.is_(True))
        .values(followup_consent=False)
    )
    store.audit(
        session,
        store.SYSTEM,
        "consent.followup_withdrawn",
        "contact",
        contact_id,
        now,
        {"cancelled": cancelled},
    )
    return cancelled
