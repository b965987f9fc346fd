"""When it happened, told in the account: read back for a yes instead of asked again."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot import states
from bot.runtime import Runtime
from nlu.dates import UK_ZONE
from tests.auxil.person import Person
from tests.bot.test_engine import HAPPY_PATH, speaking, walk_to

#: Told on Friday 20 November 2026 (tests.conftest.START).
ACCOUNT = "yesterday at 5pm on the 36 bus in Leeds a man called me a p*ki and spat at me"
READ_BACK = "From what you wrote, it happened on 19 November 2026. Is that right?"


def kept(person: Person) -> datetime:
    """When it happened as kept, local time, once the report went on to "where?"."""
    assert person.state() == states.WHERE
    occurred = person.case().occurred_at
    assert occurred is not None
    return occurred.astimezone(UK_ZONE)


def told(person: Person, account: str = ACCOUNT) -> str:
    """Tell the account at "what happened?"; returns the question that follows."""
    walk_to(person, states.WHAT_HAPPENED)
    return person.say(account)[-1].text


def test_the_day_the_account_tells_is_read_back_and_a_yes_keeps_it(runtime: Runtime) -> None:
    # "Yesterday at 5pm on the 36 bus..." was followed by "When did it happen?".
    person = Person(runtime)
    assert told(person).startswith(READ_BACK)
    person.say("yes")
    assert kept(person) == datetime(2026, 11, 19, 17, tzinfo=UK_ZONE)


def test_a_no_asks_when_it_happened(runtime: Runtime) -> None:
    person = Person(runtime)
    told(person)
    asked = person.say("no")[-1].text
    assert asked.startswith("When did it happen?")
    assert person.state() == states.WHEN
    person.say("on Tuesday")
    assert kept(person).date() == datetime(2026, 11, 17).date()


@pytest.mark.parametrize("answer", ["no, it was on Tuesday", "Tuesday"])
def test_another_day_written_instead_is_the_answer(runtime: Runtime, answer: str) -> None:
    person = Person(runtime)
    told(person)
    person.say(answer)
    assert kept(person).date() == datetime(2026, 11, 17).date()
    assert person.case().occurred_text == answer


def test_in_the_persons_language(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    speaking(person, "pl")
    asked = person.say("Wczoraj wieczorem mężczyzna w autobusie krzyczał na mnie")[-1].text
    assert asked.startswith("Z tego, co piszesz, wynika, że to się stało 19 listopada 2026.")
    person.say("tak")
    assert kept(person) == datetime(2026, 11, 19, 19, tzinfo=UK_ZONE)


def test_an_account_told_before_the_report_began_is_read_too(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say(ACCOUNT)  # the first message
    for state, answer in HAPPY_PATH[1:]:
        if state == states.WHAT_HAPPENED:
            break
        person.say(answer)
    assert person.state() == states.WHEN
    assert person.last().text.startswith(READ_BACK)


@pytest.mark.parametrize(
    "account",
    [
        "A man on the bus shouted at me and pulled at my hijab",
        # Only a day to come: what is asked about is when it happened.
        "he shouted at me and said he will be back tomorrow",
    ],
)
def test_an_account_that_tells_no_day_past_gets_the_question(
    runtime: Runtime, account: str
) -> None:
    person = Person(runtime)
    assert told(person, account).startswith("When did it happen?")


def test_back_at_where_asks_when_itself_once_the_day_was_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    told(person)
    person.say("yes")
    asked = person.say("back")[-1].text
    assert person.state() == states.WHEN
    assert asked.startswith("OK, let us go back to the question before.\n\nWhen did it happen?")
