"""The report conversation, state by state, through the real service and NLU."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import prompts, states
from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases import codes
from cases.models import Case, Consent, Contact, FollowUp, Handoff, Message
from content.i18n import available_languages
from content.render import render_text
from content.services import get_service
from followup.schedule import WEEKDAYS, WEEKENDS
from nlu.dates import UK_ZONE
from officer.centres import add_centre
from tests.auxil.person import Person
from tests.conftest import START, make_settings

WHY_YOU = "Why do you think this happened to you?"

#: The happy path: the state the conversation is in, and the answer given there.
HAPPY_PATH: list[tuple[str, str]] = [
    (states.NEW, "Hello, I want to report something that happened to me"),
    (states.LANGUAGE_CONFIRM, "yes"),
    (states.READING, "2"),  # usual wording, not Easy Read
    (states.PRIVACY, "1"),
    (states.ANONYMITY, "1"),
    (states.WHAT_HAPPENED, "A man on the bus shouted at me and pulled at my hijab"),
    (states.WHEN, "last night"),
    (states.WHERE, "the 36 bus in Nottingham NG1 5AA"),
    (states.ROLE, "1"),
    (states.OFFENDER_KNOWN, "2"),
    (states.WHY, "because I am Muslim and I wear a hijab"),
    (states.STRANDS_CONFIRM, "yes"),
    (states.RISK_HARM, "2"),
    (states.RISK_OFFENDER, "3"),
    (states.RISK_PREVIOUS, "3"),
    (states.RISK_IMPACT, "3"),
    (states.REFERRAL, "yes"),
    (states.REFERRAL, "no"),
    (states.REFERRAL, "no"),
    (states.POLICE, "2"),
    (states.FOLLOWUP_CONSENT, "yes"),
    (states.SAFE_HOURS, "4"),
]


def speaking(person: Person, language: str) -> None:
    """Switch the person's language mid-report, as if they had chosen it."""
    with person.runtime.sessions.begin() as session:
        contact = session.get(Contact, person.conversation().contact_id)
        assert contact is not None
        contact.language = language


def local(moment: datetime) -> datetime:
    return moment.astimezone(UK_ZONE)


def walk_to(person: Person, target: str) -> None:
    """Answer along the happy path until the conversation is in ``target``."""
    for state, answer in HAPPY_PATH:
        if state == target and person.received:
            assert person.state() == target
            return
        person.say(answer)
    assert target == states.CLOSED, f"never reached {target}"


def test_happy_path_visits_every_report_state_in_order(runtime: Runtime) -> None:
    person = Person(runtime)
    for expected, answer in HAPPY_PATH:
        if person.received:
            assert person.state() == expected
        replies = person.say(answer)
        assert replies, f"no reply in state {expected}"
    assert person.state() == states.CLOSED
    closing = person.last().text
    case = person.case()
    assert case.reference in closing
    # As a value after "Why:", like the others ("Police: passed to the police..."); the
    # option labels, capitalised, made "Sexual orientation and Being transgender".
    assert "- Why: religion or belief\n" in closing
    assert case.status == "submitted"
    assert case.motivations == ["religion"]
    assert case.religion == "muslim"
    assert case.victim_words == "because I am Muslim and I wear a hijab"
    assert case.reporter_role == "victim"
    assert case.area == "NG1"
    assert case.occurred_at == START - timedelta(hours=13)  # last night, 21:00
    assert case.police_report == "anonymous"
    assert case.followup_consent is True


def _second_report_to_why(person: Person) -> None:
    """A whole report, then a second one up to "why do you think it happened?"."""
    walk_to(person, states.CLOSED)
    person.say("something else happened today")
    person.say("2")  # make a new report
    for answer in ["1", "They spat at me", "today", "Leeds", "1", "2"]:
        person.say(answer)
    assert person.state() == states.WHY


def test_the_why_question_is_asked_in_every_report(runtime: Runtime) -> None:
    person = Person(runtime)
    _second_report_to_why(person)
    assert sum(WHY_YOU in reply.text for reply in person.received) == 2
    assert WHY_YOU in person.last().text


def test_same_reason_as_before_offers_the_earlier_reports_strands(runtime: Runtime) -> None:
    # "Same reason" in a second report got the bare list of ten strands.
    person = Person(runtime)
    _second_report_to_why(person)
    person.say("same reason as last time")
    assert person.state() == states.STRANDS_CONFIRM
    person.say("yes")
    case = person.case()
    assert case.motivations == ["religion"]
    assert case.religion == "muslim"


@pytest.mark.parametrize(("language", "answer"), [("en", "yes"), ("pl", "tak")])
def test_a_yes_to_did_this_happen_to_you_is_the_victim(
    runtime: Runtime, language: str, answer: str
) -> None:
    # "Did this happen to you, or ...?" is answered "yes": it got "Sorry" again and again.
    person = Person(runtime)
    walk_to(person, states.ROLE)
    speaking(person, language)
    person.say(answer)
    assert person.case().reporter_role == "victim"
    assert person.state() != states.ROLE


def test_witness_is_asked_why_it_happened_to_them(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.say("2")  # I saw it happen
    replies = person.say("3")
    assert "Why do you think this happened to them?" in replies[0].text


def test_a_parent_is_asked_why_it_happened_to_their_child(runtime: Runtime) -> None:
    # "Why do you think this happened to them?" read "...to this person" in Ukrainian.
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.say("4")  # a parent reporting for a child
    replies = person.say("3")
    assert "Why do you think this happened to your child?" in replies[0].text


@pytest.mark.parametrize("role", ["2", "3", "4"])  # witness, for someone else, for a child
def test_the_risk_questions_ask_about_the_person_it_happened_to(
    runtime: Runtime, role: str
) -> None:
    # Once "Could the person who did this find you again?" to a witness.
    person = Person(runtime)
    walk_to(person, states.ROLE)
    for answer in [role, "2", "because she is Muslim", "yes", "3"]:
        person.say(answer)
    assert person.state() == states.RISK_OFFENDER
    assert "find the person it happened to again" in person.last().text
    assert "you" not in person.last().text.split("?")[0]


def test_first_reply_is_welcome_with_emergency_numbers_and_language(runtime: Runtime) -> None:
    reply = Person(runtime).say("Hello, I need to tell someone what happened to me")[0]
    assert "999" in reply.text
    assert "18000" in reply.text
    assert "English" in reply.text
    assert reply.choices == ["Yes", "Choose another language"]


def test_unsure_language_gets_welcome_safety_and_the_menu(runtime: Runtime) -> None:
    person = Person(runtime)
    reply = person.say("👍")[0]
    assert "999" in reply.text
    assert "English" in reply.choices
    assert person.state() == states.LANGUAGE_MENU
    person.say("English")
    assert person.state() == states.READING  # Easy Read is offered once the language is set


@pytest.mark.parametrize(
    ("greeting", "language"),
    [
        # Each once the English welcome and the menu: too short to identify.
        ("hola", "es"),
        ("bonjour", "fr"),
        ("مرحبا", "ar"),
        ("cześć", "pl"),
        # Said in several languages, or by people of every language: the menu.
        ("salam", None),
        ("hi", None),
    ],
)
def test_a_greeting_of_one_language_is_welcomed_in_it(
    runtime: Runtime, greeting: str, language: str | None
) -> None:
    person = Person(runtime)
    person.say(greeting)
    if language is None:
        assert person.state() == states.LANGUAGE_MENU
    else:
        assert person.state() == states.LANGUAGE_CONFIRM
        assert person.contact().language == language


def test_language_menu_then_back_to_privacy(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say("Hello, I need to tell someone what happened to me")
    menu = person.say("2")[0]
    assert "English" in menu.choices
    assert person.state() == states.LANGUAGE_MENU
    person.say("English")
    assert person.state() == states.READING
    assert person.contact().language == "en"
    person.say("2")  # usual wording
    assert person.state() == states.PRIVACY
    assert person.contact().reading == "standard"


def test_writing_in_a_language_at_the_first_menu_offers_that_language(runtime: Runtime) -> None:
    # Once "Sorry, I did not understand" in English, however much they wrote in Spanish.
    person = Person(runtime)
    person.say("ok")  # a word of many languages: the menu
    assert person.state() == states.LANGUAGE_MENU
    reply = person.say("quiero contar algo que me pasó en el trabajo")[0]
    assert person.state() == states.LANGUAGE_CONFIRM
    assert person.contact().language == "es"
    assert "Le escribiré en español" in reply.text
    person.say("sí")
    assert person.state() == states.READING


def test_naming_the_language_offered_is_a_yes(runtime: Runtime) -> None:
    # "中文" at "I will write to you in 中文, is that right?" once opened the menu.
    person = Person(runtime)
    person.say("你好")
    assert person.state() == states.LANGUAGE_CONFIRM
    person.say("中文")
    assert person.state() == states.READING
    assert person.contact().language == "zh"


def test_naming_a_language_mid_report_switches_to_it(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    reply = person.say("español por favor")[0]
    assert person.state() == states.WHERE  # the question again, in Spanish
    assert person.contact().language == "es"
    assert "¿Dónde pasó?" in reply.text


@pytest.mark.parametrize("state", [states.ANONYMITY, states.WHERE])
@pytest.mark.parametrize(
    ("language", "answer"),
    [
        # English named as each language names it: once kept as the answer (at the name
        # question, "would you like us to call you بالإنجليزية?"), or not understood.
        ("ar", "بالإنجليزية"),
        ("ar", "الانجليزية من فضلك"),  # written without the hamza
        ("fa", "به انگلیسی"),
        ("ur", "انگریزی میں"),
        ("pa", "ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ"),
        ("bn", "ইংরেজিতে"),
        ("fr", "en anglais"),  # the language menu, once
        # And as English names it, which already switched.
        ("ar", "in English"),
        ("bn", "English please"),
    ],
)
def test_naming_english_mid_report_switches_to_it(
    runtime: Runtime, state: str, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    person.say(answer)
    assert (person.state(), person.contact().language) == (state, "en")


def test_the_menu_reads_the_language_afresh(runtime: Runtime) -> None:
    # The first guess (French) once coloured every reading at the menu: an English
    # sentence there was read as French and offered French again.
    person = Person(runtime)
    person.say("Bonjour, je voudrais signaler quelque chose")
    assert person.contact().language == "fr"
    person.say("2")  # another language
    assert person.state() == states.LANGUAGE_MENU
    person.say("I would like to tell you what happened to me on the bus")
    assert person.state() == states.LANGUAGE_CONFIRM
    assert person.contact().language == "en"


@pytest.mark.parametrize(
    ("first", "language", "welcome"),
    [
        ("Olá, preciso de ajuda", "pt", "Aqui é o TellSafe"),  # Portuguese: I need help
        ("Hola, necesito ayuda", "es", "Esto es TellSafe"),
        ("Potrzebuję pomocy", "pl", "Tu TellSafe"),
    ],
)
def test_a_first_message_asking_for_help_is_welcomed_in_its_language(
    runtime: Runtime, first: str, language: str, welcome: str
) -> None:
    # It was welcomed in English ("I will write to you in English. Is that all right?"),
    # and "sim" (yes) to that kept the whole report in English.
    person = Person(runtime)
    reply = person.say(first)[0]
    assert welcome in reply.text
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, language)


def test_a_first_message_asking_for_a_person_is_answered_in_its_language(
    runtime: Runtime,
) -> None:
    person = Person(runtime)
    reply = person.say("Quero falar com uma pessoa, por favor")[0]  # Portuguese
    assert person.contact().language == "pt"
    assert "Pedi a um agente" in reply.text  # "I have asked an officer", in Portuguese
    assert person.state() == states.HANDOFF_WAIT


def test_what_happened_told_at_the_language_question_is_kept(runtime: Runtime) -> None:
    # It was lost: "what happened?" came again after the privacy question.
    person = Person(runtime)
    person.say("Hi, I want to report something")
    assert person.state() == states.LANGUAGE_CONFIRM
    person.say("A man shouted at me on the bus yesterday because I am black")
    assert person.state() == states.READING
    person.say("2")  # usual wording
    person.say("1")  # carry on
    person.say("1")  # stay anonymous
    assert person.state() == states.WHEN
    assert person.case().what_happened == (
        "A man shouted at me on the bus yesterday because I am black"
    )


def test_telling_it_in_another_language_at_the_language_question_offers_that_one(
    runtime: Runtime,
) -> None:
    # Portuguese to "I will write to you in English. Is that all right?" went on in English.
    told = "Um vizinho deixou um bilhete na minha porta a dizer que os brasileiros deviam ir embora"
    person = Person(runtime)
    person.say("Hi, I want to report something")
    replies = person.say(told)
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, "pt")
    assert "Vou escrever-lhe em português" in replies[-1].text
    for answer in ("sim", "2", "1", "1"):  # yes, usual wording, carry on, anonymous
        person.say(answer)
    assert person.state() == states.WHEN
    assert person.case().what_happened == told


@pytest.mark.parametrize(
    ("answer", "language", "shown"),
    [("tak", "pl", "po polsku"), ("sim", "pt", "em português"), ("так", "uk", "українською")],
)
def test_a_yes_of_another_language_offers_that_one(
    runtime: Runtime, answer: str, language: str, shown: str
) -> None:
    # "tak" to "I will write to you in English. Is that all right?" went on in English.
    person = Person(runtime)
    person.say("Hi, I want to report something")
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, "en")
    replies = person.say(answer)
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, language)
    assert shown in replies[-1].text
    person.say(answer)  # the same yes, now to their own language
    assert (person.state(), person.contact().language) == (states.READING, language)


