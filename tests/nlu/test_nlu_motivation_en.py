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
from nlu.embedded import EmbeddedUnderstander

CASES = [
    ("they told me to go back to my country", {RACE}, None),
    ("pulled off my turban", {RELIGION}, "sikh"),
    ("mocked my crutches", {DISABILITY}, None),
    ("called me a freak for my clothes", {ALTERNATIVE_SUBCULTURE}, None),
    ("because im gay", {SEXUAL_ORIENTATION}, None),
    ("because im trans", {TRANSGENDER}, None),
    ("he said women should know their place", {SEX_GENDER}, None),
    ("because im old", {AGE}, None),
    ("he ripped my hijab off", {RELIGION}, "muslim"),
    ("called me a paki and pulled my hijab", {RACE, RELIGION}, "muslim"),
]


@pytest.mark.parametrize(("text", "strands", "religion"), CASES)
def test_motivations(
    understander: EmbeddedUnderstander,
    now: datetime,
    text: str,
    strands: set[str],
    religion: str | None,
) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert parse.motivations == frozenset(strands)
    assert parse.religion == religion


@pytest.mark.parametrize(
    "text",
    [
        "it wasn't about my religion, he wanted my phone",
        "i don't know why",
        "it wasnt racist he was just drunk",
    ],
)
def test_negation_and_unknown(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    parse = understander.parse(text, language="en", now=now)
    assert parse.motivations == frozenset()
    assert parse.religion is None


def test_online_and_platform(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("they posted racist comments about me on fb", language="en", now=now)
    assert parse.online
    assert parse.platform == "facebook"
    assert RACE in parse.motivations
    offline = understander.parse("he shouted at me in the park", language="en", now=now)
    assert not offline.online
    assert offline.platform is None
