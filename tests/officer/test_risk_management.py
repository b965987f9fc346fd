"""Risk reviews and management plans in storage, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.runtime import build_runtime
from cases import risk_management
from cases.models import AuditEvent, Case
from tests.conftest import START, make_settings

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_reviews_and_plans_are_kept_and_audited(tmp_path: Path, database_url: str) -> None:
    runtime = build_runtime(make_settings(tmp_path, database_url), clock=ManualClock(START))
    try:
        with runtime.sessions.begin() as session:
            case = Case(
                reference="TS-TEST-0001",
                created_at=NOW,
                channel="sms",
                language="en",
                risk="medium",
            )
            session.add(case)
            session.flush()
            with pytest.raises(ValueError, match="reason"):
                risk_management.review_risk(session, case, "high", "  ", "officer:1", NOW)
            with pytest.raises(ValueError, match="unknown"):
                risk_management.review_risk(session, case, "severe", "x", "officer:1", NOW)
            first = risk_management.review_risk(session, case, "medium", "Agreed", "officer:1", NOW)
            assert risk_management.endorsed(session, case) is first
            risk_management.review_risk(session, case, "high", "Escalated", "officer:2", NOW)
            assert case.risk == "high"
            with pytest.raises(ValueError, match="past"):
                risk_management.record_plan(
                    session,
                    case,
                    actions="a",
                    owners="b",
                    review_on=date(2026, 11, 19),
                    actor="officer:1",
                    now=NOW,
                )
            risk_management.record_plan(
                session,
                case,
                actions="Door camera",
                owners="PC Jones",
                review_on=date(2026, 12, 1),
                actor="officer:1",
                now=NOW,
            )
            risk_management.record_plan(
                session,
                case,
                actions="Move",
                owners="Housing",
                review_on=date(2026, 12, 8),
                actor="officer:1",
                now=NOW,
            )
            case_id = case.id
        with runtime.sessions() as session:
            reviews = risk_management.reviews(session, case_id)
            assert [(r.decision, r.level_before, r.level, r.reason) for r in reviews] == [
                ("endorsed", "medium", "medium", "Agreed"),
                ("changed", "medium", "high", "Escalated"),
            ]
            stored = session.get(Case, case_id)
            assert stored is not None
            assert risk_management.endorsed(session, stored) is not None  # the change stands
            plans = risk_management.plans(session, case_id)
            assert [(p.actions, p.review_on) for p in plans] == [
                ("Move", date(2026, 12, 8)),
                ("Door camera", date(2026, 12, 1)),
            ]
            actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
            assert actions == [
                "risk.endorsed",
                "risk.changed",
                "risk.plan_recorded",
                "risk.plan_recorded",
            ]
            details = session.scalars(select(AuditEvent.details)).all()
            assert all("Escalated" not in str(d) and "Door" not in str(d) for d in details)
    finally:
        runtime.database.dispose()