def test_a_yes_of_several_languages_keeps_the_one_offered(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say("Hi, I want to report something")
    person.say("ok")  # English, Polish, Spanish...: it says nothing of the language
    assert (person.state(), person.contact().language) == (states.READING, "en")


def test_a_word_of_one_language_at_the_first_menu_offers_that_language(runtime: Runtime) -> None:
    # "tak" at the language menu was "Sorry, I did not understand", in English.
    person = Person(runtime)
    person.say("Hello")
    assert person.state() == states.LANGUAGE_MENU
    person.say("tak")
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, "pl")


def test_a_short_answer_to_the_language_question_is_read_in_that_language(
    runtime: Runtime,
) -> None:
    person = Person(runtime)
    person.say("Dzień dobry, chcę zgłosić coś, co mi się przydarzyło")
    person.say("no")  # Polish "yeah", too short to be read as anything else
    assert (person.state(), person.contact().language) == (states.LANGUAGE_CONFIRM, "pl")


def test_polish_no_alone_is_asked_again(runtime: Runtime) -> None:
    # Colloquial Polish "no" is "yeah": read as the English no, a yes to the privacy
    # question was a refusal. Alone it is asked again; "no tak" (well, yes) is a yes.
    person = Person(runtime)
    person.say("Dzień dobry, chcę zgłosić coś, co mi się przydarzyło")
    assert person.contact().language == "pl"
    person.say("tak")
    person.say("nie")  # usual wording
    assert person.state() == states.PRIVACY
    person.say("no")
    assert person.state() == states.PRIVACY
    person.say("no tak")
    assert person.state() == states.ANONYMITY


def test_what_happened_told_before_the_privacy_answer_is_the_account(runtime: Runtime) -> None:
    # Once "Sorry, I did not understand", and their words were not in the report.
    person = Person(runtime)
    walk_to(person, states.READING)
    told = "my boss calls me names in front of everyone at work because I am gay"
    reply = person.say(told)[0]
    assert "I will put what you wrote in your report" in reply.text
    assert person.state() == states.PRIVACY
    more = "it has been going on for months and the others laugh"
    assert "I will put what you wrote" in person.say(more)[0].text
    assert person.state() == states.PRIVACY
    person.say("1")  # carry on
    person.say("1")  # stay anonymous
    assert person.state() == states.WHEN  # not asked to tell it all again
    case = person.case()
    assert case.what_happened == f"{told}\n{more}"
    person.say("last week")
    person.say("at work in Leeds")
    person.say("1")  # it happened to me
    person.say("1")  # the offender is known
    # What the account said of why is proposed when the answer names nothing itself.
    assert "sexual orientation" in person.say("it is just how they are")[0].text


def test_what_happened_told_as_the_first_message_is_the_account(runtime: Runtime) -> None:
    # The first message was only read for its language: "what happened?" came again
    # after the first questions, and "I already told you" became the account.
    person = Person(runtime)
    told = "a man on the bus called me a terrorist and spat at me because I wear a hijab"
    first = person.say(told)[0]
    assert first.text.startswith("Thank you for telling me. I will put what you wrote")
    assert "I will write to you in English" in first.text
    for answer in ("1", "2", "1", "1"):  # English, usual wording, carry on, anonymous
        person.say(answer)
    assert person.state() == states.WHEN
    assert person.case().what_happened == told


def test_a_first_account_is_thanked_for_in_its_language(runtime: Runtime) -> None:
    person = Person(runtime)
    told = "Sąsiad od miesięcy wyzywa mnie od ciapatych i pluje na moje drzwi"
    reply = person.say(told)[0]
    assert person.contact().language == "pl"
    assert reply.text.startswith("Dziękujemy, że nam o tym mówisz.")
    assert person.conversation().scratch["told_early"]["text"] == told


def test_a_short_first_message_is_not_held_as_an_account(runtime: Runtime) -> None:
    person = Person(runtime)
    assert "I will put" not in person.say("Hello, I need some help please")[0].text
    assert "told_early" not in (person.conversation().scratch or {})


@pytest.mark.parametrize(
    ("state", "language", "words", "preface"),
    [
        (states.RISK_PREVIOUS, "en", "I don't want to live any more", "When you are ready"),
        (states.RISK_PREVIOUS, "pt", "não quero mais viver", "Quando quiser, pode continuar"),
        # Words that also choose an option: "خیلی" (a lot) is the gravest impact, and the
        # next-steps block, the services and a referral question followed the Samaritans.
        (states.RISK_IMPACT, "en", "A lot: I feel afraid, I want to kill myself", "When you"),
        (states.RISK_IMPACT, "en", "1 but I don't want to live any more", "When you are ready"),
        (states.RISK_IMPACT, "fa", "خیلی، دیگه نمی‌خوام زندگی کنم", "هر وقت آماده بودید"),
        # Listed as an answer ("I can't take any more"), but words of self-harm too.
        (states.RISK_IMPACT, "pt", "não aguento mais", "Quando quiser, pode continuar"),
    ],
)
def test_words_of_self_harm_are_not_taken_as_an_answer(
    runtime: Runtime, state: str, language: str, words: str, preface: str
) -> None:
    # "Não quero mais viver" at a yes-or-no question was recorded as the answer No, and
    # "I can't go on" got "Sorry, I did not understand" right after the Samaritans. After
    # such words the form waits: the question is offered again, for when they are ready.
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    safety, asked = person.say(words)
    assert "116 123" in safety.text
    assert person.state() == state  # asked again, not answered
    assert asked.text.startswith(preface)
    asked_first = {
        states.RISK_PREVIOUS: prompts.risk_previous,
        states.RISK_IMPACT: prompts.risk_impact,
    }
    assert len(asked.choices) == len(asked_first[state]().choices)
    assert person.case().handoffs[0].reason == "self_harm"
    assert person.case().risk_answers is None  # the risk is not assessed on them


def test_what_happened_told_before_a_no_to_privacy_is_not_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.PRIVACY)
    person.say("a man on the bus shouted at me and pulled at my hijab yesterday")
    assert person.state() == states.PRIVACY
    person.say("2")  # no, not now
    assert person.state() == states.NEW
    assert person.conversation().case_id is None
    assert "told_early" not in (person.conversation().scratch or {})
    with runtime.sessions() as session:
        said = session.scalars(select(Message.text).where(Message.direction == "in")).all()
    # "Nothing about what happened has been saved": what they wrote before is emptied.
    assert "hijab" not in " ".join(said)


def test_a_no_only_guessed_does_not_end_the_report_before_it_begins(runtime: Runtime) -> None:
    # "Esta mañana sobre las 8" (this morning, about 8), more of an account told before
    # the privacy answer, was read as a no at 0.51: the report ended, the account gone.
    person = Person(runtime)
    walk_to(person, states.PRIVACY)
    speaking(person, "es")
    person.say("Un hombre insultó a una señora con velo en la parada y le gritó que se fuera")
    replies = person.say("esta mañana sobre las 8")
    assert person.state() == states.PRIVACY
    assert "told_early" in (person.conversation().scratch or {})
    assert replies[0].text.startswith("Lo siento")
    person.say("no, ahora no")  # a no of the person's own is one
    assert person.state() == states.NEW


def test_declining_privacy_saves_no_report(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.PRIVACY)
    reply = person.say("2")[0]
    assert "Nothing about what happened has been saved" in reply.text
    assert person.state() == states.NEW
    assert person.conversation().case_id is None
    with runtime.sessions() as session:
        consent = session.scalars(select(Consent)).one()
        assert (consent.purpose, consent.answer) == ("privacy", False)


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("no", "en"),
        ("I changed my mind", "en"),
        ("i don't want to report it", "en"),
        ("never mind", "en"),
        ("zmieniłam zdanie", "pl"),
        ("算了", "zh"),
    ],
)
def test_not_telling_it_after_all_saves_no_report(
    runtime: Runtime, answer: str, language: str
) -> None:
    # The no was kept as what happened, and "When did it happen?" came next.
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("give my name")
    person.say("Amina")
    assert person.state() == states.WHAT_HAPPENED
    speaking(person, language)
    replies = person.say(answer)
    assert [reply.kind for reply in replies] == ["reply"]
    assert person.state() == states.NEW
    assert person.conversation().case_id is None
    assert person.contact().name is None  # given for a report that is not made
    with runtime.sessions() as session:
        assert session.scalars(select(Case)).all() == []
        words = session.scalars(
            select(Message.text).where(Message.direction == "in").order_by(Message.id)
        ).all()
        # What they wrote before is emptied, the name with it; the no itself says nothing.
        assert set(words[:-1]) == {""}
        assert words[-1] == answer
        # The privacy consent stays: it was the person's answer, recorded.
        assert session.scalars(select(Consent.purpose)).all() == ["privacy"]


def test_a_no_that_starts_the_account_is_the_account(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    told = "no one helped me when the men on the bus called me a terrorist"
    person.say(told)
    assert person.state() == states.WHEN
    assert person.case().what_happened == told


def test_giving_a_name_keeps_it_sealed(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("give my name")
    assert person.state() == states.NAME
    person.say("Amina")
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == "Amina"
    assert person.case().anonymous is False


def test_long_answer_to_when_is_more_of_the_account(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHEN)
    more = "and then he kept shouting things about where I am from and his friends laughed"
    reply = person.say(more)[0]
    assert reply.text.startswith("Thank you, I have added that")
    assert person.state() == states.WHEN
    assert more in (person.case().what_happened or "")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # A day chosen is its noon, as a day typed is, not the hour of the report.
        ("2", START.replace(hour=12) - timedelta(days=1)),
        ("today", START),  # its noon is still to come at 10:00: never after now
        ("not sure", None),
    ],
)
def test_when_accepts_options(runtime: Runtime, answer: str, expected: datetime | None) -> None:
    assert _answered_when(runtime, answer).occurred_at == expected


def _answered_when(runtime: Runtime, answer: str) -> Case:
    """The report after ``answer`` to "when did it happen?", which moves on to "where?"."""
    person = Person(runtime)
    walk_to(person, states.WHEN)
    person.say(answer)
    assert person.state() == states.WHERE
    return person.case()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # A day without a time of day is kept at its noon (START is 10:00 UK time).
        ("2 weeks ago", START.replace(hour=12) - timedelta(weeks=2)),
        ("2 weeks", START.replace(hour=12) - timedelta(weeks=2)),
        ("3 days ago", START.replace(hour=12) - timedelta(days=3)),
        ("5 days", START.replace(hour=12) - timedelta(days=5)),
        # Option 2, yesterday, with a word of politeness.
        ("2 please", START.replace(hour=12) - timedelta(days=1)),
    ],
)
def test_when_reads_a_count_with_words_as_a_date_not_an_option(
    runtime: Runtime, answer: str, expected: datetime
) -> None:
    # Once, "2 weeks ago" was option 2 (yesterday) and "5 days" option 5 (not sure).
    assert _answered_when(runtime, answer).occurred_at == expected


@pytest.mark.parametrize(("answer", "hour"), [("yesterday evening", 19), ("yesterday", 12)])
def test_a_part_of_the_day_makes_the_option_more_exact(
    runtime: Runtime, answer: str, hour: int
) -> None:
    # "Yesterday evening" was the option "Yesterday", at the hour the report was made.
    occurred = _answered_when(runtime, answer).occurred_at
    assert occurred is not None
    assert local(occurred).date() == local(START - timedelta(days=1)).date()
    assert local(occurred).hour == hour


@pytest.mark.parametrize(
    ("language", "answer", "expected"),
    [
        # START is Friday 20 November: Monday is the 16th.
        ("pl", "nie pamiętam dokładnie, chyba w poniedziałek", START.replace(hour=12, day=16)),
        ("en", "not sure, maybe Monday", START.replace(hour=12, day=16)),
        ("en", "not sure", None),
    ],
)
def test_a_day_guessed_with_not_sure_is_kept(
    runtime: Runtime, language: str, answer: str, expected: datetime | None
) -> None:
    # "Nie pamiętam dokładnie, chyba w poniedziałek" (I don't remember exactly, probably
    # Monday) was the option "Not sure": the Monday, and the words, were lost.
    person = Person(runtime)
    walk_to(person, states.WHEN)
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.WHERE
    case = person.case()
    assert case.occurred_at == expected
    assert case.occurred_text == (answer if expected else "not_sure")


