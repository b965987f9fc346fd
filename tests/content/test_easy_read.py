"""Easy Read: chosen once, then every key message of the conversation comes in Easy Read.

A person picks their language and Easy Read, makes a whole report and gets a check-in
days later. Every message the service renders is captured: each text that has an Easy
Read alternative must reach the person in its Easy Read wording (in their language),
never in the standard one, and the key messages must all have been among them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from bot import service as service_module
from bot import states
from bot.messages import Lines, OutboundMessage, RenderedMessage, Text
from bot.runtime import Runtime
from cases.models import Consent
from content.i18n import language_name, translations
from content.render import render, render_text
from content.texts import EASY_READ, EASY_READ_CONTEXT, STANDARD, RichText
from followup import dispatch as dispatch_module
from tests.auxil.person import Person

#: Free text in each tested language: the account, the place and the reason.
ANSWERS = {
    "en": (
        "Two men on the bus shouted at me and pushed me because of my religion.",
        "On the bus on the High Street",
        "Because I am Muslim and I wear a headscarf.",
    ),
    "pl": (
        "Dwóch mężczyzn w autobusie krzyczało na mnie z powodu mojej religii i mnie popchnęło.",
        "W autobusie na High Street",
        "Bo jestem muzułmanką i noszę chustę.",
    ),
    "ur": (
        "بس میں دو آدمیوں نے میرے مذہب کی وجہ سے مجھ پر چیخا اور مجھے دھکا دیا۔",
        "ہائی اسٹریٹ پر بس میں",
        "کیونکہ میں مسلمان ہوں اور حجاب پہنتی ہوں۔",
    ),
    "ar": (
        "صرخ رجلان في الحافلة في وجهي بسبب ديني ودفعاني.",
        "في الحافلة في الشارع الرئيسي",
        "لأنني مسلمة وأرتدي الحجاب.",
    ),
}

#: The option to pick in each state (by number), for a report that reaches every step.
OPTION_BY_STATE = {
    states.READING: "1",  # Yes, Easy Read
    states.PRIVACY: "1",
    states.ANONYMITY: "1",
    states.WHEN: "2",
    states.ROLE: "1",
    states.OFFENDER_KNOWN: "2",
    states.STRANDS_CONFIRM: "1",
    states.STRANDS_SELECT: "2",
    states.RELIGION: "5",
    states.RISK_HARM: "3",  # no one hurt or threatened: a hate incident
    states.RISK_OFFENDER: "3",  # medium risk in all: the check-in is not held for an officer
    states.RISK_PREVIOUS: "3",
    states.RISK_IMPACT: "1",  # badly affected: "you matter", Samaritans
    states.REFERRAL: "1",
    states.POLICE: "1",  # not now: how to report later
    states.FOLLOWUP_CONSENT: "1",
    states.SAFE_HOURS: "4",
    states.CHECKIN_TIME: "1",
}

#: Easy Read wordings (English msgids) that a whole report must have delivered.
KEY_MESSAGES = (
    # privacy consent
    "What you tell us is private. We keep it safe. Only our support team can see it. "
    "We will not tell the police unless you say yes.",
    "Do you want to go on?",
    # the questions of the report
    "You do not have to tell us your name. We can still help you. "
    "Do you want to tell us your name?",
    "Tell me what happened. Use your own words. Take your time.",
    'When did it happen? You can write a day. For example: "last night".',
    "Where did it happen? For example: a street, a bus or your home. "
    "If it was online, tell me the app or website.",
    "Did this happen to you? Or to someone else?",
    "Do you know the person who did it?",
    # why do you think this happened
    "Why do you think they did this to you?",
    "Any answer is OK. You do not need proof. Use your own words.",
    "I think it was because of: {strands}.",
    "Now some short questions. They help us know if you are safe.",
    "Was anyone attacked or hurt? Did anyone say they would hurt you or someone else?",
    "Could the person find you again? For example, do they live near you? "
    "Do they keep contacting you?",
    "Has this happened to you before?",
    "How much does this upset you or your family?",
    # next steps
    "Thank you for telling us. What happened was wrong. It was not your fault.",
    "You matter. You are not alone.",
    "This is a hate incident. You can tell the police, even if it is not a crime. Call 101. Or "
    "go to report-it.org.uk.",
    "Keep your phone charged. Tell someone you trust where you are going. In danger? Call 999.",
    "These can help you:",
    "Can we give your details to {service}? Then they can contact you.",
    "Do you want us to tell the police about this?",
    "You can still tell the police later. You do not have to give your name. Call 101. Or "
    "go to report-it.org.uk. Or call Stop Hate UK on 0800 138 1625.",
    "Can we message you in a few days to ask how you are?",
    # the submitted message and its reference
    "Thank you. We have saved your report. Your reference number is {reference}.",
    "You can message us here any time. Keep your reference number. You need it to talk to "
    "the police or a support service.",
    # the follow-up check-in
    "Hello. Can you talk now?",
    "Thank you. This is TellSafe. We want to know how you are.",
    "How do you feel now?",
)


@dataclass
class Captured:
    """What the service rendered: the engine's message, the preference, and the words."""

    sent: list[tuple[OutboundMessage, str, str, RenderedMessage]] = field(default_factory=list)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Captured:
    record = Captured()
    real: Callable[..., RenderedMessage] = render

    def spy(message: OutboundMessage, language: str, *args: Any, **kwargs: Any) -> RenderedMessage:
        result = real(message, language, *args, **kwargs)
        record.sent.append((message, language, kwargs.get("reading", STANDARD), result))
        return result

    monkeypatch.setattr(service_module, "render", spy)
    # The follow-up dispatcher renders check-ins itself (batched), with the same function.
    if hasattr(dispatch_module, "render"):
        monkeypatch.setattr(dispatch_module, "render", spy)
    return record


