"""Check-ins end to end through the real service: reminders, cancelling, new incidents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import states
from bot.runtime import Runtime
from cases.export import case_records
from cases.models import AuditEvent, Case, Consent, Contact, FollowUp, Handoff
from followup.schedule import CHECKIN
from tests.auxil.person import Person
from tests.conftest import START
from tests.followup.conftest import Answers, report

OPENER = "Hello, is now a good time for a quick chat?"
REMINDER = "Hello again. Is now a good time for a quick chat?"


def _followups(runtime: Runtime) -> list[FollowUp]:
    with runtime.sessions() as session:
        return list(session.scalars(select(FollowUp).order_by(FollowUp.id)))


def _at_the_support_question(runtime: Runtime) -> Person:
    """A person who reported and, at their first check-in, is asked about support now."""
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    person.say("yes")
    person.say("Not great")
    person.say("no, nothing happened")
    assert person.state() == states.CHECKIN_SUPPORT
    return person


def _in_evening(person: Person) -> None:
    for reply in person.received:
        if reply.kind == "followup":
            assert reply.text.splitlines()[0] in (OPENER, REMINDER)


def test_no_answer_gets_one_reminder_in_safe_hours_then_stops(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    arrived = person.wait(timedelta(days=2, hours=12))
    assert [r.text.splitlines()[0] for r in arrived] == [OPENER]
    assert arrived[0].choices == ["Yes", "Not now", "No more check-ins"]
    # Silence: one reminder a day later, at the start of the evening window.
    reminded = person.wait(timedelta(days=1))
    assert [r.text.splitlines()[0] for r in reminded] == [REMINDER]
    assert runtime.clock.now().hour >= 17
    # Still silence: nothing more, ever (the week and month check-ins are cancelled).
    assert person.wait(timedelta(days=40)) == []
    rows = _followups(runtime)
    checkins = [row for row in rows if row.kind == CHECKIN]
    assert checkins[0].state == "sent"
    assert checkins[0].outcome == "no_answer"
    assert {row.outcome for row in checkins[1:]} == {"no_answer"}
    assert {row.state for row in checkins[1:]} == {"cancelled"}
    with runtime.sessions() as session:
        recorded = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "followup.no_answer")
        )
    assert recorded == 1
    assert person.state() == states.CLOSED


def test_an_answer_cancels_the_reminder_and_the_next_checkin_comes(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    assert person.say("yes")[0].text.endswith("How are you feeling now?")
    person.say("Better, thank you")
    person.say("no")  # nothing else happened
    person.say("no")  # no support now
    thanks = person.say("4")
    assert thanks[0].text.startswith("Thank you for letting us know")
    later = person.wait(timedelta(days=5))
    assert [r.text.splitlines()[0] for r in later] == [OPENER]  # the 7-day one, no reminder
    first = next(row for row in _followups(runtime) if row.kind == CHECKIN)
    assert first.satisfaction == 4
    assert first.outcome == "completed"


def test_stop_cancels_every_checkin(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    person.say("STOP")
    assert person.wait(timedelta(days=60)) == []
    assert {row.outcome for row in _followups(runtime)} == {"stop"}


def test_withdrawing_follow_up_consent_in_words(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    told = person.say("withdraw consent")
    assert "we will not check in with you again" in told[0].text
    assert person.wait(timedelta(days=60)) == []
    with runtime.sessions() as session:
        consent = session.scalars(select(Consent).where(Consent.purpose == "followup")).one()
        case = session.scalars(select(Case)).one()
        assert consent.withdrawn_at is not None
        assert case.followup_consent is False
    assert {row.outcome for row in _followups(runtime)} == {"withdrawn"}


def test_withdrawing_in_polish_is_answered_in_polish(runtime: Runtime) -> None:
    person = Person(runtime, address="+447700900777")
    report(person)
    with runtime.sessions.begin() as session:
        from cases.models import Contact

        contact = session.scalars(select(Contact)).one()
        contact.language = "pl"
    told = person.say("wycofuję zgodę")
    assert "nie będziemy się już odzywać" in told[0].text


def test_no_more_checkins_is_an_option_of_the_checkin(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    told = person.say("3")
    assert told[0].text.startswith("Done: we will not check in with you again")
    assert person.state() == states.CLOSED
    assert person.wait(timedelta(days=60)) == []


def test_an_open_handoff_holds_checkins(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    person.say("I want to talk to a person")
    assert person.wait(timedelta(days=3)) == []
    first = _followups(runtime)[0]
    assert (first.state, first.outcome) == ("skipped", "handoff_open")


def test_a_question_after_close_left_unanswered_does_not_hold_checkins(
    runtime: Runtime,
) -> None:
    # A stray word after the reference number asks "add it to your report, or a new
    # one?". Left unanswered, it kept the conversation busy: every check-in was
    # postponed three times, then dropped, and nobody was told.
    person = Person(runtime)
    report(person)
    asked = person.say("he had a red jacket")[0]
    assert asked.choices == ["Add it to my report", "Make a new report", "Talk to a person"]
    arrived = person.wait(timedelta(days=2, hours=12))
    assert [r.text.splitlines()[0] for r in arrived] == [OPENER]
    assert person.state() == states.CHECKIN_TIME
    first = _followups(runtime)[0]
    assert first.state == "sent"
    # What they wrote is kept with the report, not lost with the question.
    assert person.case().what_happened.endswith("\nhe had a red jacket")


def test_a_question_after_close_answered_today_still_holds_the_checkin(
    runtime: Runtime,
) -> None:
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=1, hours=23))
    person.say("he had a red jacket")
    assert person.state() == states.ADD_OR_NEW
    assert person.wait(timedelta(hours=12)) == []  # the check-in waits, not interrupts


def test_a_new_incident_at_a_checkin_is_a_linked_repeat(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    first = person.case()
    person.wait(timedelta(days=2, hours=12))
    person.say("yes")
    person.say("Not great")
    told = person.say("yes")  # something else happened
    assert "new report, linked to your first one" in told[0].text
    report(person, Answers(account="The same man shouted at me again at the bus stop"))
    second = person.case()
    assert second.id != first.id
    assert second.linked_case_id == first.id
    assert second.repeat_victim is True
    assert second.repeat_count == 1
    records = {r["reference"]: r for r in case_records_list(runtime)}
    assert records[second.reference]["linked_cases"] == [first.reference]
    assert records[first.reference]["linked_cases"] == [second.reference]
    assert records[second.reference]["repeat_count"] == 1


@pytest.mark.parametrize(
    "answer", ["no, everything is fine", "nothing happened", "all good", "no, I'm fine"]
)
def test_all_is_well_at_a_checkin_is_no_new_incident(runtime: Runtime, answer: str) -> None:
    # "No, everything is fine" once started a new report: "fine" read as a yes.
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    person.say("yes")
    person.say("Better, thank you")
    person.say(answer)
    assert person.state() == states.CHECKIN_SUPPORT
    assert "Would you like a support officer to contact you?" in person.last().text


def case_records_list(runtime: Runtime) -> list[dict[str, object]]:
    with runtime.sessions() as session:
        return list(case_records(session))


def test_a_second_report_from_the_same_address_is_a_repeat(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    first = person.case()
    assert first.repeat_victim is False
    assert first.repeat_count == 0
    report(person, first="Something else happened to me today")
    second = person.case()
    assert second.repeat_victim is True
    assert second.repeat_count == 1
    assert second.linked_case_id == first.id
    # History counts as previous victimisation even though they answered "No".
    assert "previous_incident" in (second.risk_reasons or [])
    assert "repeat_report" in (second.risk_reasons or [])


def test_a_repeat_that_escalates_goes_to_an_officer(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    report(
        person,
        Answers(harm="Yes, someone was attacked or hurt", impact="A lot"),
        first="He came back and hit me",
    )
    case = person.case()
    assert case.risk == "high"
    with runtime.sessions() as session:
        handoff = session.scalars(select(Handoff).where(Handoff.case_id == case.id)).one()
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.risk_reassessed")
        ).one()
    assert (handoff.reason, handoff.urgent) == ("repeat_escalation", True)
    assert audit.details == {"level": "high", "earlier": 1, "escalation": "risk_rose"}
    assert runtime.clock.now() >= START


@pytest.mark.parametrize("asked", ["who is this?", "what is this about?"])
def test_who_is_asking_at_the_opener_is_answered_neutrally(runtime: Runtime, asked: str) -> None:
    # Whoever holds the phone may be the one asking: the answer names no report, no
    # support and no officer, and the opener is asked again.
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    assert person.state() == states.CHECKIN_TIME
    reply = person.say(asked)[0].text
    assert reply.startswith("This message is for the person who asked us to stay in touch.")
    for word in ("report", "support", "officer", "hate", "police"):
        assert word not in reply.lower()
    assert person.state() == states.CHECKIN_TIME


def test_later_at_the_opener_and_help_wanted_in_words(runtime: Runtime) -> None:
    # "Later" once got "Sorry" at the neutral opener, and "that would help" the HELP text.
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    assert "another day" in person.say("can you message me later")[0].text
    for _ in range(40):  # to the next check-in, a week after the report
        if person.state() == states.CHECKIN_TIME:
            break
        person.wait(timedelta(hours=6))
    person.say("go ahead")
    person.say("Not great")
    person.say("no, nothing happened")
    told = person.say("that would help")[0].text
    # Told, not only asked how happy they are: the yes once went unanswered.
    assert told.startswith("I have asked a support officer to contact you as soon as possible.")
    with runtime.sessions() as session:
        reasons = session.scalars(select(Handoff.reason)).all()
    assert "checkin_support" in reasons


@pytest.mark.parametrize("answer", ["I want support now", "I need help", "can someone call me"])
def test_asking_for_support_at_the_checkin_opens_a_handoff(runtime: Runtime, answer: str) -> None:
    # "I want support now" was read as a no, and "I need help" got the help text.
    person = _at_the_support_question(runtime)
    told = person.say(answer)[0].text
    assert told.startswith("I have asked a support officer to contact you as soon as possible.")
    assert person.state() == states.CHECKIN_SATISFACTION
    with runtime.sessions() as session:
        reasons = session.scalars(select(Handoff.reason)).all()
    assert reasons.count("checkin_support") == 1


def test_not_sure_past_the_opener_is_reassured_not_a_miss(runtime: Runtime) -> None:
    # "Would you like support now?" has no "not sure": it got "Sorry, I did not
    # understand", counted towards handing the person over.
    person = _at_the_support_question(runtime)
    reply = person.say("I don't know")[0].text
    assert "That is all right. Please choose the answer closest" in reply
    assert person.state() == states.CHECKIN_SUPPORT
    assert person.conversation().misunderstood == 0


@pytest.mark.parametrize("answer", ["wrong number", "sorry you've got the wrong number"])
def test_a_wrong_number_ends_the_check_ins_and_tells_an_officer(
    runtime: Runtime, answer: str
) -> None:
    # "Wrong number" got "Sorry, I did not understand" and the check-in again.
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    reply = person.say(answer)[0].text
    assert reply == "Sorry to have bothered you. We will not message this number again."
    assert person.state() == states.CLOSED
    assert person.wait(timedelta(days=40)) == []
    assert {row.state for row in _followups(runtime) if row.kind == CHECKIN} == {
        "sent",
        "cancelled",
    }
    with runtime.sessions() as session:
        reasons = list(session.scalars(select(Handoff.reason)))
        # Not the person's withdrawal: their consent stands.
        withdrawn = session.scalars(
            select(Consent.withdrawn_at).where(Consent.purpose == "followup")
        )
        assert list(withdrawn) == [None]
    assert reasons == ["wrong_number"]


@pytest.mark.parametrize("answer", ["he's here", "not safe"])
def test_someone_there_is_not_now(runtime: Runtime, answer: str) -> None:
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    assert person.say(answer)[0].text == "That is fine. We will try another day."


@pytest.mark.parametrize(
    ("at", "told"),
    [
        # To the opener: once "Sorry, I did not understand".
        ((), "It happened again, he spat at me at the bus stop"),
        # To "has anything else happened?": once asked what happened, as if untold.
        (("yes", "Not great"), "yes, he came back and shouted at me in the street"),
    ],
)
def test_a_new_incident_told_at_a_checkin_is_its_account(
    runtime: Runtime, at: tuple[str, ...], told: str
) -> None:
    person = Person(runtime)
    report(person)
    first = person.case()
    person.wait(timedelta(days=2, hours=12))
    for answer in at:
        person.say(answer)
    replies = person.say(told)
    assert "new report, linked to your first one" in replies[0].text
    assert person.state() == states.WHEN
    second = person.case()
    assert second.linked_case_id == first.id
    assert second.repeat_victim is True
    assert second.what_happened == told


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "still scared"),
        ("en", "bit better thanks"),
        # about the first incident, not a new one
        ("en", "I'm still scared because of what happened on the bus"),
        ("es", "estoy bien, gracias"),
        ("zh", "还是害怕"),
    ],
)
def test_how_they_are_told_to_the_opener_is_its_answer(
    runtime: Runtime, language: str, answer: str
) -> None:
    # Once "Sorry, I did not understand" and the opener again.
    person = Person(runtime)
    report(person)
    first = person.case()
    person.wait(timedelta(days=2, hours=12))
    with runtime.sessions.begin() as session:
        session.get(Contact, first.contact_id).language = language
    person.say(answer)
    assert person.state() == states.CHECKIN_AGAIN
    assert person.case().id == first.id


def test_at_work_is_not_now(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    assert person.say("I'm at work")[0].text == "That is fine. We will try another day."


@pytest.mark.parametrize(
    ("language", "answer", "satisfaction"),
    [
        ("en", "very happy", 5),
        ("en", "really helpful thank you", 5),
        ("en", "it was ok", 3),
        ("en", "not very happy", 2),
        ("en", "not helpful at all", 1),
        ("es", "muy bien", 5),
        ("es", "no muy bien", 2),
        ("zh", "不是很好", 2),
        ("en", "4", 4),
    ],
)
def test_satisfaction_in_words(
    runtime: Runtime, language: str, answer: str, satisfaction: int
) -> None:
    # The options were the numbers alone ("1 1, 2 2" by text), and words got "Sorry".
    person = Person(runtime)
    report(person)
    person.wait(timedelta(days=2, hours=12))
    for said in ("yes", "better", "no", "no"):
        person.say(said)
    asked = person.last()
    assert asked.choices == [
        "Not at all happy",
        "Not very happy",
        "It is OK",
        "Happy",
        "Very happy",
    ]
    with runtime.sessions.begin() as session:
        session.get(Contact, person.case().contact_id).language = language
    person.say(answer)
    assert person.state() == states.CLOSED
    first = next(row for row in _followups(runtime) if row.kind == CHECKIN)
    assert first.satisfaction == satisfaction