@pytest.mark.parametrize(
    ("answer", "role"),
    [
        # "me" once came out of the intent classifier as stop (0.64), "text me" as stop
        # (0.99): answering "did this happen to you?" silenced the bot. Now "me" and "my
        # husband" are answers the role question lists; "text me" is asked again.
        ("me", codes.VICTIM),
        ("text me", None),
        ("my husband", codes.THIRD_PARTY),
        # Denied, "It happened to me" once was the reading: the report was about them.
        ("it didn't happen to me", None),
        ("it wasn't me, it was my son", codes.PARENT),
        ("not me, my son", codes.PARENT),  # names both: the denied one gives way
        ("it happened to me, not my son", codes.VICTIM),
        ("yes it happened to me", codes.VICTIM),
    ],
)
def test_who_it_happened_to_in_a_few_words(runtime: Runtime, answer: str, role: str | None) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.say(answer)
    assert person.case().reporter_role == role
    if role is None:
        assert person.state() == states.ROLE
        assert person.last().text.startswith("Sorry, I did not understand")
    else:
        assert person.state() == states.OFFENDER_KNOWN


@pytest.mark.parametrize(
    ("state", "answer", "next_state"),
    [
        (states.ROLE, "i saw it", states.OFFENDER_KNOWN),  # not a guess at "help"
        (states.ANONYMITY, "my name", states.NAME),
        (states.ROLE, "someone else", states.OFFENDER_KNOWN),
        (states.OFFENDER_KNOWN, "a stranger", states.WHY),
        (states.ROLE, "myself", states.OFFENDER_KNOWN),
        (states.OFFENDER_KNOWN, "I don't know him", states.WHY),
        (states.OFFENDER_KNOWN, "he's my neighbour", states.WHY),
    ],
)
def test_words_from_one_option_choose_it(
    runtime: Runtime, state: str, answer: str, next_state: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    person.say(answer)
    assert person.state() == next_state


@pytest.mark.parametrize(
    ("answer", "previous"),
    [
        ("first time", "no"),  # once "first" was option 1: "Yes, more than once"
        ("one time", "once"),  # and "one" option 1 too
        ("twice", "many"),
        ("never", "no"),
        ("2", "once"),  # numbers still choose by position
    ],
)
def test_times_counted_in_words_answer_the_previous_question(
    runtime: Runtime, answer: str, previous: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_PREVIOUS)
    person.say(answer)
    assert person.state() == states.RISK_IMPACT
    assert _risk_answers(person)["previous"] == previous


@pytest.mark.parametrize(
    ("answer", "known"),
    [
        ("i dont know them at all", "no"),  # the classifier reads "not sure" in it
        ("I don't know him", "no"),
        ("I know her, she lives next door", "yes"),
        ("I don't know", "not_sure"),
    ],
)
def test_whether_they_know_the_offender_in_their_own_words(
    runtime: Runtime, answer: str, known: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.OFFENDER_KNOWN)
    person.say(answer)
    assert person.state() == states.WHY
    assert person.case().offender_known == known


@pytest.mark.parametrize(
    ("state", "answer", "expected"),
    [
        # "Personne" (nobody), also the help's word for a person, once opened a handoff.
        (states.OFFENDER_KNOWN, "personne", states.WHY),
        (states.OFFENDER_KNOWN, "Personne.", states.WHY),
        (states.RISK_HARM, "personne", states.RISK_OFFENDER),
        # Asking for a person still does.
        (states.OFFENDER_KNOWN, "je veux parler à une personne", states.HANDOFF_WAIT),
        (states.WHEN, "personne", states.HANDOFF_WAIT),
    ],
)
def test_personne_is_nobody_at_a_question_about_someone(
    runtime: Runtime, state: str, answer: str, expected: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, "fr")
    person.say(answer)
    assert person.state() == expected
    if state == states.OFFENDER_KNOWN and expected == states.WHY:
        assert person.case().offender_known == "no"


@pytest.mark.parametrize("answer", ["no", "nope", "no thanks"])
def test_a_plain_no_answers_the_police_question(runtime: Runtime, answer: str) -> None:
    # Its options are "No, not now" and two kinds of yes: a "no" once got "Sorry, I
    # did not understand", since no option's code is "no".
    person = Person(runtime)
    walk_to(person, states.POLICE)
    person.say(answer)
    assert person.state() != states.POLICE
    assert person.case().police_report == codes.POLICE_NONE


@pytest.mark.parametrize(
    ("state", "answer", "then", "code"),
    [
        (states.RISK_HARM, "yes", "they hit me", "hurt"),
        (states.RISK_PREVIOUS, "yes", "just once", "once"),
        # Begins like both "Yes, more than once" and "Yes, once": once "Sorry".
        (states.RISK_PREVIOUS, "yes, someone called me names before", "twice", "many"),
    ],
)
def test_a_plain_yes_where_two_options_are_yes_is_asked_which(
    runtime: Runtime, state: str, answer: str, then: str, code: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    person.say(answer)
    assert person.state() == state
    assert "Which one do you mean?" in person.last().text
    person.say(then)
    assert person.state() != state
    assert code in _risk_answers(person).values()


def _risk_answers(person: Person) -> dict[str, str]:
    """The risk questions answered so far (kept in the conversation until the report ends)."""
    scratch = person.conversation().scratch
    assert scratch is not None
    return dict(scratch["risk"])


@pytest.mark.parametrize("answer", ["yes", "yeah"])
def test_a_plain_yes_to_the_police_question_is_asked_which_yes(
    runtime: Runtime, answer: str
) -> None:
    # Two options are kinds of yes (without or with my name): a "yes" once got "Sorry,
    # I did not understand", and counted towards handing the person over.
    person = Person(runtime)
    walk_to(person, states.POLICE)
    person.say(answer)
    assert person.state() == states.POLICE
    assert "Which one do you mean?" in person.last().text
    assert "Sorry" not in person.last().text
    assert person.conversation().misunderstood == 0
    assert person.case().police_report is None
    person.say("without my name")
    assert person.case().police_report == codes.POLICE_ANONYMOUS


def test_telling_what_happened_instead_of_answering_the_name_question(runtime: Runtime) -> None:
    # Once "Sorry, I did not understand that" and the name question again, with the
    # account left out of the report.
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    account = "A man in the shop called me a paki and spat at me, it was horrible"
    person.say(account)
    assert person.state() == states.WHEN
    case = person.case()
    assert case.anonymous is True
    assert case.what_happened == account
    assert "Your report will stay anonymous." in person.last().text


def test_telling_what_happened_instead_of_a_name_is_the_account(runtime: Runtime) -> None:
    # Once kept as the person's name, and the account lost from the report.
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("2")  # give my name
    assert person.state() == states.NAME
    account = "Two men outside my shop laughed at my turban and tried to pull it off"
    person.say(account)
    assert person.state() == states.WHEN
    assert person.case().what_happened == account
    assert person.case().anonymous is True
    assert person.contact().name is None
    person2 = Person(runtime, address="+447700900999")
    walk_to(person2, states.ANONYMITY)
    person2.say("2")
    person2.say("Harpreet Singh")  # a name is still a name
    assert person2.contact().name == "Harpreet Singh"


@pytest.mark.parametrize(
    ("language", "answer", "name"),
    [
        # A change of mind: once kept as the name, and the report no longer anonymous.
        ("en", "no", None),
        ("en", "I'd rather not", None),
        ("en", "actually I don't want to", None),
        ("en", "No, I changed my mind", None),
        ("pl", "nie", None),
        ("uk", "не хочу називати ім'я", None),
        ("en", "private", None),  # a way of staying anonymous, once kept as the name
        ("es", "prefiero no decir", None),
        # names the language model reads as a no are still names
        ("en", "Noor", "Noor"),
        ("en", "Nona", "Nona"),
    ],
)
def test_a_no_at_the_name_question_keeps_the_report_anonymous(
    runtime: Runtime, language: str, answer: str, name: str | None
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("2")  # give my name
    speaking(person, language)
    replies = person.say(answer)
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == name
    assert person.case().anonymous is (name is None)
    if name is None and language == "en":
        assert replies[0].text.startswith("That is fine. Your report will stay anonymous.")


@pytest.mark.parametrize(
    ("language", "answer", "name"),
    [
        # "Call me Sam" was a call asked for: the report went to an officer.
        ("en", "call me Sam", "Sam"),
        ("en", "My name's Sam O'Brien.", "Sam O'Brien"),
        ("en", "yes, my name is Sam", "Sam"),
        ("en", "Sam is my name", "Sam"),
        ("es", "Hola, me llamo Ana María", "Ana María"),
        ("pl", "mam na imię Ania", "Ania"),
        ("uk", "мене звати Оля", "Оля"),
        ("zh", "我叫小明", "小明"),
        ("ar", "اسمي فاطمة", "فاطمة"),
        ("ur", "میرا نام عائشہ ہے", "عائشہ"),
        ("fa", "اسمم سارا است", "سارا"),
        ("fr", "je m'appelle Marie", "Marie"),
        ("cy", "fy enw i yw Siân", "Siân"),
        ("so", "magacaygu waa Xamda", "Xamda"),
    ],
)
def test_a_name_given_when_asked_whether_to_give_one_is_kept(
    runtime: Runtime, language: str, answer: str, name: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == name
    assert person.case().anonymous is False


@pytest.mark.parametrize(
    ("language", "written", "answer", "name"),
    [
        # A name written alone got "Sorry, I did not understand": it is asked about.
        ("en", "Sam", "1", "Sam"),
        ("en", "Sam", "yes", "Sam"),
        ("en", "Sam", "2", None),
        ("en", "Sam", "no", None),  # a no to the name is staying anonymous
        ("en", "Jo Smith", "stay anonymous", None),  # "jo" is a yes of another language
        ("en", "Noor", "1", "Noor"),  # the model reads a no in it
        # one word in lower case, as a computer's web chat leaves it
        ("en", "sam", "yes", "sam"),
        ("pt", "joão", "sim", "joão"),
        ("en", "Sam al-Hassan", "yes", "Sam al-Hassan"),
        # another name, in a sentence or alone, is the name
        ("en", "Sam", "no, my name is Samantha", "Samantha"),
        ("lt", "Rūta", "taip", "Rūta"),
        ("lt", "Rūta", "ne, mano vardas Rūtelė", "Rūtelė"),
        ("pl", "Kasia", "tak", "Kasia"),
        ("ar", "عائشة", "نعم", "عائشة"),
        ("zh", "小明", "是", "小明"),
    ],
)
def test_a_name_written_alone_is_asked_about_before_it_is_kept(
    runtime: Runtime, language: str, written: str, answer: str, name: str | None
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    speaking(person, language)
    asked = person.say(written)
    assert person.state() == states.NAME_CONFIRM
    assert written in asked[-1].text
    assert person.contact().name is None
    person.say(answer)
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == name
    assert person.case().anonymous is (name is None)
    assert "offered_name" not in person.conversation().scratch


def test_an_account_holding_a_way_of_staying_anonymous_is_kept(runtime: Runtime) -> None:
    # "nobody" stays anonymous at the name question; in an account it chose that, and
    # the person was asked what happened, as if they had not just told it.
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("A man shouted at me on the bus and nobody did anything to help me")
    assert person.state() == states.WHEN
    assert person.case().anonymous is True
    assert "nobody did anything" in (person.case().what_happened or "")


def test_the_name_question_is_asked_about_each_name_written_alone(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("Sam")
    replies = person.say("Samantha")
    assert person.state() == states.NAME_CONFIRM
    assert replies[-1].text.startswith("Shall we call you Samantha?")
    person.say("1")
    assert person.contact().name == "Samantha"


def test_an_account_told_instead_of_confirming_a_name_is_the_account(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("Sam")
    replies = person.say("A man on the bus shouted at me and called me a terrorist")
    assert person.state() == states.WHEN
    assert replies[0].text.startswith("Thank you for telling us. Your report will stay anonymous.")
    assert person.contact().name is None
    assert person.case().anonymous is True
    assert "terrorist" in (person.case().what_happened or "")


@pytest.mark.parametrize(
    "answer",
    [
        "Hello",  # words the understanding data holds as they are
        "Emergency",  # a danger
        "Scared",  # how the person feels, in every language a listed non-name
        "Sorry",
        "Why?",  # a question
        "go away",  # words in lower case, where the script has capitals
        "Private",  # a way of staying anonymous
    ],
)
def test_other_words_written_alone_are_not_offered_as_a_name(runtime: Runtime, answer: str) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say(answer)
    assert person.state() != states.NAME_CONFIRM
    assert "offered_name" not in (person.conversation().scratch or {})


@pytest.mark.parametrize(
    ("answer", "after"),
    [
        # asked for a call, not a name: a person is asked for
        ("call me please", states.HANDOFF_WAIT),
        ("can someone call me back", states.HANDOFF_WAIT),
        # "my name is" with no name, or denied, gives none
        ("my name is not important", states.ANONYMITY),
        # what happened, told instead of answering, is the account
        ("he would always call me a terrorist", states.WHEN),
    ],
)
def test_a_call_or_a_sentence_is_not_a_name(runtime: Runtime, answer: str, after: str) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say(answer)
    assert (person.state(), person.contact().name) == (after, None)


@pytest.mark.parametrize(
    ("answer", "name"),
    [("my name is Sam", "Sam"), ("call me Sam", "Sam"), ("Sam", "Sam")],
)
def test_the_name_is_kept_without_the_sentence_around_it(
    runtime: Runtime, answer: str, name: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("2")  # give my name
    person.say(answer)
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == name


@pytest.mark.parametrize(
    ("state", "language", "answer"),
    [
        # Kept as the answer, "I'd rather not say" was the place in the report.
        (states.WHERE, "en", "I'd rather not say where"),
        (states.WHERE, "es", "prefiero no decirlo"),
        (states.WHERE, "zh", "不想说"),
        (states.WHERE, "uk", "не хочу казати"),
        (states.WHEN, "en", "I'd rather not say"),
        (states.WHEN, "pl", "wolę nie mówić"),
    ],
)
def test_rather_not_saying_when_or_where_records_nothing(
    runtime: Runtime, state: str, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    replies = person.say(answer)
    assert person.state() != state
    case = person.case()
    assert (case.location if state == states.WHERE else case.occurred_text) is None
    if language == "en":
        assert replies[0].text.startswith("That is fine, you do not have to say.")


@pytest.mark.parametrize(
    ("language", "answer", "weekday"),
    [
        # Each once kept as the place, and the wrong day stayed.
        ("en", "sorry I meant Thursday", 3),
        ("en", "no wait, it was Tuesday not Monday", 1),
        ("pl", "nie, czekaj, to był wtorek, nie poniedziałek", 1),
    ],
)
def test_a_date_corrected_at_where_changes_when(
    runtime: Runtime, language: str, answer: str, weekday: int
) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    speaking(person, language)
    replies = person.say(answer)
    assert person.state() == states.WHERE
    case = person.case()
    assert case.location is None
    assert case.occurred_at is not None
    assert local(case.occurred_at).weekday() == weekday
    assert case.occurred_text == answer
    if language == "en":
        assert replies[0].text.startswith("Thank you, I have changed when it happened.")


@pytest.mark.parametrize("place", ["the bus stop on Monday Road", "actually it was outside Tesco"])
def test_a_place_that_names_a_day_or_corrects_nothing_is_the_place(
    runtime: Runtime, place: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say(place)
    assert person.case().location == place


def test_a_place_given_beside_rather_not_saying_is_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    answer = "I'd rather not say exactly, but it was by the mosque on Green Lane"
    person.say(answer)
    assert person.case().location == answer


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        # Taken as a no to the service, with the police question still to come.
        ("en", "no, I don't want the police"),
        ("es", "no quiero a la policía"),
        ("pl", "nie chcę policji"),
        ("zh", "我不想报警"),
    ],
)
def test_a_no_to_the_police_at_a_referral_is_told_the_service_is_not_them(
    runtime: Runtime, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    asked = person.conversation().scratch["referrals"]
    speaking(person, language)
    replies = person.say(answer)
    assert person.state() == states.REFERRAL
    assert person.conversation().scratch["referrals"] == asked  # nothing answered yet
    assert not person.case().consents or all(
        c.purpose != "referral" for c in person.case().consents
    )
    if language == "en":
        assert "is not the police. A yes here tells the police nothing" in replies[0].text


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        # "Sorry, I did not understand" to someone who had already gone to the police.
        ("en", "I already reported it to the police"),
        ("en", "yes I called the police at the time"),
        ("es", "ya lo denuncié a la policía"),
        ("pl", "już zgłosiłam na policję"),
        ("zh", "我已经报警了"),
    ],
)
def test_already_reported_to_the_police_is_kept_and_nothing_is_passed(
    runtime: Runtime, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.POLICE)
    speaking(person, language)
    replies = person.say(answer)
    assert person.state() == states.FOLLOWUP_CONSENT
    case = person.case()
    assert case.police_report == codes.POLICE_ALREADY
    police = [c for c in case.consents if c.purpose == "police"]
    assert [c.answer for c in police] == [False]  # nothing to pass on from us
    if language == "en":
        assert replies[0].text.startswith("Thank you for telling us. We will not report it")


@pytest.mark.parametrize(
    ("language", "answer", "menu"),
    [
        # Where it happened, once read as "in Polish": the language menu, the place lost.
        ("en", "in Leeds", False),
        ("en", "in Slough", False),
        ("ro", "în autobuzul 9 în Slough", False),
        ("es", "en Slough", False),
        # asking for another language still does
        ("en", "can I change the language", True),
        ("pl", "po polsku proszę", True),
    ],
)
def test_a_place_is_not_a_language(
    runtime: Runtime, language: str, answer: str, menu: bool
) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    speaking(person, language)
    person.say(answer)
    if menu:
        assert person.state() == states.LANGUAGE_MENU
    else:
        assert person.state() == states.ROLE
        assert person.case().location == answer


def test_a_language_named_is_taken_at_once(runtime: Runtime) -> None:
    # As "Polski please" is: "I'd prefer Polish" got the language menu to choose it again.
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("I'd prefer Polish")
    assert (person.state(), person.contact().language) == (states.WHERE, "pl")


def test_a_chinese_account_instead_of_the_name_is_kept(runtime: Runtime) -> None:
    # Written without spaces, a whole account was one "word" and too short to be one.
    person = _chinese_at_the_name_question(runtime, "web-zh-account")
    account = "昨天晚上在公交车上有个男人一直骂我，还扯我的头巾"
    person.say(account)
    assert person.state() == states.WHEN
    assert person.case().what_happened == account
    assert person.case().anonymous is True


@pytest.mark.parametrize(
    ("answer", "next_state"), [("no", states.WHAT_HAPPENED), ("yes", states.NAME)]
)
def test_a_plain_yes_or_no_answers_the_name_question(
    runtime: Runtime, answer: str, next_state: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say(answer)
    assert person.state() == next_state


def _chinese_at_the_name_question(runtime: Runtime, address: str) -> Person:
    """Someone who wrote in Chinese on the web chat, at "would you tell us your name?"."""
    person = Person(runtime, channel="web", address=address)
    person.say("你好，我想报告一件事")  # hello, I want to report something
    for answer in ("是", "不用", "好的"):  # yes, Chinese; no Easy Read; carry on
        person.say(answer)
    assert person.state() == states.ANONYMITY
    return person


def test_a_word_within_a_chinese_option_chooses_it(runtime: Runtime) -> None:
    person = _chinese_at_the_name_question(runtime, "web-zh")
    person.say("匿名")  # "anonymous", inside the option "保持匿名" (stay anonymous)
    assert person.state() == states.WHAT_HAPPENED
    assert person.case().anonymous is True


def test_a_welsh_word_chooses_the_option_that_mutates_it(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say("Helo, dw i eisiau riportio rhywbeth ddigwyddodd i mi")
    for answer in ("ie", "2", "ie"):  # yes, Welsh; the usual wording; carry on
        person.say(answer)
    assert person.state() == states.ANONYMITY
    person.say("dienw")  # "anonymous"; the option says "Aros yn ddienw" (soft mutation)
    assert person.state() == states.WHAT_HAPPENED
    assert person.case().anonymous is True


def test_online_incident_asks_platform_when_not_named(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("1")  # It happened online
    assert person.state() == states.PLATFORM
    # "Why do you need that?" got only "a support officer can answer your questions".
    explained = person.say("why do you need that?")[0].text
    assert "tells officers where to look" in explained
    assert person.state() == states.PLATFORM
    assert person.case().platform is None
    person.say("Instagram")
    case = person.case()
    assert case.online is True
    assert case.platform
    assert person.state() == states.ROLE


def test_online_incident_with_platform_skips_the_platform_question(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("in the comments on my tiktok")
    assert person.case().online is True
    assert person.state() == states.ROLE


def test_not_sure_why_is_offered_what_the_account_suggests(runtime: Runtime) -> None:
    # The account named a hijab: "I don't know" got the bare list of ten strands.
    person = Person(runtime)
    walk_to(person, states.WHY)
    asked = person.say("I don't know")[0].text
    assert person.state() == states.STRANDS_CONFIRM
    assert "religion" in asked.lower()
    person.say("yes")
    assert person.case().motivations == ["religion"]
    assert person.case().victim_words == "I don't know"


def test_not_sure_why_goes_to_the_strand_list(runtime: Runtime) -> None:
    person = Person(runtime)
    for _state, answer in HAPPY_PATH[:5]:
        person.say(answer)
    person.say("Someone shouted at me in the street")  # no strand in the account
    person.say("last night")
    person.say("Leeds")
    person.say("1")  # it happened to me
    person.say("2")  # the offender is not known
    assert person.state() == states.WHY
    person.say("I don't know")
    assert person.state() == states.STRANDS_SELECT
    person.say("1 2")
    assert person.state() == states.RELIGION  # religion chosen, religion not yet known
    person.say("6")  # Sikh
    case = person.case()
    assert case.motivations == ["race", "religion"]
    assert case.religion == "sikh"
    assert case.victim_words == "I don't know"
    assert person.state() == states.RISK_HARM


def test_correcting_the_proposed_strands(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.STRANDS_CONFIRM)
    person.say("no")
    assert person.state() == states.STRANDS_SELECT
    person.say("4")
    assert person.case().motivations == ["disability"]
    assert person.case().religion is None


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "nationality and religion"),
        # Nationality and religion: once religion alone, recorded as Muslim.
        ("pl", "narodowość i religia"),
    ],
)
def test_strands_chosen_in_words_keep_each_and_ask_the_religion(
    runtime: Runtime, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.STRANDS_CONFIRM)
    person.say("no")
    speaking(person, language)
    person.say(answer)
    assert person.case().motivations == ["race", "religion"]
    # Never guessed: the proposal said no to may have been about the faith itself.
    assert person.case().religion is None
    assert person.state() == states.RELIGION


@pytest.mark.parametrize(
    ("language", "answer", "strands"),
    [
        # Each once chose race as well (and "not", the option "Not sure").
        ("en", "religion, not race", ["religion"]),
        ("en", "not race, religion", ["religion"]),
        ("en", "it was religion not race", ["religion"]),
        ("es", "religión, no raza", ["religion"]),
        ("pl", "religia, nie rasa", ["religion"]),
        # The model read religion here: named to deny it, it is not chosen either.
        ("en", "race, not religion", ["race"]),
    ],
)
def test_a_strand_named_only_to_deny_it_is_not_chosen(
    runtime: Runtime, language: str, answer: str, strands: list[str]
) -> None:
    person = Person(runtime)
    walk_to(person, states.STRANDS_CONFIRM)
    person.say("no")
    speaking(person, language)
    person.say(answer)
    assert person.case().motivations == strands


@pytest.mark.parametrize("answer", ["not sure", "I'm not sure"])
def test_not_sure_of_the_strands_listed_records_none(runtime: Runtime, answer: str) -> None:
    person = Person(runtime)
    walk_to(person, states.STRANDS_CONFIRM)
    person.say("no")
    person.say(answer)
    assert person.case().motivations == []
    assert person.state() == states.RISK_HARM


def test_not_sure_of_strands_records_none(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.STRANDS_CONFIRM)
    person.say("not sure")
    assert person.case().motivations == []
    assert person.state() == states.RISK_HARM


@pytest.mark.parametrize(
    ("answer", "harm"),
    [
        ("nobody hit her", "no"),  # once an attack: "hit her" is the attack's words
        ("he kicked me, not punched me", "hurt"),  # still the attack, named undenied
        ("they pushed her", "hurt"),
    ],
)
def test_an_attack_denied_is_no_attack(runtime: Runtime, answer: str, harm: str) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_HARM)
    person.say(answer)
    assert person.state() == states.RISK_OFFENDER
    assert person.conversation().scratch["risk"]["harm"] == harm


def test_high_risk_hands_to_an_officer_and_says_so(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_HARM)
    person.say("1")  # hurt
    person.say("1")  # offender can find them
    person.say("1")  # more than once
    replies = person.say("1")  # severe impact
    assert "support officer will contact you" in replies[0].text
    case = person.case()
    assert case.risk == "high"
    assert case.risk_reasons == [
        "physical_harm",
        "offender_can_find_victim",
        "repeat_victimisation",
        "severe_impact",
    ]
    assert case.repeat_victim is True
    assert [(h.reason, h.urgent) for h in case.handoffs] == [("high_risk", False)]


def test_low_risk_and_next_steps_for_offline(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.RISK_IMPACT)
    # The next steps now come as several SMS-sized messages (content.next_steps).
    advice = "\n".join(reply.text for reply in person.say("3"))
    assert "write down what you remember" in advice
    assert "101" in advice
    case = person.case()
    assert case.risk == "medium"  # threats, and the offender may find them
    assert case.risk_reasons == ["threats", "offender_may_find_victim"]
    assert person.state() == states.REFERRAL


def test_referral_consent_recorded_per_service_with_wording(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    first = person.last().text
    assert "Tell MAMA" in first  # the specialist service for anti-Muslim hate first
    person.say("yes")
    person.say("no")
    person.say("no")
    with runtime.sessions() as session:
        consents = session.scalars(
            select(Consent).where(Consent.purpose == "referral").order_by(Consent.id)
        ).all()
    assert [(c.service, c.answer) for c in consents] == [
        ("tell_mama", True),
        ("victim_support", False),
        ("stop_hate_uk", False),
    ]
    assert consents[0].wording == "May we pass your details to Tell MAMA so they can contact you?"
    assert consents[0].wording_version.startswith("referral:")
    assert consents[0].channel == "sms"
    assert consents[0].language == "en"


def test_asking_what_another_service_is_at_a_referral_says_what_it_is(runtime: Runtime) -> None:
    # "What is Stop Hate UK?" at Tell MAMA's question was answered with what a yes to
    # Tell MAMA does.
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    assert "Tell MAMA" in person.last().text
    reply = person.say("What is Stop Hate UK?")[0]
    described, *_, asked = reply.text.split("\n\n")
    assert described == f"Stop Hate UK: {get_service('stop_hate_uk').description}"
    assert asked == "May we pass your details to Tell MAMA so they can contact you?"
    assert person.state() == states.REFERRAL
    reply = person.say("what happens if I say yes?")[0]
    assert "passes what you told us to Tell MAMA" in reply.text  # its own, as before


def test_named_police_report_asks_for_a_name(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.POLICE)
    person.say("3")
    assert person.state() == states.POLICE_NAME
    person.say("Amina Khan")
    assert person.state() == states.FOLLOWUP_CONSENT
    assert person.case().police_report == "named"


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        # Each once kept as the name: "chcę" (I want), "przepraszam" (sorry).
        ("pl", "chcę"),
        ("pl", "chce"),
        ("pl", "przepraszam"),
        ("en", "sorry"),
        ("en", "yes"),
    ],
)
def test_a_word_that_is_no_name_is_asked_again(
    runtime: Runtime, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    person.say("2")  # give my name
    assert person.state() == states.NAME
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.NAME
    assert person.contact().name is None
    person.say("Ania")
    assert person.state() == states.WHAT_HAPPENED
    assert person.contact().name == "Ania"


def test_chce_to_giving_a_name_is_its_yes(runtime: Runtime) -> None:
    # "Chcę" (I want) to "czy chcesz podać nam swoje imię?": once "shall we use the name
    # chcę?".
    person = Person(runtime)
    walk_to(person, states.ANONYMITY)
    speaking(person, "pl")
    person.say("chcę")
    assert person.state() == states.NAME


@pytest.mark.parametrize(("language", "answer"), [("en", "yes"), ("pl", "tak")])
def test_a_yes_is_no_name_for_the_police(runtime: Runtime, language: str, answer: str) -> None:
    # "Tak" (yes) was kept as the name given to the police.
    person = Person(runtime)
    walk_to(person, states.POLICE)
    person.say("3")
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.POLICE_NAME
    person.say("Marek Nowak")
    assert person.state() == states.FOLLOWUP_CONSENT
    with runtime.sessions() as session:
        contact = session.get(Contact, person.conversation().contact_id)
        assert contact is not None
        assert contact.name == "Marek Nowak"


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "evenings after 6, but not at weekends"),
        # Evenings after 18, but not at weekends: once asked again, then a Saturday.
        ("lt", "vakarais po 18, bet ne savaitgaliais"),
        ("pl", "tylko wieczorem po 18, nie w weekendy"),
        # Monday to Friday, written with an apostrophe the listed words drop.
        ("uk", "ввечері після 18, з понеділка по п'ятницю"),
    ],
)
def test_safe_days_are_kept_with_the_hours(runtime: Runtime, language: str, answer: str) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    speaking(person, language)
    closing = person.say(answer)[-1].text
    assert person.state() == states.CLOSED
    contact = person.contact()
    assert contact.safe_days == WEEKDAYS
    assert (contact.safe_from_minute, contact.safe_to_minute) == (18 * 60, 21 * 60)
    with runtime.sessions() as session:
        due = session.scalars(select(FollowUp.due_at)).all()
    assert len(due) == 3
    assert all(local(moment).weekday() < 5 for moment in due)
    if language == "en":
        assert "yes, Monday to Friday, between 18:00 and 21:00" in closing


def test_safe_days_alone_are_kept_and_the_hours_asked(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    told = person.say("only at weekends")[0].text
    assert told.startswith("Thank you. We will only message you at weekends.")
    assert person.state() == states.SAFE_HOURS
    person.say("3")  # evenings
    assert person.state() == states.CLOSED
    assert person.contact().safe_days == WEEKENDS
    with runtime.sessions() as session:
        due = session.scalars(select(FollowUp.due_at)).all()
    assert all(local(moment).weekday() >= 5 for moment in due)


def test_followup_consent_schedules_checkins_inside_safe_hours(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    person.say("3")  # evenings 17:00-21:00
    with runtime.sessions() as session:
        rows = session.scalars(select(FollowUp).order_by(FollowUp.due_at)).all()
    assert len(rows) == 3
    for row in rows:
        assert 17 <= row.due_at.hour < 21  # Europe/London is UTC in November


def test_no_followup_consent_schedules_nothing(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.FOLLOWUP_CONSENT)
    person.say("no")
    assert person.state() == states.CLOSED
    with runtime.sessions() as session:
        assert session.scalars(select(FollowUp)).all() == []


@pytest.mark.parametrize(
    ("answer", "line"),
    [
        ("3", "- When: In the last week"),  # once "- When: not recorded"
        ("after the football match", "- When: after the football match"),  # their words
        ("last night", "- When: 19 November 2026"),
    ],
)
def test_the_summary_says_when_as_it_was_answered(runtime: Runtime, answer: str, line: str) -> None:
    person = Person(runtime)
    walk_to(person, states.WHEN)
    person.say(answer)
    after_when = [state for state, _ in HAPPY_PATH].index(states.WHEN) + 1
    for _, reply in HAPPY_PATH[after_when:]:
        person.say(reply)
    assert person.state() == states.CLOSED
    assert line in person.last().text.splitlines()


@pytest.mark.parametrize(
    "answer", ["not in the morning", "any time except mornings", "mornings are no good"]
)
def test_a_time_named_as_an_exception_is_never_chosen_for_checkins(
    runtime: Runtime, answer: str
) -> None:
    # "Not in the morning" (he is home then) once chose the mornings. It is understood
    # (no "Sorry", no miss counted): the person is thanked and asked for a safe time.
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    assert person.say(answer)[0].text.startswith("Thank you for telling us.")
    assert person.state() == states.SAFE_HOURS
    assert not person.conversation().misunderstood
    person.say("3")  # evenings
    assert person.state() == states.CLOSED
    assert person.contact().safe_from_minute == 17 * 60


@pytest.mark.parametrize("answer", ["it doesn't matter", "no problem, any time", "I don't mind"])
def test_a_not_inside_an_answer_denies_no_time(runtime: Runtime, answer: str) -> None:
    # Any "not" anywhere once asked these again, with a "Sorry" counted towards a handover.
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    person.say(answer)
    assert person.state() == states.CLOSED
    contact = person.contact()
    assert (contact.safe_from_minute, contact.safe_to_minute) == prompts.SAFE_HOURS["any"]


@pytest.mark.parametrize(
    ("language", "answer", "window"),
    [
        # Hours on the clock got "Sorry, I did not understand".
        ("en", "after 6pm", (18 * 60, 21 * 60)),
        ("en", "before 4", (9 * 60, 16 * 60)),
        ("en", "between 10 and 2", (10 * 60, 14 * 60)),
        ("pl", "po 18", (18 * 60, 21 * 60)),
        ("uk", "після 18", (18 * 60, 21 * 60)),
        ("ur", "6 بجے کے بعد", (18 * 60, 21 * 60)),
        ("ar", "بعد الساعة ٦", (18 * 60, 21 * 60)),
        # The hours before the option the words also name: "下午" (afternoon) and
        # "tarde" chose the afternoons, from noon, for someone safe only after six.
        ("zh", "下午6点以后", (18 * 60, 21 * 60)),
        ("es", "a partir de las 7 de la tarde", (19 * 60, 21 * 60)),
        # "vakarais po 18" (evenings, after six) was read as "po polsku" (in Polish)
        ("lt", "vakarais po 18", (18 * 60, 21 * 60)),
    ],
)
def test_safe_hours_named_on_the_clock_are_kept_as_named(
    runtime: Runtime, language: str, answer: str, window: tuple[int, int]
) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.CLOSED
    contact = person.contact()
    assert (contact.safe_from_minute, contact.safe_to_minute) == window


def test_the_summary_says_the_hours_kept_for_checkins(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    person.say("after 6pm")
    assert "- Check-ins: yes, between 18:00 and 21:00" in person.last().text.splitlines()


@pytest.mark.parametrize("answer", ["after 10pm", "not after 6", "5"])
def test_hours_outside_ours_or_ruled_out_are_asked_again(runtime: Runtime, answer: str) -> None:
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    person.say(answer)
    assert person.state() == states.SAFE_HOURS


@pytest.mark.parametrize(
    ("answer", "police"),
    [
        ("yes but don't give my name", "anonymous"),
        ("yes with my details", "named"),  # once a sure withdrawal of consent
    ],
)
def test_the_police_question_in_their_words(runtime: Runtime, answer: str, police: str) -> None:
    person = Person(runtime)
    walk_to(person, states.POLICE)
    person.say(answer)
    assert person.case().police_report == police
    assert person.state() in (states.POLICE_NAME, states.FOLLOWUP_CONSENT)


def test_after_close_add_to_the_report(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("He had a red jacket on")
    assert person.state() == states.ADD_OR_NEW
    reply = person.say("1")[0]
    assert person.case().reference in reply.text
    assert "He had a red jacket on" in (person.case().what_happened or "")
    assert person.state() == states.CLOSED


@pytest.mark.parametrize("after", [[], ["He had a red jacket on"]])
def test_what_happens_now_is_answered_from_what_they_chose(
    runtime: Runtime, after: list[str]
) -> None:
    # Once offered to be added to the report, and the next question kept with it.
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    account = person.case().what_happened
    for words in after:  # asked at "add it to your report, or make a new one?" too
        person.say(words)
    replies = person.say("what happens now?")
    reply = replies[0].text
    case = person.case()
    assert f"Your report {case.reference} is saved" in reply
    assert "will pass what you told us to Tell MAMA" in reply  # the one service agreed to
    assert "pass your report to the police, as you chose" in reply
    assert "check in with you at the times you chose" in reply
    assert "Nobody will contact you" not in reply
    assert case.what_happened == account
    if after:  # what they wrote waits for "add it to your report?", asked again
        assert person.state() == states.ADD_OR_NEW
        assert "add this to it" in replies[1].text
        person.say("1")
        assert "He had a red jacket on" in (person.case().what_happened or "")
    else:
        assert (len(replies), person.state()) == (1, states.CLOSED)


def test_what_happens_now_when_nothing_was_chosen(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    while person.state() == states.REFERRAL:
        person.say("no")
    person.say("1")  # the police: not now
    person.say("no")  # no check-ins: the report closes
    assert person.state() == states.CLOSED
    for question in ("when will someone contact me?", "what is this about?"):  # the second a help
        reply = person.say(question)[0].text
        assert "Nobody will contact you unless you ask" in reply
        assert "To talk to a person, send PERSON" in reply
        assert "hate crime" not in reply  # whoever holds the phone may be asking
        assert person.state() == states.CLOSED


def test_writing_more_instead_of_choosing_is_kept_with_the_addition(runtime: Runtime) -> None:
    # Once "Sorry, I did not understand", counted towards a handover, to someone who
    # went on telling us what was happening.
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("He was back outside my house today")
    reply = person.say("I am afraid to go out now")[0]
    assert reply.text.startswith("Thank you, I have kept that")
    assert "Sorry" not in reply.text
    assert person.state() == states.ADD_OR_NEW
    assert person.conversation().misunderstood == 0
    person.say("add it")
    told = person.case().what_happened or ""
    assert "He was back outside my house today\nI am afraid to go out now" in told
    assert person.state() == states.CLOSED


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        # "Añadir al informe" was kept as more to add, and the question asked again.
        ("es", "añadir al informe"),
        ("en", "add to the report"),
        ("pl", "dodaj do zgłoszenia"),
        ("zh", "加到报告"),
    ],
)
def test_add_to_the_report_in_words_adds_it(runtime: Runtime, language: str, answer: str) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("He was back outside my house today")
    speaking(person, language)
    person.say(answer)
    assert person.state() == states.CLOSED
    assert "He was back outside my house today" in (person.case().what_happened or "")


def test_what_is_added_in_the_words_that_choose_add_is_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("He was back outside my house today")
    person.say("add it to the report, he was wearing a red jacket and shouted at my son")
    assert person.state() == states.CLOSED
    told = person.case().what_happened or ""
    assert "He was back outside my house today\nadd it to the report, he was wearing" in told


def test_a_new_report_keeps_what_was_told_as_its_account(runtime: Runtime) -> None:
    # Asked "what happened?" after telling it, the person had to tell it again.
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    first = person.case().id
    person.say("today another man spat at me at Victoria station and called me a name")
    person.say("new report")
    assert person.state() == states.ANONYMITY
    assert person.case().id != first
    assert person.case().what_happened == (
        "today another man spat at me at Victoria station and called me a name"
    )
    person.say("1")  # stay anonymous
    assert person.state() == states.WHEN


@pytest.mark.parametrize("answer", ["no, nothing else", "no thanks", "thank you"])
def test_nothing_more_after_close_ends_it_and_adds_nothing(runtime: Runtime, answer: str) -> None:
    # "No, nothing else" was once kept as more to add, and the question asked again.
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    told = person.case().what_happened
    person.say("ok")
    assert person.state() == states.ADD_OR_NEW
    reply = person.say(answer)[0]
    assert reply.text.startswith("Thank you for letting us know")
    assert person.state() == states.CLOSED
    assert person.case().what_happened == told


@pytest.mark.parametrize(
    ("answer", "said", "missed"),
    [
        # A yes could add it or make a new report: asked which, no miss counted.
        ("yes please", "More than one of the options fits that", 0),
        ("evening", "Sorry", 1),
    ],
)
def test_a_short_answer_after_close_that_chooses_nothing_is_asked_again(
    runtime: Runtime, answer: str, said: str, missed: int
) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("He was back outside my house today")
    reply = person.say(answer)[0]
    assert reply.text.startswith(said)
    assert person.state() == states.ADD_OR_NEW
    assert person.conversation().misunderstood == missed


def test_second_report_from_the_same_address_is_a_repeat(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    first = person.case().reference
    person.say("it happened again")
    person.say("2")  # new report
    for answer in [
        "1",
        "They shouted at me again",
        "today",
        "Leeds",
        "1",
        "2",
        "because of my religion",
        "yes",
        "6",
        "3",
        "3",
        "3",
        "3",
    ]:
        person.say(answer)
    case = person.case()
    assert case.reference != first
    assert case.repeat_victim is True


# --- global commands -------------------------------------------------------------------


def test_help_explains_and_asks_the_same_question_again(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    reply = person.say("help")[0]
    assert "PERSON" in reply.text
    assert "STOP" in reply.text
    assert "Did this happen to you" in reply.text
    assert person.state() == states.ROLE


def test_start_again_discards_the_draft(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    old = person.case().reference
    reply = person.say("start again")[0]
    assert reply.text.startswith("OK, let us start again.")
    assert person.state() == states.ANONYMITY
    assert person.case().reference != old
    with runtime.sessions() as session:
        from cases.models import Case

        assert session.scalars(select(Case.reference)).all() == [person.case().reference]


def test_speak_to_a_person_then_carry_on(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHEN)
    reply = person.say("person")[0]
    assert "support officer" in reply.text
    assert person.state() == states.HANDOFF_WAIT
    assert [(h.reason, h.urgent) for h in person.case().handoffs] == [("asked_for_person", False)]
    waiting = person.say("are you there?")[0]
    assert "saved for the support officer" in waiting.text
    person.say("continue")
    assert person.state() == states.WHEN
    assert "When did it happen?" in person.last().text


def test_change_language_returns_to_the_same_question(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.OFFENDER_KNOWN)
    person.say("change language")
    assert person.state() == states.LANGUAGE_MENU
    person.say("English")
    assert person.state() == states.OFFENDER_KNOWN
    assert "Do you know who did it?" in person.last().text


def test_quick_exit_is_neutral_and_resumes_later(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHY)
    reply = person.say("exit")[0]
    assert reply.text == "Closed."
    assert reply.kind == "notice"
    assert person.state() == states.PAUSED
    back = person.say("hi")[0]
    assert "carry on where you left off" in back.text
    person.say("1")
    assert person.state() == states.WHY
    assert WHY_YOU in person.last().text


def test_stop_silences_everything_until_start(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    reply = person.say("STOP")[0]
    assert "no more messages" in reply.text
    assert person.say("hello?") == []
    assert person.wait(timedelta(days=40)) == []
    with runtime.sessions() as session:
        states_ = {row.state for row in session.scalars(select(FollowUp))}
    assert states_ == {"cancelled"}
    again = person.say("START")[0]
    assert "You will get messages from us again" in again.text
    assert person.contact().opted_out_at is None


@pytest.mark.parametrize("state", [states.FOLLOWUP_CONSENT, states.SAFE_HOURS, states.POLICE])
def test_stop_at_the_last_questions_submits_the_report(runtime: Runtime, state: str) -> None:
    # A STOP to "may we check in with you?" once left the report a draft that no officer
    # saw, with the referral the person had agreed to.
    person = Person(runtime)
    walk_to(person, state)
    reply = person.say("STOP")[0].text
    case = person.case()
    assert (case.status, case.submitted_at is not None) == ("submitted", True)
    assert f"Your reference number is {case.reference}" in reply
    assert "no more messages" in reply
    assert ("referral", True) in _consents(runtime)
    with runtime.sessions() as session:
        assert session.scalars(select(FollowUp)).all() == []  # no check-ins after STOP
    # After START the question is asked again: the report can still be finished.
    assert person.say("START")[0].text.startswith("Welcome back")
    assert person.state() == state


def test_a_report_submitted_at_stop_is_finished_after_start(runtime: Runtime) -> None:
    # STOP at the referral question, then START, offered only "make a new report" or
    # "talk to a person": the police and check-in questions could not be answered.
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    person.say("STOP")
    reference = person.case().reference
    again = person.say("START")
    assert again[0].text.startswith("Welcome back")
    assert person.state() == states.REFERRAL
    at = [state for state, _ in HAPPY_PATH].index(states.REFERRAL)
    for _, answer in HAPPY_PATH[at:]:
        person.say(answer)
    assert person.state() == states.CLOSED
    case = person.case()
    assert (case.reference, case.status) == (reference, "submitted")
    assert case.followup_consent
    with runtime.sessions() as session:
        assert session.scalars(select(FollowUp).where(FollowUp.state == "pending")).all()


def test_stop_before_the_risk_questions_leaves_a_draft(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("STOP")
    assert (person.case().status, person.state()) == ("draft", states.STOPPED)


def test_danger_interrupts_mid_report_and_the_report_goes_on(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    replies = person.say("he is outside my door now")
    assert "999" in replies[0].text
    assert "18000" in replies[0].text
    assert "urgently" in replies[0].text
    handoffs = person.case().handoffs
    assert [(h.reason, h.urgent) for h in handoffs] == [("danger", True)]
    # The message was also the answer to "where", and the report continues.
    assert person.state() == states.ROLE


def test_danger_after_asking_for_a_person_escalates_one_handoff(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("person")
    person.say("he has a knife")
    handoffs = person.case().handoffs
    assert [(h.reason, h.urgent) for h in handoffs] == [("asked_for_person", True)]


def test_self_harm_gets_samaritans(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    reply = person.say("I want to kill myself")[0]
    assert "116 123" in reply.text
    assert person.case().handoffs[0].reason == "self_harm"


def test_danger_and_self_harm_together_get_both_lines(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    reply = person.say("he is outside with a knife and I want to kill myself")[0]
    assert "116 123" in reply.text
    assert "999" in reply.text
    assert [(h.reason, h.urgent) for h in person.case().handoffs] == [("danger", True)]


@pytest.mark.parametrize(
    ("state", "answer"),
    [
        (states.WHERE, "bus stop"),  # once unsubscribed the person from every message
        (states.WHERE, "at the exit"),  # once the quick exit
        (states.WHAT_HAPPENED, "he won't stop"),  # a guess, in their own words
        # Put as questions, still answers: a reason, an unsure place, a long account.
        (states.WHY, "is it because I'm gay?"),
        (states.WHERE, "at the bus stop on Hyson Green?"),  # no question word
        (
            states.WHAT_HAPPENED,
            "why would a man I have never met shout at me on the bus that I should go home?",
        ),
    ],
)
def test_a_stop_exit_or_question_guessed_in_their_own_words_is_their_answer(
    runtime: Runtime, state: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    person.say(answer)
    assert person.state() not in (state, states.STOPPED, states.PAUSED)
    assert person.contact().opted_out_at is None


@pytest.mark.parametrize(
    ("answer", "state"),
    [
        ("STOP", states.STOPPED),
        ("exit", states.PAUSED),
        ("pls stop texting", states.STOPPED),  # once taken as where it happened
    ],
)
def test_stop_and_exit_said_as_such_still_act_where_people_write_freely(
    runtime: Runtime, answer: str, state: str
) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say(answer)
    assert person.state() == state


def test_danger_is_answered_even_after_stop(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("stop")
    replies = person.say("someone is following me")
    assert replies
    assert "999" in replies[0].text


def test_restart_of_the_process_resumes_mid_conversation(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = build_runtime(settings, clock=ManualClock(START))
    person = Person(first)
    walk_to(person, states.ROLE)
    first.database.dispose()

    second = build_runtime(settings, clock=ManualClock(START + timedelta(minutes=5)))
    person.runtime = second
    reply = person.say("1")[0]
    assert "Do you know who did it?" in reply.text
    assert person.state() == states.OFFENDER_KNOWN
    second.database.dispose()


def test_a_long_silence_asks_whether_to_carry_on(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.wait(timedelta(days=8))
    reply = person.say("1")[0]
    assert "carry on where you left off" in reply.text
    assert person.state() == states.PAUSED


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x07\x1b", "???", "12345"])
def test_free_text_question_gets_a_kind_reply_to_junk(runtime: Runtime, text: str) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    reply = person.say(text)[0]
    assert "Please write your answer in words" in reply.text
    assert person.state() == states.WHAT_HAPPENED


@pytest.mark.parametrize("state", [states.WHAT_HAPPENED, states.ROLE, states.CLOSED])
def test_unknown_commands_get_a_clear_reply(runtime: Runtime, state: str) -> None:
    person = Person(runtime)
    walk_to(person, state)
    reply = person.say("/frobnicate")[0]
    assert reply.text.startswith("I do not know that command.")
    assert person.state() == state


@pytest.mark.parametrize("text", ["", "😀", "banana", "\x00", "9"])
def test_option_question_gets_a_kind_reply_to_junk(runtime: Runtime, text: str) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    reply = person.say(text)[0]
    assert reply.text.startswith("Sorry, I did not understand")
    assert reply.choices  # the options come again
    assert person.state() == states.ROLE


def test_ten_thousand_characters_are_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    account = ("they shouted at me " * 600)[:10_000]
    person.say(account)
    assert person.case().what_happened == account
    assert person.state() == states.WHEN


def test_an_enormous_message_is_cut_and_the_person_told(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    replies = person.say("a" * 50_000)
    assert "very long" in replies[0].text
    assert len(person.case().what_happened or "") == 20_000


def test_control_characters_are_removed_from_answers(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("he\x00 pushed\x1b me")
    assert person.case().what_happened == "he pushed me"


def test_three_misunderstandings_bring_in_a_person(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.ROLE)
    person.say("banana")
    person.say("banana")
    reply = person.say("banana")[0]
    assert "asked a support officer to help" in reply.text
    assert person.case().handoffs[0].reason == "misunderstanding"
    # While they wait, more misses are met kindly but the handoff is not announced again.
    later = [person.say("banana")[0].text for _ in range(3)]
    assert not any("asked a support officer" in text for text in later)
    assert all("did not understand" in text for text in later)
    assert len(person.case().handoffs) == 1


def test_not_knowing_the_answer_is_reassured_not_counted_as_a_miss(runtime: Runtime) -> None:
    # "Not sure" to a consent question with no such option once got "Sorry, I did not
    # understand that" and, the third time, "I keep getting this wrong" and a handoff.
    person = Person(runtime)
    walk_to(person, states.REFERRAL)
    for answer in ("not sure", "no idea", "I can't remember"):
        reply = person.say(answer)[0]
        assert reply.text.startswith("That is all right. Please choose the answer closest")
        assert "May we pass your details" in reply.text
        assert person.state() == states.REFERRAL
    assert person.conversation().misunderstood == 0
    assert person.case().handoffs == []
    person.say("yes")
    assert person.state() == states.REFERRAL  # the next service's question


@pytest.mark.parametrize("answer", ["not sure", "I don't remember", "4"])
def test_not_knowing_whether_it_happened_before_is_an_answer(runtime: Runtime, answer: str) -> None:
    # A witness may not know: "No idea" was once read as "No" (it holds the word), and
    # with no such option a "not sure" was asked again until a person took over.
    person = Person(runtime)
    walk_to(person, states.RISK_PREVIOUS)
    person.say(answer)
    assert person.state() == states.RISK_IMPACT
    assert _risk_answers(person)["previous"] == "not_sure"


@pytest.mark.parametrize(
    ("state", "question", "explained"),
    [
        # Each held an option's words and was once taken as the answer: a consent to a
        # referral recorded, a name asked for, a report passed to the police.
        (states.REFERRAL, "what happens if I say yes?", "a support officer passes what"),
        (states.REFERRAL, "what is Tell MAMA?", "a support officer passes what"),
        (states.ANONYMITY, "do I have to give my name?", "Staying anonymous means"),
        (states.ANONYMITY, "what does anonymous mean?", "Staying anonymous means"),
        (states.POLICE, "can I do it without my name?", "Without your name, the police"),
        (states.PRIVACY, "who will see this?", "Only the hate crime support team"),
        (states.FOLLOWUP_CONSENT, "will you text me every day?", "a few short messages"),
        # "Why do you need that?" got only "a support officer can answer your questions".
        (states.ROLE, "why do you need to know?", "We ask so we can give the right advice"),
        (states.WHEN, "why do you need that?", "The date helps officers link"),
        (states.OFFENDER_KNOWN, "why are you asking?", "you may need more protection"),
        (states.RISK_HARM, "why do you need to know?", "how safe you are now"),
        (states.SAFE_HOURS, "why do you ask?", "only message you when it is safe"),
        # Written in their own words, each was once kept as the answer: the account, the
        # place of the incident, the reason it happened.
        (states.WHAT_HAPPENED, "what do you need to know?", "Tell us in your own words"),
        (states.WHERE, "do you need my exact address?", "do not need to give an exact"),
        (states.WHY, "why are you asking me that?", "We ask everyone this"),
    ],
)
def test_a_question_asked_back_is_answered_then_asked_again(
    runtime: Runtime, state: str, question: str, explained: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    consents = _consents(runtime)
    reply = person.say(question)[0]
    assert explained in reply.text
    assert person.state() == state
    assert person.conversation().misunderstood == 0
    assert _consents(runtime) == consents
    if state in _OWN_WORDS:
        assert getattr(person.case(), _OWN_WORDS[state]) is None


#: Where each question in the person's own words keeps the answer.
_OWN_WORDS = {
    states.WHAT_HAPPENED: "what_happened",
    states.WHEN: "occurred_text",
    states.WHERE: "location",
    states.WHY: "victim_words",
}


def _consents(runtime: Runtime) -> list[tuple[str, bool]]:
    with runtime.sessions() as session:
        return [(c.purpose, c.answer) for c in session.scalars(select(Consent))]


def test_voice_notes_get_a_kind_reply_and_photos_are_kept(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    voice = person.say("", media=("voice",))[0]
    assert "cannot listen to voice messages" in voice.text
    photo = person.say("", media=("photo",))[0]
    assert "kept that as evidence" in photo.text
    assert person.state() == states.WHAT_HAPPENED


def test_redelivered_message_changes_nothing(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say("Hello I need help", external_id="SM1")
    assert person.say("Hello I need help", external_id="SM1") == []
    assert person.state() == states.LANGUAGE_CONFIRM


def test_a_centres_sms_keyword_records_the_centre(runtime: Runtime) -> None:
    with runtime.sessions.begin() as session:
        add_centre(session, "LIB-7", "Central Library", "NG1", START, "test")
    person = Person(runtime)
    welcome = person.say("lib-7")
    assert welcome  # greeted as a first message
    assert person.conversation().centre == "LIB-7"
    # An unregistered code is just a first message.
    other = Person(runtime, address="+447700900777")
    other.say("NOPE-1")
    assert other.conversation().centre is None


def test_centre_is_recorded_from_the_first_message(runtime: Runtime) -> None:
    person = Person(runtime)
    person.say(HAPPY_PATH[0][1], centre="LIB42")
    for _state, answer in HAPPY_PATH[1:4]:
        person.say(answer)
    assert person.case().centre == "LIB42"


# --- check-ins -----------------------------------------------------------------------


def test_checkin_arrives_with_a_neutral_first_line_and_a_new_incident_links(
    runtime: Runtime,
) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    first = person.case()
    arrived = person.wait(timedelta(days=2, hours=12))
    assert len(arrived) == 1
    checkin = arrived[0]
    assert checkin.kind == "followup"
    assert checkin.text.splitlines()[0] == "Hello, is now a good time for a quick chat?"
    person.say("yes")
    person.say("a bit shaken")
    person.say("yes")  # something else happened
    assert person.state() == states.WHAT_HAPPENED
    second = person.case()
    assert second.linked_case_id == first.id
    assert second.repeat_victim is True


def test_checkin_satisfaction_is_stored(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.wait(timedelta(days=3))
    person.say("yes")
    person.say("better thanks")
    person.say("no")
    person.say("no")
    person.say("4")
    assert person.state() == states.CLOSED
    with runtime.sessions() as session:
        answered = [f.satisfaction for f in session.scalars(select(FollowUp)) if f.satisfaction]
    assert answered == [4]


def test_checkin_not_now_tries_again_another_day(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.wait(timedelta(days=3))
    reply = person.say("not now")[0]
    assert "another day" in reply.text
    again = person.wait(timedelta(days=1, hours=2))
    assert [r.kind for r in again] == ["followup"]


def test_urgent_handoff_is_recorded_on_the_case(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("they are still here I am scared")
    with runtime.sessions() as session:
        handoff = session.scalars(select(Handoff)).one()
    assert handoff.urgent is True


def test_thanks_after_close_is_a_goodbye(runtime: Runtime) -> None:
    # Asked "add to your report, or a new one?", the conversation waited on an answer
    # nobody meant to give, and every check-in was postponed, then dropped.
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    (reply,) = person.say("thank you")
    assert reply.text.startswith("You are welcome.")
    assert not reply.choices
    assert person.state() == states.CLOSED


def test_hello_after_close_offers_a_new_report_not_an_addition(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    reply = person.say("hello")[0]
    assert reply.choices == ["Make a new report", "Talk to a person"]
    person.say("1")
    assert person.state() == states.ANONYMITY


def test_waiting_for_a_person_outside_a_report_offers_nothing_to_carry_on(
    runtime: Runtime,
) -> None:
    person = Person(runtime)
    walk_to(person, states.CLOSED)
    person.say("person")
    reply = person.say("hello?")[0]
    assert "saved for the support officer" in reply.text
    assert reply.choices == []
    assert person.state() == states.HANDOFF_WAIT


def test_new_and_talk_to_a_person_are_the_commands_help_advertises(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHERE)
    person.say("NEW")
    assert person.state() == states.ANONYMITY
    person.say("talk to a person")
    assert person.state() == states.HANDOFF_WAIT


#: What each command word does, from "Where did it happen?" (where people write freely).
COMMAND_STATES = {
    "NEW": states.ANONYMITY,
    "PERSON": states.HANDOFF_WAIT,
    "LANGUAGE": states.LANGUAGE_MENU,
    "EXIT": states.PAUSED,
    "STOP": states.STOPPED,
    "HELP": states.WHERE,  # explained, and the question asked again
    "BACK": states.WHEN,
}
#: A local word named before an English command word: "SALIR (o EXIT)", '"خروج" (أو EXIT)'.
NAMED_BEFORE = re.compile(r"[(（]\S+ (BACK|NEW|PERSON|LANGUAGE|EXIT|STOP|HELP)[)）]")


def local_command_words(text: str) -> list[tuple[str, str]]:
    """Each (local word, English command) pair the text names, quoted or in capitals."""
    pairs = []
    for match in NAMED_BEFORE.finditer(text):
        before = text[: match.start()].rstrip()
        if before.endswith('"'):
            word = before[before.rindex('"', 0, len(before) - 1) + 1 : -1]
        else:
            capitals = []
            for token in reversed(before.split(" ")):
                if not token.isupper():
                    break
                capitals.insert(0, token)
            word = " ".join(capitals)
        assert word, f"no word before {match.group(0)!r} in {text!r}"
        pairs.append((word, match.group(1)))
    return pairs


@pytest.mark.parametrize("language", [lang for lang in available_languages() if lang != "en"])
def test_the_local_command_words_help_and_privacy_name_are_those_commands(
    runtime: Runtime, language: str
) -> None:
    # Help and the privacy notice named English words only (NEW, PERSON, EXIT...). A
    # local word named beside one must be a word the bot takes as that command, even
    # where people write freely ("salir" to "where did it happen?").
    texts = (prompts.help_text(), *prompts.privacy().body)
    named = {
        pair
        for text in texts
        for reading in ("standard", "easy_read")
        for pair in local_command_words(render_text(text, language, reading=reading))
    }
    assert {command for _word, command in named} >= {"BACK", "EXIT", "HELP", "LANGUAGE", "NEW"}
    for number, (word, command) in enumerate(sorted(named)):
        person = Person(runtime, address=f"+4477009{number:05d}")
        walk_to(person, states.WHERE)
        speaking(person, language)
        person.say(word)
        assert person.state() == COMMAND_STATES[command], (language, word, command)


def test_an_account_naming_the_platform_skips_where(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("Someone wrote abuse about my wheelchair on my Facebook page")
    person.say("yesterday")
    assert person.state() == states.ROLE
    assert person.case().online is True


def test_a_group_in_the_street_is_not_online(runtime: Runtime) -> None:
    # "A group of lads" was online (an Urdu cue, "group"): after where it happened, the
    # person was asked which app it was on.
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("A group of lads shouted go back to your own country at me and my wife")
    person.say("last night")
    person.say("City centre, Leeds")
    assert person.state() == states.ROLE
    assert not person.case().online


def test_the_strands_proposed_are_those_of_the_account_and_the_why(runtime: Runtime) -> None:
    # "Because we are Muslim" after "go back to your own country" was proposed as
    # religion alone: the account's race was only used when the why named nothing.
    person = Person(runtime)
    walk_to(person, states.WHAT_HAPPENED)
    person.say("A group of lads shouted go back to your own country at me and my wife")
    for answer in ("last night", "City centre, Leeds", "1", "2", "because we are Muslim"):
        person.say(answer)
    assert person.state() == states.STRANDS_CONFIRM
    person.say("yes")
    assert person.case().motivations == ["race", "religion"]


def test_a_plain_no_at_the_privacy_question_still_ends_it(runtime: Runtime) -> None:
    person = Person(runtime)
    walk_to(person, states.PRIVACY)
    person.say("I'd rather not")
    assert person.state() == states.NEW


@pytest.mark.parametrize("answer", ["actually he checks my phone", "no"])
def test_no_safe_time_declines_the_check_ins(runtime: Runtime, answer: str) -> None:
    # Once "Sorry", and asked again for a time to write to a phone someone else reads.
    person = Person(runtime)
    walk_to(person, states.SAFE_HOURS)
    person.say(answer)
    assert person.state() == states.CLOSED
    case = person.case()
    assert case.followup_consent is False
    assert [c.answer for c in case.consents if c.purpose == "followup"] == [True, False]
    with runtime.sessions() as session:
        assert session.scalars(select(FollowUp)).first() is None


#: What an answer in the person's own words was read as, by where it is recorded.
_RECORDED: dict[str, Callable[[Person], object]] = {
    "role": lambda person: person.case().reporter_role,
    # Where the answer led: anonymity is the default, so only moving on shows it read.
    "next": lambda person: person.state(),
    "known": lambda person: person.case().offender_known,
    "harm": lambda person: person.conversation().scratch["risk"]["harm"],
    "offender": lambda person: person.conversation().scratch["risk"]["offender"],
    "previous": lambda person: person.conversation().scratch["risk"]["previous"],
    "impact": lambda person: (person.case().risk_answers or {})["impact"],
    "referral": lambda person: [
        c.answer for c in person.case().consents if c.purpose == "referral"
    ],
    "police": lambda person: person.case().police_report,
    "checkins": lambda person: person.case().followup_consent,
}

#: (question, language, answer, what it is read as, where that is recorded).
IN_THEIR_WORDS: list[tuple[str, str, str, object, str]] = [
    # It happened to them and someone else: once "Sorry" (two options named).
    (states.ROLE, "en", "both, it was me and my wife", "victim", "role"),
    (states.ROLE, "en", "my son and me", "victim", "role"),
    (states.ROLE, "es", "a mí y a mi hijo", "victim", "role"),
    (states.ROLE, "ar", "أنا وابني", "victim", "role"),
    (states.ROLE, "zh", "我和我儿子", "victim", "role"),
    # not them: still the other option
    (states.ROLE, "en", "not me, my son", "parent", "role"),
    # "No, first time": a no before a comma still answers.
    (states.RISK_PREVIOUS, "en", "no, first time", "no", "previous"),
    (states.RISK_PREVIOUS, "pt", "não, é a primeira vez", "no", "previous"),
    (states.RISK_PREVIOUS, "zh", "第一次", "no", "previous"),
    # How long it has gone on: once asked "which yes?", or "Sorry".
    (states.RISK_PREVIOUS, "en", "yes, for months", "many", "previous"),
    (states.RISK_PREVIOUS, "en", "it's been happening for a year", "many", "previous"),
    (states.RISK_PREVIOUS, "uk", "так, вже місяць", "many", "previous"),
    (states.RISK_PREVIOUS, "es", "sí, desde hace meses", "many", "previous"),
    (states.RISK_PREVIOUS, "pl", "tak, od miesiąca", "many", "previous"),
    # Said with a "not", once "Sorry"; unsure of it, still not sure.
    (states.RISK_PREVIOUS, "en", "it hasn't happened before", "no", "previous"),
    (states.RISK_PREVIOUS, "en", "not sure if it happened before", "not_sure", "previous"),
    # An attack's words after a threat's once recorded an attack, a high risk and
    # a handover; the rest got "Sorry, I did not understand".
    (states.RISK_HARM, "en", "he said he'd beat me up", "threatened", "harm"),
    # A threat told in words, once "Sorry, I did not understand" (QA, session 24).
    (states.RISK_HARM, "pl", "kopnął drzwi i powiedział, że mnie dopadnie", "threatened", "harm"),
    (states.RISK_HARM, "ar", "لم يضربني لكنه قال سأحرق شقتك", "threatened", "harm"),
    (states.RISK_PREVIOUS, "pl", "tak, to już kolejny raz", "many", "previous"),
    (states.ANONYMITY, "ar", "أفضل ألا أذكر اسمي", states.WHAT_HAPPENED, "next"),
    (states.ANONYMITY, "ar", "bala esm", states.WHAT_HAPPENED, "next"),
    # Known from a report before; not knowing who, with 谁 (who) in it, is no question.
    (states.OFFENDER_KNOWN, "en", "its the same man as last time", "yes", "known"),
    (states.OFFENDER_KNOWN, "en", "same as before", "yes", "known"),
    (states.OFFENDER_KNOWN, "zh", "不知道是谁，是群里的人", "no", "known"),
    (states.RISK_HARM, "en", "he threatened to punch me", "threatened", "harm"),
    (states.RISK_HARM, "en", "he told me he'd get me", "threatened", "harm"),
    # a danger, told in answer
    (states.RISK_HARM, "en", "he said he would kill me", "threatened", "harm"),
    (states.RISK_HARM, "en", "they said they'd burn my house down", "threatened", "harm"),
    # the attack, undenied
    (states.RISK_HARM, "en", "he punched me and said he'd kill me", "hurt", "harm"),
    (states.RISK_HARM, "ar", "قال إنه سيقتلني", "threatened", "harm"),
    (states.RISK_HARM, "bn", "মেরে ফেলবে বলেছে", "threatened", "harm"),
    # "bygwth", mutated
    (states.RISK_HARM, "cy", "wnaeth e fygwth fy nharo", "threatened", "harm"),
    (states.RISK_HARM, "es", "dijo que me iba a matar", "threatened", "harm"),
    (states.RISK_HARM, "fa", "گفت می‌کشمت", "threatened", "harm"),
    (states.RISK_HARM, "fr", "il a dit qu'il allait me frapper", "threatened", "harm"),
    (states.RISK_HARM, "lt", "grasino sumušti", "threatened", "harm"),
    (states.RISK_HARM, "pa", "ਕਿਹਾ ਕਿ ਮਾਰ ਦੇਵੇਗਾ", "threatened", "harm"),
    (states.RISK_HARM, "pl", "groził że mnie pobije", "threatened", "harm"),
    (states.RISK_HARM, "pt", "disse que me ia bater", "threatened", "harm"),
    (states.RISK_HARM, "ro", "a zis că mă bate", "threatened", "harm"),
    (states.RISK_HARM, "so", "wuxuu yiri waan ku garaacayaa", "threatened", "harm"),
    (states.RISK_HARM, "uk", "сказав, що поб'є мене", "threatened", "harm"),
    (states.RISK_HARM, "ur", "اس نے کہا وہ مجھے مار دے گا", "threatened", "harm"),
    (states.RISK_HARM, "zh", "他说要打我", "threatened", "harm"),
    (states.RISK_HARM, "zh", "他打了我", "hurt", "harm"),
    # Only words: once "Sorry".
    (states.RISK_HARM, "en", "he only shouted", "no", "harm"),
    (states.RISK_HARM, "es", "solo insultos", "no", "harm"),
    (states.RISK_HARM, "zh", "只是骂我", "no", "harm"),
    (states.RISK_HARM, "ur", "sirf gaali di", "no", "harm"),
    (states.RISK_HARM, "en", "just words but he said he'd kill me", "threatened", "harm"),
    # "Could the person who did this find you again?" in the person's words: these
    # got "Sorry", or (Polish) were read as not sure.
    (states.RISK_OFFENDER, "en", "he knows where I live", "yes", "offender"),
    (states.RISK_OFFENDER, "en", "she lives next door", "yes", "offender"),
    (states.RISK_OFFENDER, "en", "they don't know where I live", "no", "offender"),
    (states.RISK_OFFENDER, "en", "they don't live near me", "no", "offender"),  # a yes denied
    (states.RISK_OFFENDER, "en", "not a neighbour, just some guy", "no", "offender"),
    (states.RISK_OFFENDER, "pl", "nie wie gdzie mieszkam", "no", "offender"),
    (states.RISK_OFFENDER, "pl", "mieszka nade mną", "yes", "offender"),
    (states.RISK_OFFENDER, "zh", "他不知道我住哪", "no", "offender"),
    (states.RISK_OFFENDER, "zh", "他是我邻居", "yes", "offender"),
    (states.RISK_OFFENDER, "ar", "جاري", "yes", "offender"),
    (states.RISK_OFFENDER, "ur", "usko nahi pata main kahan rehta hun", "no", "offender"),
    # I don't know: still not sure
    (states.RISK_OFFENDER, "ur", "mujhe nahi pata", "not_sure", "offender"),
    (states.RISK_OFFENDER, "fr", "il ne sait pas où j'habite", "no", "offender"),
    (states.RISK_OFFENDER, "so", "waa derisku", "yes", "offender"),
    # Denied: "not a lot" was the gravest impact, "no estoy bien" (I'm not well) a
    # little; "I can't cope" was taken for "I don't know".
    (states.RISK_IMPACT, "en", "not a lot", "mild", "impact"),
    (states.RISK_IMPACT, "pl", "nie za bardzo", "mild", "impact"),
    (states.RISK_IMPACT, "en", "I'm not ok", "moderate", "impact"),
    (states.RISK_IMPACT, "es", "no estoy bien", "moderate", "impact"),
    (states.RISK_IMPACT, "ar", "مش منيح", "moderate", "impact"),
    # "ne ... pas": one "not"
    (states.RISK_IMPACT, "fr", "je ne vais pas bien", "moderate", "impact"),
    (states.RISK_IMPACT, "zh", "不太好", "moderate", "impact"),
    (states.RISK_IMPACT, "en", "I can't cope", "severe", "impact"),
    (states.RISK_IMPACT, "ro", "nu prea mult", "mild", "impact"),
    (states.RISK_IMPACT, "en", "not too bad", "mild", "impact"),
    # A no to "how much is it affecting you?" is the least; a no before a comma denies
    # nothing after it.
    (states.RISK_IMPACT, "en", "no", "mild", "impact"),
    (states.RISK_IMPACT, "bn", "না", "mild", "impact"),
    (states.RISK_IMPACT, "en", "no, a lot actually", "severe", "impact"),
    (states.RISK_IMPACT, "en", "no, not a lot", "mild", "impact"),
    # "I don't need support" got the help text ("help" is a command); "that would
    # help" too, and "I'd like that" got "Sorry".
    (states.REFERRAL, "en", "I don't need support", [False], "referral"),
    (states.REFERRAL, "en", "that would help", [True], "referral"),
    (states.REFERRAL, "en", "I'd like that", [True], "referral"),
    (states.REFERRAL, "es", "no necesito ayuda", [False], "referral"),
    (states.REFERRAL, "pl", "nie potrzebuję pomocy", [False], "referral"),
    (states.REFERRAL, "zh", "不需要帮助", [False], "referral"),
    # Once "Sorry", or (Spanish) a handover to an officer, asked for by nobody.
    (states.POLICE, "en", "don't tell the police", "none", "police"),
    (states.POLICE, "en", "I don't trust the police", "none", "police"),
    (states.POLICE, "en", "I'll think about it", "none", "police"),
    # once "which one?"
    (states.POLICE, "en", "yes but keep my name out of it", "anonymous", "police"),
    (states.POLICE, "en", "only if they don't know my name", "anonymous", "police"),
    (states.POLICE, "es", "no quiero policía", "none", "police"),
    (states.POLICE, "ar", "بلا شرطة", "none", "police"),
    (states.POLICE, "ur", "police ko nahi batana", "none", "police"),
    (states.POLICE, "pl", "tak, bez podawania nazwiska", "anonymous", "police"),
    # "He reads my phone" got "Sorry": a check-in there could be read by him.
    (states.FOLLOWUP_CONSENT, "en", "not sure, he reads my phone", False, "checkins"),
    (states.FOLLOWUP_CONSENT, "es", "me revisa el móvil", False, "checkins"),
    (states.FOLLOWUP_CONSENT, "zh", "他会看我手机", False, "checkins"),
    (states.FOLLOWUP_CONSENT, "en", "I'm ok thanks", False, "checkins"),
    # that works: once taken for "maybe"
    (states.FOLLOWUP_CONSENT, "pl", "może być", True, "checkins"),
]


@pytest.mark.parametrize(("state", "language", "answer", "read", "recorded"), IN_THEIR_WORDS)
def test_answers_in_their_own_words(
    runtime: Runtime, state: str, language: str, answer: str, read: object, recorded: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    person.say(answer)
    assert _RECORDED[recorded](person) == read


#: (question, language, answer) understood, thanked or explained, and asked again.
ASKED_AGAIN: list[tuple[str, str, str]] = [
    # A no, but to giving a name: it once ended the report ("Nothing has been saved").
    (states.PRIVACY, "en", "I don't want to give my name"),
    (states.PRIVACY, "en", "do I have to give my name"),
    (states.PRIVACY, "ur", "naam nahi dena"),
    (states.PRIVACY, "es", "no quiero dar mi nombre"),
    (states.PRIVACY, "zh", "我不想留名字"),
    # "анонімною", as a woman says it, once got "Sorry"
    (states.PRIVACY, "uk", "я хочу залишитися анонімною"),
    # "Not the first time" holds "first time" (no): it once recorded that nothing
    # had happened before, losing the repeat victimisation.
    (states.RISK_PREVIOUS, "en", "not the first time"),
    (states.RISK_PREVIOUS, "en", "no, not the first time"),
    (states.RISK_PREVIOUS, "es", "no es la primera vez"),
    (states.RISK_PREVIOUS, "pt", "não é a primeira vez"),
    (states.RISK_PREVIOUS, "pl", "to nie pierwszy raz"),
    (states.RISK_PREVIOUS, "fr", "ce n'est pas la première fois"),
    (states.RISK_PREVIOUS, "ar", "مش أول مرة"),
    (states.RISK_PREVIOUS, "zh", "不是第一次了"),
    (states.RISK_PREVIOUS, "uk", "не вперше"),  # guessed "not sure"
    (states.RISK_PREVIOUS, "fa", "بار اول نیست"),  # the "not" after what it denies
    (states.RISK_PREVIOUS, "ur", "pehli baar nahi"),
    (states.RISK_PREVIOUS, "bn", "প্রথমবার না"),
    # A yes without a count once got "Sorry", or was guessed a no.
    (states.RISK_PREVIOUS, "en", "it's happened before"),
    (states.RISK_PREVIOUS, "ur", "pehle bhi hua hai"),
    (states.RISK_PREVIOUS, "ro", "s-a mai întâmplat"),
    # "I'm not fine" holds "fine" (a little): it is asked which of the others.
    (states.RISK_IMPACT, "en", "I'm not fine"),
]


@pytest.mark.parametrize(("state", "language", "answer"), ASKED_AGAIN)
def test_answers_asked_again_with_no_miss(
    runtime: Runtime, state: str, language: str, answer: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    person.say(answer)
    assert person.state() == state
    assert not person.conversation().misunderstood
    person.say("1")
    assert person.state() != state


@pytest.mark.parametrize(
    ("state", "language", "question", "explained"),
    [
        # Read as withdrawing a consent: "there is nothing to withdraw".
        (states.PRIVACY, "es", "¿qué pasa con mis datos?", "Solo el equipo de apoyo"),
        # Kept as the date, and the report went on to "where?".
        (states.WHEN, "pl", "co się stanie z moimi danymi?", "To, co nam piszesz"),
        # Answered with what to write about what happened.
        (states.WHAT_HAPPENED, "en", "what happens to my data?", "Only the hate crime"),
        (states.ROLE, "zh", "谁能看到这些？", "只有仇恨犯罪支持团队"),
        (states.REFERRAL, "ar", "شو رح يصير ببياناتي؟", "لا يقرأ ما تخبرنا به"),
    ],
)
def test_a_question_about_what_happens_to_the_data_is_answered_anywhere(
    runtime: Runtime, state: str, language: str, question: str, explained: str
) -> None:
    person = Person(runtime)
    walk_to(person, state)
    speaking(person, language)
    asked = person.say(question)[-1].text
    assert asked.startswith(explained)
    assert person.state() == state
