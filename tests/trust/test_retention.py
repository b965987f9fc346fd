"""Retention: drafts, closed cases, transcripts and dormant people purged on schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import states
from bot.cli import main
from bot.runtime import Runtime
from cases.models import AuditEvent, Case, Contact, FollowUp, Message
from cases.retention import RetentionPolicy, months_before, run_retention
from tests.auxil.person import Person
from tests.trust.conftest import report

POLICY = RetentionPolicy(cases_months=12, transcripts_days=90, drafts_days=30)


def _count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_retention_purges_on_schedule_and_audits_counts(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    closed = Person(runtime)
    report(closed)
    draft = Person(runtime, address="+447700900222")
    report(draft, until=states.WHEN)
    assert _count(runtime, Case) == 2
    with runtime.sessions.begin() as session:  # the check-ins have happened
        for row in session.scalars(select(FollowUp)):
            row.state = "sent"

    nothing = run_retention(runtime.sessions, POLICY, runtime.clock.now())
    assert nothing.as_dict() == dict.fromkeys(nothing.as_dict(), 0)

    later = runtime.clock.now() + timedelta(days=31)
    first = run_retention(runtime.sessions, POLICY, later)
    assert first.drafts_deleted == 1
    assert first.cases_anonymised == 0
    assert draft.state() == states.NEW  # the conversation starts afresh

    much_later = runtime.clock.now() + timedelta(days=400)
    second = run_retention(runtime.sessions, POLICY, much_later)
    assert second.cases_anonymised == 1
    assert second.messages_deleted > 20
    assert second.contacts_deleted == 2  # no report left, nothing for 90 days
    assert _count(runtime, Message) == 0
    assert _count(runtime, Contact) == 0
    with runtime.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.contact_id is None
        assert case.what_happened is None
        assert case.motivations == ["religion"]
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.run")
        ).all()
        assert len(audits) == 3
        assert audits[-1].details == second.as_dict()  # counts only


def test_open_handoffs_and_pending_checkins_hold_a_case(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    report(person)
    person.say("I need to talk to a person")
    later = trust_runtime.clock.now() + timedelta(days=800)
    result = run_retention(trust_runtime.sessions, POLICY, later)
    assert result.cases_anonymised == 0
    assert person.case().what_happened is not None


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    moment = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert months_before(moment, 15) == datetime(2024, 12, 31, 12, tzinfo=UTC)


def test_cli_runs_with_the_configured_policy(
    trust_runtime: Runtime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELLSAFE_KEYS", trust_runtime.settings.keys or "")
    monkeypatch.setenv("TELLSAFE_RETAIN_DRAFTS_DAYS", "0")
    report(Person(trust_runtime), until=states.WHEN)
    url = trust_runtime.database.url.render_as_string(hide_password=False)
    assert main(["retention", "run", "--db", url]) == 0
    assert '"drafts_deleted": 1' in capsys.readouterr().out
