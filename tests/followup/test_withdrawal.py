"""Withdrawing consent in the person's words: passing details on, the check-ins, or both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import states
from bot.runtime import Runtime
from cases.models import AuditEvent, Consent, Contact, FollowUp, Handoff
from followup.schedule import CHECKIN
from tests.auxil.person import Person
from tests.followup.conftest import Answers, report

SHARED = Answers(referral="yes")
SHARING_WITHDRAWN = "Done: we will not pass your details on to a support service or the police."
CHECKINS_WITHDRAWN = "Done: we will not check in with you again."


def _consents(runtime: Runtime, purpose: str) -> list[Consent]:
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(Consent)
                .where(Consent.purpose == purpose, Consent.answer.is_(True))
                .order_by(Consent.id)
            )
        )


def _pending_checkins(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        rows = session.scalars(select(FollowUp).where(FollowUp.kind == CHECKIN)).all()
    return sum(row.state == "pending" for row in rows)


def _handoff_reasons(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Handoff.reason)))


def _speaks(runtime: Runtime, language: str) -> None:
    with runtime.sessions.begin() as session:
        session.scalars(select(Contact)).one().language = language


def test_both_in_force_and_neither_named_asks_which(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person, SHARED)
    assert _consents(runtime, "referral")
    assert _pending_checkins(runtime) == 3
    asked = person.say("I withdraw my consent")[0]
    assert asked.text == "What would you like us to stop?"
    assert asked.choices == ["Passing on my details", "Check-in messages", "Both"]
    # Nothing is withdrawn before the answer.
    assert all(c.withdrawn_at is None for c in _consents(runtime, "referral"))
    told = person.say("1")[0].text
    assert told.startswith(SHARING_WITHDRAWN)
    assert "tell any service that already has them" in told
    assert all(c.withdrawn_at is not None for c in _consents(runtime, "referral"))
    # The check-ins the person did not name go on, and an officer is told.
    assert _pending_checkins(runtime) == 3
    assert [c.withdrawn_at for c in _consents(runtime, "followup")] == [None]
    assert _handoff_reasons(runtime) == ["withdrawal"]
    with runtime.sessions() as session:
        audited = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "consent.sharing_withdrawn")
        ).all()
    assert len(audited) == 1


def test_both_chosen_withdraws_both(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person, SHARED)
    person.say("withdraw consent")
    told = person.say("both")[0].text
    assert CHECKINS_WITHDRAWN in told
    assert SHARING_WITHDRAWN in told
    assert _pending_checkins(runtime) == 0
    assert all(c.withdrawn_at is not None for c in _consents(runtime, "referral"))
    assert person.wait(timedelta(days=60)) == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "please stop sharing my details"),
        # I no longer want you to pass on my data: once read as more of the report.
        ("pl", "Nie chcę już, żebyście przekazywali moje dane"),
        ("ro", "Nu mai vreau să transmiteți datele mele la nimeni"),
        ("es", "ya no quiero que pasen mis datos a nadie"),
    ],
)
def test_sharing_named_is_withdrawn_at_once_and_the_checkins_stay(
    runtime: Runtime, language: str, said: str
) -> None:
    person = Person(runtime)
    report(person, SHARED)
    _speaks(runtime, language)
    person.say(said)
    assert all(c.withdrawn_at is not None for c in _consents(runtime, "referral"))
    assert _pending_checkins(runtime) == 3
    assert _handoff_reasons(runtime) == ["withdrawal"]


def test_checkins_named_are_withdrawn_and_the_referral_stands(runtime: Runtime) -> None:
    # "wycofuję zgodę" once cancelled every check-in when the referral was meant; the
    # words that name the check-ins withdraw those alone.
    person = Person(runtime)
    report(person, SHARED)
    told = person.say("I don't want check-ins any more")[0].text
    assert told.startswith(CHECKINS_WITHDRAWN)
    assert _pending_checkins(runtime) == 0
    assert all(c.withdrawn_at is None for c in _consents(runtime, "referral"))
    assert _handoff_reasons(runtime) == []


def test_withdrawing_what_was_never_given_says_so(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person, Answers(followup="No"))
    told = person.say("please stop sharing my details")[0].text
    assert told.startswith("You have not agreed to that, so there is nothing to withdraw.")
    assert _handoff_reasons(runtime) == []


def test_a_yes_to_sharing_at_the_referral_question_is_no_withdrawal(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person, until=states.REFERRAL)
    person.say("yes you can share my details")
    consents = _consents(runtime, "referral")
    assert len(consents) == 1
    assert consents[0].withdrawn_at is None
    assert _handoff_reasons(runtime) == []
