"""Linking a person's chats by a one-time code; patterns across different people."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.runtime import Runtime
from cases.models import Case, ChannelAddress
from followup import patterns
from followup.models import PatternAlert, PatternKey
from tests.auxil.person import Person
from tests.followup.conftest import Answers, report

CODE = re.compile(r"Your link code is (\d{4} \d{4})\.")


def _code(person: Person) -> str:
    found = CODE.search(person.last().text)
    assert found is not None, person.last().text
    return found.group(1)


def test_a_code_links_sms_and_telegram_and_reports_count_together(runtime: Runtime) -> None:
    sms = Person(runtime)
    report(sms)
    first = sms.case()
    sms.say("LINK")
    code = _code(sms)
    telegram = Person(runtime, address="5550001", channel="telegram")
    told = telegram.say(code)
    assert told[0].text.startswith("Done: this chat is now linked to your other one")
    assert telegram.contact().id == sms.contact().id
    # A report on Telegram is the same person's second: a repeat, linked to the first.
    report(telegram, first="Something else happened to me")
    second = telegram.case()
    assert (second.repeat_victim, second.repeat_count, second.linked_case_id) == (
        True,
        1,
        first.id,
    )
    with runtime.sessions() as session:
        addresses = session.scalars(select(ChannelAddress.contact_id)).all()
    assert set(addresses) == {sms.contact().id}
    # The code worked once only.
    other = Person(runtime, address="5550002", channel="telegram")
    sms.say("LINK")
    assert other.say(code)[0].text.startswith("That code did not work")


def test_codes_expire_and_guessing_is_cut_off(runtime: Runtime) -> None:
    sms = Person(runtime)
    report(sms)
    sms.say("link")
    code = _code(sms)
    clock = runtime.clock
    assert isinstance(clock, ManualClock)
    clock.set(clock.now() + timedelta(minutes=16))
    late = Person(runtime, address="5550003", channel="telegram")
    late.say(code)  # no code is live: just a first message, nothing linked
    assert late.contact().id != sms.contact().id
    sms.say("link")
    assert (
        Person(runtime, address="5550005", channel="telegram")
        .say(code)[0]
        .text.startswith("That code did not work")
    )
    fresh = _code(sms)
    guesser = Person(runtime, address="5550004", channel="telegram")
    for guess in range(5):
        guesser.say(f"{guess:04d} {guess:04d}")
    # Even the right code is refused now: the address is out of tries for a day.
    assert guesser.say(fresh)[0].text.startswith("That code did not work")
    assert guesser.contact().id != sms.contact().id


def test_linking_is_offered_in_the_persons_language(runtime: Runtime) -> None:
    person = Person(runtime, address="+447700900555")
    report(person)
    with runtime.sessions.begin() as session:
        from cases.models import Contact

        session.scalars(select(Contact)).one().language = "pl"
    person.say("połącz")
    assert "Twój kod łączenia to" in person.last().text


def test_reports_from_different_people_at_one_place_raise_one_alert(runtime: Runtime) -> None:
    account = "Someone called @hatefulbob sent me abuse on the bus"
    people = [Person(runtime, address=f"+44770090{n:04d}") for n in range(3)]
    for person in people:
        report(person, Answers(account=account))
    # The same person reporting twice is not a pattern across victims.
    with runtime.sessions.begin() as session:
        opened = patterns.scan(session, runtime.clock.now(), window_days=28, area_min=3)
    assert len(opened) == 3  # area NG1, place NG1 5AA, account @hatefulbob
    with runtime.sessions() as session:
        views = patterns.open_alerts(session)
        references = session.scalars(select(Case.reference).order_by(Case.id)).all()
        kinds = {view.kind for view in views}
        assert kinds == {"area", "place", "account"}
        assert all(view.references == tuple(references) for view in views)
        # Nothing readable: the traits are keyed hashes.
        keys = session.scalars(select(PatternKey.key_index)).all()
        assert not any("NG1" in key or "hatefulbob" in key for key in keys)
    # Another report extends the open alert instead of opening a new one.
    fourth = Person(runtime, address="+447700909999")
    report(fourth, Answers(account=account))
    with runtime.sessions.begin() as session:
        patterns.scan(session, runtime.clock.now(), window_days=28, area_min=3)
        alerts = session.scalars(select(PatternAlert)).all()
    assert len(alerts) == 3
    assert {alert.case_count for alert in alerts} == {4}


def test_one_persons_reports_or_old_reports_make_no_pattern(runtime: Runtime) -> None:
    person = Person(runtime)
    report(person)
    report(person, first="It happened again at the same bus")
    other = Person(runtime, address="+447700900321")
    clock = runtime.clock
    assert isinstance(clock, ManualClock)
    clock.set(clock.now() + timedelta(days=60))
    report(other)
    with runtime.sessions.begin() as session:
        assert patterns.scan(session, clock.now(), window_days=28, area_min=2) == []