def texts_of(message: OutboundMessage) -> list[Text]:
    found: list[Text] = []
    for part in message.body:
        found.extend(part.items if isinstance(part, Lines) else (part,))
    return found


def choose_language(person: Person, language: str) -> None:
    """Say hello, open the language menu if needed, and pick ``language`` by its number."""
    replies = person.say("hello")
    for _ in range(2):
        labels = replies[-1].choices
        if language == "en" and "Yes" in labels:
            person.say(str(labels.index("Yes") + 1))
            return
        if language_name(language) in labels:
            person.say(str(labels.index(language_name(language)) + 1))
            return
        replies = person.say(str(labels.index("Choose another language") + 1))
    raise AssertionError(f"{language} is not in the language menu")


def make_report(person: Person, language: str) -> None:
    account, place, why = ANSWERS[language]
    free = {states.WHAT_HAPPENED: account, states.WHERE: place, states.WHY: why}
    for _ in range(40):
        state = person.state()
        if state == states.CLOSED:
            return
        person.say(free.get(state) or OPTION_BY_STATE[state])
    raise AssertionError(f"{language}: the report did not close")


@pytest.mark.parametrize("language", ["ur", "ar", "pl", "en"])
def test_easy_read_across_a_whole_conversation(
    runtime: Runtime, captured: Captured, language: str
) -> None:
    person = Person(runtime)
    choose_language(person, language)
    assert person.state() == states.READING
    before = len(captured.sent)
    make_report(person, language)
    assert person.contact().reading == EASY_READ
    # The check-in days later uses the preference stored on the contact.
    checkin = person.wait(timedelta(days=3))
    assert checkin, "no check-in arrived"
    person.say(OPTION_BY_STATE[states.CHECKIN_TIME])

    catalog = translations(language)
    delivered: set[str] = set()
    for message, lang, reading, result in captured.sent[before:]:
        assert lang == language
        assert reading == EASY_READ
        assert "{" not in result.text, result.text
        for text in texts_of(message):
            if not (isinstance(text, RichText) and text.easy):
                continue
            easy = render_text(text, language, reading=EASY_READ)
            standard = render_text(text, language)
            assert easy == render_text(Text(text.easy, text.params, EASY_READ_CONTEXT), language)
            assert easy in result.text.replace("\u200e", ""), (language, text.easy)
            if easy != standard:
                assert standard not in result.text, (language, text.msgid)
            delivered.add(text.easy)
            # Translated, not the English Easy Read source (except English itself).
            if language != "en":
                assert str(catalog.pgettext(EASY_READ_CONTEXT, text.easy)) != text.easy
    missing = [key for key in KEY_MESSAGES if key not in delivered]
    assert not missing, f"{language}: never delivered in Easy Read: {missing}"


def test_consent_records_the_easy_read_wording_shown(runtime: Runtime) -> None:
    person = Person(runtime)
    choose_language(person, "pl")
    person.say("1")  # Easy Read
    person.say("1")  # carry on
    with runtime.sessions() as session:
        consent = session.query(Consent).one()
    assert consent.wording == "Czy chcesz iść dalej?"
    assert consent.language == "pl"
    standard = Person(runtime, address="+447700900999")
    choose_language(standard, "pl")
    standard.say("2")  # usual wording
    standard.say("1")
    with runtime.sessions() as session:
        versions = {c.wording_version for c in session.query(Consent).all()}
    assert len(versions) == 2  # Easy Read wording is its own version


def test_standard_reading_gets_no_easy_read(runtime: Runtime, captured: Captured) -> None:
    person = Person(runtime)
    choose_language(person, "ur")
    person.say("2")  # usual wording
    assert person.contact().reading == STANDARD
    person.say("1")
    assert all(reading == STANDARD for *_rest, reading, _result in captured.sent)
    privacy = render_text(
        Text(
            "What you tell us is private. We keep it safe. Only our support team can see it. "
            "We will not tell the police unless you say yes.",
            (),
            EASY_READ_CONTEXT,
        ),
        "ur",
    )
    assert all(privacy not in result.text for *_rest, result in captured.sent)
