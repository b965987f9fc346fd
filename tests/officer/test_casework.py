"""Cases: search, corrections with reasons, risk review and plan, follow-ups, referrals,
packets. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from cases.models import AuditEvent, Case, Consent, FollowUp
from cases.risk_management import RiskPlan, RiskReview
from officer.auth import Role
from officer.models import CaseChange
from tests.officer.kit import Console, reported


def _case(console: Console, case_id: int) -> Case:
    with console.runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def test_search_and_filter(any_console: Console) -> None:
    console = any_console
    first = reported(console.runtime, "+447700900101", named=False).case()
    console.advance(timedelta(days=3))
    second = reported(console.runtime, "+447700900102", named=True).case()
    with console.runtime.sessions.begin() as session:
        stored = session.get(Case, second.id)
        assert stored is not None
        stored.repeat_victim = True
    client = console.logged_in(console.add("alice", Role.OFFICER))

    def refs(query: str) -> list[str]:
        page = client.get(f"/officer/cases?{query}").text
        return [ref for ref in (first.reference, second.reference) if ref in page]

    assert refs("") == [first.reference, second.reference]
    assert refs(f"reference={first.reference.lower()}") == [first.reference]
    assert refs("strand=religion") == [first.reference, second.reference]
    assert refs("strand=disability") == []
    assert refs(f"risk={first.risk}") == [first.reference, second.reference]
    assert refs("repeat=yes") == [second.reference]
    assert refs("repeat=no") == [first.reference]
    assert refs("centre=LIB-7") == []
    day = second.created_at.date().isoformat()
    assert refs(f"from={day}") == [second.reference]
    assert refs(f"to={first.created_at.date().isoformat()}") == [first.reference]
    assert refs("risk=purple&strand=nonsense") == [first.reference, second.reference]


def test_correct_flags_with_a_reason_audited_and_sealed(any_console: Console) -> None:
    console = any_console
    case = reported(console.runtime, "+447700900111", named=False).case()
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    url = f"/officer/cases/{case.id}"
    without_reason = console.post(
        client, f"{url}/flags", {"motivations": ["religion", "race"], "religion": "muslim"}, url
    )
    assert without_reason.status_code == 409
    done = console.post(
        client,
        f"{url}/flags",
        {
            "motivations": ["religion", "race"],
            "religion": "muslim",
            "online": "yes",
            "repeat_victim": "no",
            "reporter_role": "victim",
            "reason": "She said on the phone he also abused her nationality",
        },
        url,
    )
    assert done.status_code == 303
    changed = _case(console, case.id)
    assert changed.motivations == ["race", "religion"]
    assert changed.online is True
    with console.runtime.sessions() as session:
        changes = session.scalars(select(CaseChange).order_by(CaseChange.id)).all()
        assert [c.field for c in changes] == ["motivations", "online"]
        assert changes[0].after == ["race", "religion"]
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.flag_changed")
        ).all()
        assert [e.details["field"] for e in events if e.details] == ["motivations", "online"]
        assert all(e.actor == f"officer:{alice.id}" for e in events)
    with console.runtime.database.connect() as connection:
        raw = connection.execute(text("SELECT reason, after FROM case_changes")).all()
    assert all("nationality" not in row[0] and "race" not in row[1] for row in raw)
    assert "abused her nationality" in client.get(url).text


def test_supervisor_endorses_or_changes_risk_officer_cannot(any_console: Console) -> None:
    console = any_console
    case = reported(console.runtime, "+447700900121", named=False).case()
    officer = console.logged_in(console.add("alice", Role.OFFICER))
    supervisor_account = console.add("sam", Role.SUPERVISOR)
    supervisor = console.logged_in(supervisor_account)
    url = f"/officer/cases/{case.id}"
    assert "Endorse or change the risk" not in officer.get(url).text
    refused = console.post(officer, f"{url}/risk", {"level": "high", "reason": "x"}, url)
    assert refused.status_code == 403
    level = case.risk
    assert level is not None
    ok = console.post(supervisor, f"{url}/risk", {"level": level, "reason": "Agreed"}, url)
    assert ok.status_code == 303
    assert (
        console.post(supervisor, f"{url}/risk", {"level": "high", "reason": ""}, url).status_code
        == 409
    )
    changed = console.post(
        supervisor, f"{url}/risk", {"level": "high", "reason": "Offender lives next door"}, url
    )
    assert changed.status_code == 303
    assert _case(console, case.id).risk == "high"
    with console.runtime.sessions() as session:
        reviews = session.scalars(select(RiskReview).order_by(RiskReview.id)).all()
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("risk.%"))
        ).all()
    assert [(r.decision, r.level_before, r.level) for r in reviews] == [
        ("endorsed", level, level),
        ("changed", level, "high"),
    ]
    assert actions == ["risk.endorsed", "risk.changed"]
    assert "Endorsed by officer:" in supervisor.get(url).text


def test_management_plan_is_recorded_and_replaced(any_console: Console) -> None:
    console = any_console
    case = reported(console.runtime, "+447700900131", named=False).case()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    url = f"/officer/cases/{case.id}"
    past = (console.clock.now() - timedelta(days=1)).date().isoformat()
    soon = (console.clock.now() + timedelta(days=7)).date().isoformat()
    plan = {"actions": "Fit a door camera", "owners": "PC Jones, Victim Support"}
    assert console.post(client, f"{url}/plan", {**plan, "review_on": past}, url).status_code == 409
    assert console.post(client, f"{url}/plan", {**plan, "review_on": soon}, url).status_code == 303
    newer = {"actions": "Move to safe address", "owners": "Housing", "review_on": soon}
    assert console.post(client, f"{url}/plan", newer, url).status_code == 303
    with console.runtime.sessions() as session:
        plans = session.scalars(select(RiskPlan).order_by(RiskPlan.id)).all()
    assert [p.actions for p in plans] == ["Fit a door camera", "Move to safe address"]
    page = client.get(url).text
    assert "Move to safe address" in page
    assert "1 earlier plan" in page


def test_cancel_follow_ups_and_withdraw_referrals(any_console: Console) -> None:
    console = any_console
    case = reported(console.runtime, "+447700900141", named=False).case()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    url = f"/officer/cases/{case.id}"
    with console.runtime.sessions() as session:
        pending = session.scalars(
            select(FollowUp).where(FollowUp.case_id == case.id, FollowUp.state == "pending")
        ).all()
        referral = session.scalars(
            select(Consent).where(Consent.case_id == case.id, Consent.purpose == "referral")
        ).first()
    assert pending
    assert referral is not None
    target = pending[0]
    assert console.post(client, f"{url}/followups/{target.id}/cancel", page=url).status_code == 303
    assert console.post(client, f"{url}/followups/{target.id}/cancel", page=url).status_code == 409
    assert console.post(client, f"{url}/followups/999999/cancel", page=url).status_code == 409
    assert (
        console.post(client, f"{url}/referrals/{referral.id}/withdraw", page=url).status_code == 303
    )
    packet = client.get(f"{url}/referrals/{referral.id}/packet")
    assert packet.status_code == 409  # withdrawn: no packet
    with console.runtime.sessions() as session:
        cancelled = session.get(FollowUp, target.id)
        withdrawn = session.get(Consent, referral.id)
        assert cancelled is not None
        assert withdrawn is not None
        assert (cancelled.state, cancelled.outcome) == ("cancelled", "officer")
        assert withdrawn.withdrawn_at is not None
        actions = set(session.scalars(select(AuditEvent.action)).all())
    assert {"followup.cancelled", "consent.withdrawn"} <= actions


def test_packets_carry_the_persons_details_only_as_consented(any_console: Console) -> None:
    console = any_console
    anonymous = reported(console.runtime, "+447700900151", named=False).case()
    named = reported(console.runtime, "+447700900152", named=True).case()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    for case, show in ((anonymous, False), (named, True)):
        referral = next(c for c in case.consents if c.purpose == "referral" and c.answer)
        packet = client.get(f"/officer/cases/{case.id}/referrals/{referral.id}/packet")
        police = client.get(f"/officer/cases/{case.id}/police-packet")
        for page in (packet, police):
            assert page.status_code == 200
            assert case.reference in page.text
            assert "pulled at my hijab" in page.text
            assert ("Amina Khan" in page.text) is show
            assert ("+447700900152" in page.text) is show
            assert ("Anonymous" in page.text) is not show
    with console.runtime.sessions() as session:
        kinds = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("case.packet_%"))
        ).all()
    assert sorted(kinds) == ["case.packet_police"] * 2 + ["case.packet_referral"] * 2


def test_no_police_packet_without_the_persons_consent(any_console: Console) -> None:
    console = any_console
    case = reported(console.runtime, "+447700900161", named=False).case()
    with console.runtime.sessions.begin() as session:
        stored = session.get(Case, case.id)
        assert stored is not None
        stored.police_report = "none"
    client = console.logged_in(console.add("alice", Role.OFFICER))
    assert client.get(f"/officer/cases/{case.id}/police-packet").status_code == 409
