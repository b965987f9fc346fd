from __future__ import annotations

from datetime import datetime

import pytest

from nlu import parse as p
from nlu.embedded import EmbeddedUnderstander

ENGLISH = [
    ("stop", p.STOP),
    ("STOP", p.STOP),
    ("help me", p.HELP),
    ("can I talk to a real person", p.HUMAN),
    ("start again", p.RESTART),
    ("change language", p.LANGUAGE),
    ("exit", p.EXIT),
    ("delete my data", p.DELETE),
    ("withdraw consent", p.WITHDRAW),
    ("carry on", p.CONTINUE),
    ("thank you", p.THANKS),
    ("no", p.NO),
    ("nope", p.NO),
    ("nah", p.NO),
    ("not really", p.NO),
    ("yes", p.YES),
    ("yeah", p.YES),
    ("ok", p.YES),
    ("sure", p.YES),
    ("👍", p.YES),
    ("not sure", p.NOT_SURE),
    ("hi", p.GREETING),
    ("hello", p.GREETING),
    ("Yess", p.YES),
    ("noooo", p.NO),
]


@pytest.mark.parametrize(("text", "intent"), ENGLISH)
def test_english_intents(
    understander: EmbeddedUnderstander, now: datetime, text: str, intent: str
) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert parse.intent == intent
    assert 0.0 <= parse.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "he wouldn't stop shouting at me",
        "they kept following me and shouting at me to stop speaking polish and go back home",
        "I went to the shop and the man started calling me names"
        " and said people like me should exit the country",
        "she said she would delete my posts if I complained",
    ],
)
def test_commands_inside_descriptions_are_reports(
    understander: EmbeddedUnderstander, now: datetime, text: str
) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert parse.intent not in {p.STOP, p.HELP, p.EXIT, p.DELETE, p.START, p.RESTART}
    assert parse.intent in {p.REPORT, p.NONE}


def test_numbers_are_choices(understander: EmbeddedUnderstander, now: datetime) -> None:
    assert understander.parse("2", language="en", now=now).numbers == (2,)
    assert understander.parse("2 and 5", language="en", now=now).numbers == (2, 5)
    assert understander.parse("the second one", language="en", now=now).numbers == (2,)
    assert understander.parse("option 2", language="en", now=now).numbers == (2,)
    assert understander.parse("1, 3 and 5", language="en", now=now).numbers == (1, 3, 5)
    assert understander.parse("دو", language="fa", now=now).numbers == (2,)
    assert understander.parse("um", language="pt", now=now).numbers == (1,)
    assert understander.parse("numéro un", language="fr", now=now).numbers == (1,)


@pytest.mark.parametrize(("text", "language"), [("un peu", "fr"), ("un poco", "es")])
def test_a_little_is_no_request_for_a_person(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    # A sure "human" (0.95) once: the answer "a little" would have handed them over.
    assert understander.parse(text, language=language, now=now).intent != p.HUMAN


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2 weeks ago", "en"),
        ("two of them did it", "en"),
        ("از دو هفته پیش", "fa"),  # "since two weeks ago", not option 2
        ("2 tygodnie temu", "pl"),
        ("um pouco", "pt"),  # a little: "um" is "one" and "a", and once chose option 1
        ("un peu", "fr"),
    ],
)
def test_a_number_among_words_is_not_a_choice(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert understander.parse(text, language=language, now=now).numbers == ()


def test_long_replies_hold_no_choices(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse(
        "he hit me 3 times outside the shop on the high street last night",
        language="en",
        now=now,
    )
    assert parse.numbers == ()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Once no command at all: at a question in the person's own words, the answer.
        ("en", "i dont want any more messages"),
        ("zh", "别再给我发了"),
        ("ar", "وقفوا الرسائل"),
        ("pl", "przestańcie do mnie pisać"),  # once only guessed
    ],
)
def test_asking_for_no_more_messages_is_stop_word_for_word(
    understander: EmbeddedUnderstander, now: datetime, language: str, text: str
) -> None:
    parse = understander.parse(text, language=language, now=now)
    assert (parse.intent, parse.verbatim) == (p.STOP, True)


@pytest.mark.parametrize(
    ("text", "intent", "verbatim"),
    [
        ("STOP", p.STOP, True),
        ("stop messaging me", p.STOP, True),
        ("exit", p.EXIT, True),
        ("bus stop", p.NONE, True),  # a place: once a sure STOP
        ("please stop texting me", p.STOP, True),
        ("pls stop texting", p.STOP, True),  # "stop texting", with a courtesy word
        ("just stop", p.STOP, True),
        ("stop texting me now", p.STOP, False),  # understood, but guessed
    ],
)
def test_a_command_read_word_for_word_is_verbatim(
    understander: EmbeddedUnderstander, now: datetime, text: str, intent: str, verbatim: bool
) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert (parse.intent, parse.verbatim) == (intent, verbatim)


@pytest.mark.parametrize("text", ["they won't stop", "he won't stop", "make it stop", "tram stop"])
def test_an_account_or_a_place_with_stop_in_it_is_no_stop(
    understander: EmbeddedUnderstander, now: datetime, text: str
) -> None:
    assert understander.parse(text, language="en", now=now).intent != p.STOP


@pytest.mark.parametrize(
    ("text", "language", "lead"),
    [
        ("ايه، ولاد بصفها", "ar", p.YES),  # yeah, boys in her class
        ("yeah, a guy from work", "en", p.YES),
        ("no, I don't know them", "en", p.NO),
        ("yes", "en", None),  # nothing follows: the intent itself says it
        ("a man, I think", "en", None),
    ],
)
def test_the_yes_or_no_a_message_opens_with(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, lead: str | None
) -> None:
    assert understander.parse(text, language=language, now=now).lead == lead


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("sim", {"pt"}),
        ("oui", {"fr"}),
        ("da", {"ro"}),
        # Ukrainian is also typed in Latin letters; in them, "tak" is Polish.
        ("tak", {"pl"}),
        ("так", {"uk"}),
        ("sí, claro", set()),  # not word for word in any language's data
    ],
)
def test_the_languages_a_word_for_word_answer_is_in(
    understander: EmbeddedUnderstander, now: datetime, text: str, languages: set[str]
) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert parse.intent == p.YES
    assert parse.verbatim_in == languages


def test_a_word_of_many_languages_is_in_all_of_them(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    assert {"en", "es", "pl", "pt"} <= understander.parse("ok", language="en", now=now).verbatim_in
