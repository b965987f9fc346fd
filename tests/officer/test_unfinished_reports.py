"""Reports whose authors went silent after the risk questions reach officers.

A person who stopped replying at the referral, police or check-in questions left a
draft no officer saw (with the referrals they had agreed to) until retention deleted
it. The worker submits it after a day of silence, without check-ins or a message, and
the person can still finish it. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot import states
from cases.models import AuditEvent, Case, Consent, Conversation, FollowUp
from followup.models import PatternKey
from followup.worker import FollowUpLoop
from officer.auth import Role
from tests.officer.kit import Console, console_app, reported

#: What the case page says of a report submitted for its silent author.
UNFINISHED = "the person stopped replying after the risk questions"


def _case(console: Console, case_id: int) -> Case:
    with console.runtime.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def _count(console: Console, model: type[FollowUp] | type[PatternKey], case_id: int) -> int:
    with console.runtime.sessions() as session:
        found = session.scalar(
            select(func.count()).select_from(model).where(model.case_id == case_id)
        )
        return int(found or 0)


def _after_silence(console: Console, silence: timedelta) -> None:
    """Let ``silence`` pass, then run the worker's housekeeping."""
    console.advance(silence)
    FollowUpLoop(console.runtime).housekeeping()


def _submissions(console: Console, case_id: int) -> list[dict[str, str] | None]:
    with console.runtime.sessions() as session:
        return list(
            session.scalars(
                select(AuditEvent.details).where(
                    AuditEvent.action == "case.submitted", AuditEvent.subject_id == case_id
                )
            )
        )


def test_silence_at_the_police_question_submits_the_report_after_a_day(
    any_console: Console,
) -> None:
    console = any_console
    person = reported(console.runtime, "+447700900301", named=False, until=states.POLICE)
    draft = person.case()
    assert draft.status == "draft"

    _after_silence(console, timedelta(hours=23, minutes=50))
    assert _case(console, draft.id).status == "draft"

    _after_silence(console, timedelta(minutes=11))  # a day and a minute since the last reply
    case = _case(console, draft.id)
    assert (case.status, case.submitted_at) == ("submitted", console.clock.now())
    assert _submissions(console, case.id) == [{"unfinished_at": states.POLICE}]
    assert _count(console, FollowUp, case.id) == 0  # they never chose when it is safe
    assert person.collect() == []  # and nothing is sent to a phone that went quiet
    with console.runtime.sessions() as session:
        referrals = session.scalars(
            select(Consent.answer).where(Consent.case_id == case.id, Consent.purpose == "referral")
        ).all()
    assert True in referrals
    traits = _count(console, PatternKey, case.id)
    assert traits > 0

    alice = console.add("alice", Role.OFFICER)
    page = console.logged_in(alice).get(f"/officer/cases/{case.id}").text
    assert UNFINISHED in page
    assert "<dt>Police report</dt><dd>not answered</dd>" in page

    # Back two days later, they finish where they were.
    console.advance(timedelta(days=2))
    person.say("2")  # to the police without my name
    assert person.state() == states.FOLLOWUP_CONSENT
    person.say("yes")
    closing = person.say("4")[-1].text
    assert f"Your reference number is {case.reference}" in closing
    finished = _case(console, case.id)
    assert (finished.status, finished.submitted_at) == ("submitted", case.submitted_at)
    assert _count(console, FollowUp, case.id) > 0  # the check-ins they chose
    assert _submissions(console, case.id) == [{"unfinished_at": states.POLICE}]
    assert _count(console, PatternKey, case.id) == traits  # compared once, not twice
    page = console.logged_in(alice).get(f"/officer/cases/{case.id}").text
    assert UNFINISHED not in page
    assert "to be passed to the police without their name" in page


def test_a_report_left_before_the_risk_questions_stays_a_draft(any_console: Console) -> None:
    console = any_console
    person = reported(console.runtime, "+447700900302", named=False, until=states.WHERE)
    _after_silence(console, timedelta(days=3))
    assert person.case().status == "draft"


def test_the_day_counts_from_the_last_reply(any_console: Console) -> None:
    console = any_console
    person = reported(console.runtime, "+447700900303", named=False, until=states.POLICE)
    console.advance(timedelta(hours=20))
    person.say("1")  # not to the police
    assert person.state() == states.FOLLOWUP_CONSENT
    _after_silence(console, timedelta(hours=20))
    assert person.case().status == "draft"
    _after_silence(console, timedelta(hours=5))
    assert person.case().status == "submitted"
    assert _submissions(console, person.case().id) == [{"unfinished_at": states.FOLLOWUP_CONSENT}]


def test_a_quick_exit_at_the_last_questions_is_submitted_after_a_day(
    any_console: Console,
) -> None:
    console = any_console
    person = reported(console.runtime, "+447700900304", named=False, until=states.SAFE_HOURS)
    person.say("exit")
    assert person.state() == states.PAUSED
    _after_silence(console, timedelta(hours=25))
    case = person.case()
    assert case.status == "submitted"
    assert _submissions(console, case.id) == [{"unfinished_at": states.SAFE_HOURS}]
    assert _count(console, FollowUp, case.id) == 0


def test_stop_after_the_worker_submitted_it_gives_the_reference(any_console: Console) -> None:
    console = any_console
    person = reported(console.runtime, "+447700900305", named=False, until=states.POLICE)
    _after_silence(console, timedelta(days=2))
    case = person.case()
    reply = person.say("STOP")[0].text
    assert f"Your reference number is {case.reference}" in reply
    assert "no more messages" in reply
    assert person.state() == states.STOPPED
    assert _submissions(console, case.id) == [{"unfinished_at": states.POLICE}]
    assert _count(console, FollowUp, case.id) == 0


def test_a_report_being_answered_right_now_is_left_for_the_next_pass(
    tmp_path: Path, postgres_database: str
) -> None:
    # Two workers, or a worker and the person's own turn, hold the rows in turn: one a
    # transaction holds is skipped (PostgreSQL's SKIP LOCKED), never waited on or taken.
    with console_app(tmp_path, postgres_database) as console:
        person = reported(console.runtime, "+447700900306", named=False, until=states.POLICE)
        case_id = person.case().id
        console.advance(timedelta(days=2))
        with console.runtime.sessions.begin() as turn:
            turn.execute(
                select(Conversation).where(Conversation.case_id == case_id).with_for_update()
            )
            worker = threading.Thread(target=FollowUpLoop(console.runtime).housekeeping)
            worker.start()
            worker.join(timeout=60)
            assert not worker.is_alive(), "the worker waited for the held row"
        assert _case(console, case_id).status == "draft"
        _after_silence(console, timedelta(minutes=1))
        assert _case(console, case_id).status == "submitted"
