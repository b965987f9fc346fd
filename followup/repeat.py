"""Repeat victims: noticing them, re-assessing their risk, and spotting escalation.

A report is a repeat when the same person reported before (on any channel they have
linked), when they say it happened before (the risk question on previous incidents),
or when it is a new incident told at a check-in (linked to the first report). A repeat
is assessed with its history: an earlier report counts as previous victimisation even
when the person did not mention it. It *escalates* when it is worse than the last
report (a higher risk level, or harm going from threats to violence) or when reports
come thick and fast; a repeat that escalates goes to an officer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases import risk, store
from cases.codes import RISK_HIGH, RISK_LOW, RISK_MEDIUM
from cases.models import Case

#: Escalation reason codes (on the audit log and the handoff).
RISK_ROSE: Final = "risk_rose"
HARM_ROSE: Final = "harm_rose"
FREQUENCY: Final = "frequency"
#: The handoff reason for a repeat with escalation.
HANDOFF_REASON: Final = "repeat_escalation"
#: This many earlier reports inside :data:`FREQUENCY_WINDOW` make the next one escalate.
FREQUENCY_COUNT: Final = 2
FREQUENCY_WINDOW: Final = timedelta(days=30)
#: Added to the risk reasons when history, not the answers, shows a repeat.
REPEAT_REPORT_REASON: Final = "repeat_report"

_LEVEL_RANK: Final = {RISK_LOW: 0, RISK_MEDIUM: 1, RISK_HIGH: 2}
_HARM_RANK: Final = {"threatened": 1, "hurt": 2}


@dataclass(frozen=True)
class RepeatResult:
    """The risk of a report assessed with the person's history.

    Attributes:
        level: low, medium or high.
        reasons: Reason codes behind the level.
        repeat: Whether the report is a repeat.
        count: How many earlier reports the same person made.
        linked: Ids of the person's earlier reports, newest first.
        escalation: Why the repeat escalates (:data:`RISK_ROSE`, :data:`HARM_ROSE`,
            :data:`FREQUENCY`), or None.
    """

    level: str
    reasons: tuple[str, ...]
    repeat: bool
    count: int
    linked: tuple[int, ...]
    escalation: str | None


def earlier_cases(session: Session, case: Case) -> list[Case]:
    """The same person's other submitted reports, newest first (and a linked first one)."""
    found: list[Case] = []
    if case.contact_id is not None:
        found = list(
            session.scalars(
                select(Case)
                .where(
                    Case.contact_id == case.contact_id,
                    Case.status == "submitted",
                    Case.id != case.id,
                )
                .order_by(Case.submitted_at.desc(), Case.id.desc())
            ).all()
        )
    if case.linked_case_id is not None and all(c.id != case.linked_case_id for c in found):
        linked = session.get(Case, case.linked_case_id)
        if linked is not None:
            found.append(linked)
    return found


def escalation(
    previous: Case | None,
    level: str,
    answers: Mapping[str, str],
    earlier: Sequence[Case],
    now: datetime,
) -> str | None:
    """Why this repeat is worse than before, if it is.

    Args:
        previous: The person's last report.
        level: This report's assessed level.
        answers: This report's risk answers.
        earlier: All the person's earlier reports.
        now: The time of this report.

    Returns:
        An escalation reason code, or None.
    """
    if previous is None:
        return None
    if _LEVEL_RANK.get(level, 0) > _LEVEL_RANK.get(previous.risk or RISK_LOW, 0):
        return RISK_ROSE
    before = (previous.risk_answers or {}).get(risk.HARM, "")
    if _HARM_RANK.get(answers.get(risk.HARM, ""), 0) > _HARM_RANK.get(before, 0):
        return HARM_ROSE
    recent = [
        c
        for c in earlier
        if c.submitted_at is not None and now - c.submitted_at <= FREQUENCY_WINDOW
    ]
    if len(recent) >= FREQUENCY_COUNT:
        return FREQUENCY
    return None


def assess_report(
    session: Session,
    case: Case,
    answers: Mapping[str, str],
    *,
    danger_reported: bool,
    now: datetime,
) -> RepeatResult:
    """Assess a report's risk with the person's history and record it on the case.

    Sets the case's risk, reasons, repeat flag, repeat count and (when not already set)
    the earlier report it follows. Re-assessments of repeats are audited.

    Args:
        session: The open session.
        case: The report being made (its risk answers already stored).
        answers: The four risk answers.
        danger_reported: Whether the person said they were in danger during the report.
        now: The current time.

    Returns:
        The result, with any escalation.
    """
    earlier = earlier_cases(session, case)
    count = len(earlier)
    effective = dict(answers)
    history_only = count > 0 and not risk.is_repeat(answers)
    if history_only:
        # The history shows what the answer did not: count it as previous victimisation.
        effective[risk.PREVIOUS] = "many" if count >= FREQUENCY_COUNT else "once"
    result = risk.assess(effective, danger_reported=danger_reported)
    reasons = result.reasons + ((REPEAT_REPORT_REASON,) if history_only else ())
    previous = earlier[0] if earlier else None
    repeat = count > 0 or risk.is_repeat(answers) or case.linked_case_id is not None
    why = escalation(previous, result.level, answers, earlier, now)
    case.risk = result.level
    case.risk_reasons = list(reasons)
    case.repeat_victim = repeat
    case.repeat_count = count
    if previous is not None and case.linked_case_id is None:
        case.linked_case_id = previous.id
    if count:
        store.audit(
            session,
            store.SYSTEM,
            "case.risk_reassessed",
            "case",
            case.id,
            now,
            {"level": result.level, "earlier": count, "escalation": why},
        )
    return RepeatResult(
        level=result.level,
        reasons=reasons,
        repeat=repeat,
        count=count,
        linked=tuple(c.id for c in earlier),
        escalation=why,
    )
