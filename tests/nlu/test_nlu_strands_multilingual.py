"""Strand vocabulary, language requests, Arabizi and romanised Punjabi (written for tests,
not copied from the training or held-out data)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cases.codes import (
    AGE,
    ALTERNATIVE_SUBCULTURE,
    DISABILITY,
    RACE,
    RELIGION,
    SEX_GENDER,
    SEXUAL_ORIENTATION,
    TRANSGENDER,
)
from nlu import parse as p
from nlu.embedded import EmbeddedUnderstander


@pytest.mark.parametrize(
    ("text", "language", "strand"),
    [
        ("riram-se da minha bengala no café", "pt", DISABILITY),
        ("chamou sapatão à minha irmã", "pt", SEXUAL_ORIENTATION),
        ("хлопці висміювали мою палицю", "uk", DISABILITY),
        ("обізвав мене гомофобними словами бо я гей", "uk", SEXUAL_ORIENTATION),
        ("il a jeté mes béquilles par terre", "fr", DISABILITY),
        ("elle a tiré sur mon foulard", "fr", RELIGION),
        ("se rieron de mis muletas en el bus", "es", DISABILITY),
        ("mi-au furat bastonul in tramvai", "ro", DISABILITY),
        ("wyśmiewali moją jarmułkę", "pl", RELIGION),
        ("gwneud hwyl am fy ffon wen", "cy", DISABILITY),
        ("عصاي البيضاء رماها على الأرض", "ar", DISABILITY),
        ("ویلچرمو تو خیابون هل داد", "fa", DISABILITY),
        ("আমার হুইল চেয়ার উল্টে দিল", "bn", DISABILITY),
        ("他笑我是聋子", "zh", DISABILITY),
        ("gotas esu, todėl mane apspjaudė", "lt", ALTERNATIVE_SUBCULTURE),
        ("ohne meri faudi sutt ditti", "pa", DISABILITY),
        ("me llamó travesti asqueroso", "es", TRANSGENDER),
        ("disse que lugar de mulher é no tanque", "pt", SEX_GENDER),
        ("mi-a zis ca sunt prea batran ca sa ma mai angajeze", "ro", AGE),
        ("il m'a dit rentre dans ton pays sale étranger", "fr", RACE),
    ],
)
def test_strand_vocabulary(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, strand: str
) -> None:
    assert strand in understander.parse(text, language=language, now=now).motivations


def test_a_man_who_did_it_is_no_sex_or_gender_motive(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    # A Sikh elder's turban pulled by "a man" (آدمی) on a bus was once religion and sex.
    account = "بس میں ایک آدمی ایک سکھ بزرگ کی پگڑی اتارنے کی کوشش کر رہا تھا"
    assert understander.parse(account, language="ur", now=now).motivations == {RELIGION}
    because = understander.parse("کیونکہ وہ سکھ ہیں", language="ur", now=now)  # they are Sikh
    assert (because.motivations, because.religion) == ({RELIGION}, "sikh")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("it happened on public transport, a man pushed me", "en"),
        ("no transporte público um homem empurrou-me", "pt"),
        ("dans les transports un homme m'a bousculé", "fr"),
        ("man reikia pagalbos, jis mane sumušė", "lt"),
        ("un coche negro casi me atropella", "es"),
    ],
)
def test_words_that_only_look_like_cues(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    motivations = understander.parse(text, language=language, now=now).motivations
    assert TRANSGENDER not in motivations
    assert RACE not in motivations
    assert DISABILITY not in motivations


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("can we talk in lithuanian", "en"),
        ("do you speak somali", "en"),
        ("czy mogę pisać po polsku", "pl"),
        ("ar galima rašyti lietuviškai", "lt"),
        ("hablan español aquí", "es"),
        ("vous parlez français", "fr"),
        ("podemos falar português", "pt"),
        ("putem sa vorbim romaneste", "ro"),
        ("ви розмовляєте українською", "uk"),
        ("fina ne7ki bel 3arabi", "ar"),
        ("kya aap urdu mein baat kar sakte", "ur"),
        ("tusi punjabi vich gall kar sakde ho", "pa"),
        ("apni ki bangla bolte paren", "bn"),
        ("mishe farsi benevisam", "fa"),
        ("af soomaali ma ku hadli kartaa", "so"),
        ("gawn ni siarad yn gymraeg", "cy"),
        ("你们会说中文吗", "zh"),
    ],
)
def test_asking_for_a_language_is_a_language_request(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    parse = understander.parse(text, language=language, now=now)
    assert parse.intent == p.LANGUAGE
    assert parse.motivations == frozenset()


def test_being_told_to_speak_english_is_still_race(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    parse = understander.parse(
        "he shouted at me to speak english in this country", language="en", now=now
    )
    assert parse.intent == p.REPORT
    assert RACE in parse.motivations


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("bde msa3ade", p.HELP),
        ("em7ou ma3loumati", p.DELETE),
        ("wa2fou ba2a", p.STOP),
        ("shukran ktiiir", p.THANKS),
        ("la2 mersi", p.NO),
        ("bde e7ki ma3 shakhs", p.HUMAN),
    ],
)
def test_arabizi_spellings(
    understander: EmbeddedUnderstander, now: datetime, text: str, intent: str
) -> None:
    parse = understander.parse(text, language="ar", now=now)
    assert parse.intent == intent
    # Digits inside Arabizi words are letters, not numbered choices.
    assert parse.numbers == ()


@pytest.mark.parametrize(
    "text",
    [
        "ohna ne mere naal bahut bura kitta",
        "kal mere bhra nu school de bahar maarya",
        "mainu samajh ni aundi ki karan",
        "sanu koi help kar sakda",
    ],
)
def test_romanised_punjabi_is_identified(
    understander: EmbeddedUnderstander, now: datetime, text: str
) -> None:
    assert understander.parse(text, language=None, now=now).language == "pa"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("a man on the bus shouted at me", "en"),
        ("facet w autobusie na mnie krzyczał", "pl"),
        ("vyras autobuse ant manęs šaukė", "lt"),
        ("roedd dyn ar y bws yn gweiddi arna i", "cy"),
        ("ek aadmi ne bus mein mujh par chillaya", "ur"),
    ],
)
def test_a_man_or_a_woman_who_did_it_is_no_motive(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    # Once "sex or gender" was proposed to someone who had not said why.
    assert understander.parse(text, language=language, now=now).motivations == frozenset()


@pytest.mark.parametrize(
    ("text", "language"),
    [("because I'm a woman", "en"), ("bo jestem kobietą", "pl"), ("achos dw i'n fenyw", "cy")],
)
def test_being_a_woman_is_still_sex_or_gender(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert SEX_GENDER in understander.parse(text, language=language, now=now).motivations
