"""Risk management: the plan agreed for a case, and officers' reviews of its risk level.

The bot's assessment (:mod:`cases.risk`) gives a level and reasons; a supervisor then
endorses it or changes it with a reason, and officers record the management plan: the
actions agreed, who carries each out, and when it is reviewed. Both are kept as
history (a plan is replaced by a newer one, never edited in place) and audited. The
free text is sealed; the audit log holds ids and codes only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from sqlalchemy import Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from cases import store
from cases.codes import RISK_LEVELS
from cases.models import Base, Case, UTCDateTime
from cases.sealed import SealedText

ENDORSED: Final = "endorsed"
CHANGED: Final = "changed"


class RiskReview(Base):
    """A supervisor's endorsement or change of a case's risk level."""

    __tablename__ = "risk_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    #: endorsed or changed
    decision: Mapped[str] = mapped_column(String(16))
    level_before: Mapped[str | None] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(SealedText())


class RiskPlan(Base):
    """A recorded risk management plan; the newest one for a case is current."""

    __tablename__ = "risk_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    #: The actions agreed (free text, one per line).
    actions: Mapped[str] = mapped_column(SealedText())
    #: Who carries them out (officer, partner agency, the person).
    owners: Mapped[str] = mapped_column(SealedText())
    review_on: Mapped[date] = mapped_column(Date())


def review_risk(
    session: Session, case: Case, level: str, reason: str, actor: str, now: datetime
) -> RiskReview:
    """Endorse the case's risk level (same level) or change it, with a reason.

    Args:
        session: An open transaction.
        case: The case.
        level: The level the reviewer settles on (low, medium, high).
        reason: Why, in the reviewer's words (required).
        actor: Who reviews (``officer:<id>``).
        now: The current time.

    Returns:
        The review recorded.

    Raises:
        ValueError: For an unknown level or an empty reason.
    """
    if level not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {level!r}")
    reason = reason.strip()
    if not reason:
        raise ValueError("a risk review needs a reason")
    decision = ENDORSED if level == case.risk else CHANGED
    review = RiskReview(
        case_id=case.id,
        at=now,
        actor=actor,
        decision=decision,
        level_before=case.risk,
        level=level,
        reason=reason,
    )
    session.add(review)
    session.flush()
    store.audit(
        session,
        actor,
        f"risk.{decision}",
        "case",
        case.id,
        now,
        {"from": case.risk, "to": level, "review": review.id},
    )
    case.risk = level
    return review


def record_plan(
    session: Session,
    case: Case,
    *,
    actions: str,
    owners: str,
    review_on: date,
    actor: str,
    now: datetime,
) -> RiskPlan:
    """Record the management plan for a case (it replaces the previous one).

    Raises:
        ValueError: When the actions or who carries them out are missing, or the review
            date is in the past.
    """
    actions, owners = actions.strip(), owners.strip()
    if not actions or not owners:
        raise ValueError("a plan needs the actions agreed and who carries them out")
    if review_on < now.date():
        raise ValueError("the review date is in the past")
    plan = RiskPlan(
        case_id=case.id, at=now, actor=actor, actions=actions, owners=owners, review_on=review_on
    )
    session.add(plan)
    session.flush()
    store.audit(session, actor, "risk.plan_recorded", "case", case.id, now, {"plan": plan.id})
    return plan


def reviews(session: Session, case_id: int) -> list[RiskReview]:
    """Every review of the case's risk, oldest first."""
    return list(
        session.scalars(
            select(RiskReview).where(RiskReview.case_id == case_id).order_by(RiskReview.id)
        )
    )


def plans(session: Session, case_id: int) -> list[RiskPlan]:
    """Every plan recorded for the case, newest (the current one) first."""
    return list(
        session.scalars(
            select(RiskPlan).where(RiskPlan.case_id == case_id).order_by(RiskPlan.id.desc())
        )
    )


def endorsed(session: Session, case: Case) -> RiskReview | None:
    """The latest review, when it still stands (the level has not moved since)."""
    latest = session.scalars(
        select(RiskReview).where(RiskReview.case_id == case.id).order_by(RiskReview.id.desc())
    ).first()
    return latest if latest is not None and latest.level == case.risk else None
