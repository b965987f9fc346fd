"""Going back to the question before ("back", "wróć", "назад"), through the real service."""

from __future__ import annotations

import pytest

from bot import states
from bot.runtime import Runtime
from tests.auxil.person import Person
from tests.bot.test_engine import HAPPY_PATH, speaking, walk_to


def test_back_asks_the_question_before_and_its_new_answer_counts(runtime: Runtime) -> None:
    # A wrong number pressed at "did this happen to you?" could not be put right:
    # "back" was read as "carry on", and the witness stayed a victim.
    person = Person(runtime)
    walk_to(person, states.OFFENDER_KNOWN)
    reply = person.say("back")[0]
    assert reply.text.startswith("OK, let us go back to the question before.")
    assert "Did this happen to you, or are you telling us about someone else?" in reply.text
    assert person.state() == states.ROLE
    person.say("2")  # I saw it happen
    assert person.state() == states.OFFENDER_KNOWN
    assert person.case().reporter_role == "witness"


def test_back_goes_back_step_by_step_along_the_questions_asked(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_HARM)
    for expected in (states.STRANDS_CONFIRM, states.WHY, states.OFFENDER_KNOWN):
        person.say("go back")
        assert person.state() == expected
    # Answered again, the questions go on from there as before.
    for state, answer in HAPPY_PATH:
        if state in (states.OFFENDER_KNOWN, states.WHY, states.STRANDS_CONFIRM):
            person.say(answer)
    assert person.state() == states.RISK_HARM
    assert person.case().motivations == ["religion"]


def test_back_skips_a_question_the_answers_did_not_ask(runtime: Runtime) -> None:
    # Online, "where?" is followed by the platform question; offline it is not asked,
    # so back from the role question is "where?".
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.say("back")
    assert person.state() == states.WHERE


@pytest.mark.parametrize(
    ("language", "word", "preface"),
    [
        ("pl", "wróć", "Dobrze, wróćmy do poprzedniego pytania."),
        ("pl", "cofnij", "Dobrze, wróćmy do poprzedniego pytania."),
        ("lt", "atgal", "Gerai, grįžkime prie ankstesnio klausimo."),
        ("uk", "назад", "Добре, повернімося до попереднього питання."),
        ("ro", "înapoi", "Bine, să ne întoarcem la întrebarea anterioară."),
        ("cy", "yn ôl", "Iawn, gadewch i ni fynd yn ôl at y cwestiwn blaenorol."),
        ("ar", "رجوع", "حسنًا، لنرجع إلى السؤال السابق."),
        ("zh", "返回", "好的，我们回到上一个问题。"),
    ],
)
def test_back_in_the_persons_language(
    runtime: Runtime, language: str, word: str, preface: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_OFFENDER)
    speaking(person, language)
    assert person.say(word)[0].text.startswith(preface)
    assert person.state() == states.RISK_HARM


def test_go_back_told_in_an_account_is_the_account(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("a man told me to go back to my country")
    assert person.state() == states.WHEN
    assert person.case().what_happened == "a man told me to go back to my country"


def test_a_bare_back_at_a_question_in_own_words_goes_back(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("back")
    assert person.state() == states.WHEN


@pytest.mark.parametrize("state", [states.ANONYMITY, states.REFERRAL, states.POLICE])
def test_back_where_there_is_no_question_to_go_back_to(runtime: Runtime, state: str) -> None:
    # Before the first question of the report is the privacy notice; after the risk
    # assessment a consent is changed by withdrawing it.
    person = Person(runtime)
    walk_to(person, state)
    reply = person.say("back")[0]
    assert reply.text.startswith("Sorry, I cannot go back from here.")
    assert person.state() == state


def test_back_after_a_pause_carries_on(runtime: Runtime) -> None:
    # "Welcome back. Would you like to carry on?" - "back" is "I'm back".
    person = Person(runtime)
    walk_to(person, states.WHEN)
    person.say("exit")
    assert person.state() == states.PAUSED
    person.say("hi")
    person.say("back")
    assert person.state() == states.WHEN
