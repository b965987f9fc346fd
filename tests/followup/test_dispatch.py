"""Check-ins are sent once each, skipped by written rules, never silently."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases import store
from cases.models import AuditEvent, Case, Contact, Conversation, FollowUp, Message
from followup.dispatch import FollowUpDispatcher
from followup.schedule import HIGH_RISK_SCHEDULE, STANDARD_SCHEDULE, schedule_checkins
from tests.conftest import START, make_settings


def _seed(runtime: Runtime, count: int, risk: str = "low") -> None:
    with runtime.sessions.begin() as session:
        for number in range(count):
            conversation = store.open_conversation(
                session,
                "sms",
                f"+4477009{number:05d}",
                now=START,
                timezone="Europe/London",
                initial_state="closed",
            )
            case = store.new_case(session, conversation, "en", START)
            case.risk = risk
            contact = session.get(Contact, conversation.contact_id)
            assert contact is not None
            schedule_checkins(session, case, contact, conversation.address_id, START)


def test_schedules_follow_the_risk(tmp_path: Path) -> None:
    runtime = build_runtime(make_settings(tmp_path), clock=ManualClock(START))
    _seed(runtime, 1, "high")
    with runtime.sessions() as session:
        days = sorted((row.due_at - START).days for row in session.scalars(select(FollowUp)))
    assert days == list(HIGH_RISK_SCHEDULE)
    assert STANDARD_SCHEDULE == (2, 7, 28)
    runtime.database.dispose()


def test_two_dispatchers_send_each_checkin_once(tmp_path: Path, database_url: str) -> None:
    clock = ManualClock(START)
    runtime = build_runtime(make_settings(tmp_path, database_url), clock=clock)
    _seed(runtime, 30)
    clock.set(START + timedelta(days=2, hours=1))
    other = FollowUpDispatcher(runtime.sessions, runtime.service, clock)
    counts: list[int] = []
    workers = [
        threading.Thread(target=lambda d=d: counts.append(d.run_due()))
        for d in (runtime.followups, other)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(counts) == 30
    with runtime.sessions() as session:
        followups = session.scalar(
            select(func.count()).select_from(Message).where(Message.kind == "followup")
        )
        assert followups == 30
    runtime.database.dispose()


def test_stale_and_opted_out_checkins_are_skipped_with_a_reason(tmp_path: Path) -> None:
    clock = ManualClock(START)
    runtime = build_runtime(make_settings(tmp_path), clock=clock)
    _seed(runtime, 2)
    with runtime.sessions.begin() as session:
        first = session.scalars(select(Contact).order_by(Contact.id)).first()
        assert first is not None
        first.opted_out_at = START
    clock.set(START + timedelta(days=40))  # after a long outage everything is stale
    assert runtime.followups.run_due() == 0
    with runtime.sessions() as session:
        outcomes = {
            (row.contact_id, row.state, row.outcome) for row in session.scalars(select(FollowUp))
        }
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "followup.skipped")
        )
    assert {outcome for _contact, _state, outcome in outcomes} == {"opted_out", "stale"}
    assert {state for _contact, state, _outcome in outcomes} == {"skipped"}
    assert audited == 6
    runtime.database.dispose()


def test_checkins_wait_while_an_officer_has_the_case(tmp_path: Path) -> None:
    clock = ManualClock(START)
    runtime = build_runtime(make_settings(tmp_path), clock=clock)
    _seed(runtime, 1)
    with runtime.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        conversation = session.scalars(select(Conversation)).one()
        store.open_handoff(session, conversation, case, "asked_for_person", False, START)
    clock.set(START + timedelta(days=2, hours=1))
    assert runtime.followups.run_due() == 0
    runtime.database.dispose()
