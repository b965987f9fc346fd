from __future__ import annotations

from datetime import datetime

import pytest

from nlu.embedded import EmbeddedUnderstander
from nlu.parse import DANGER_NOW, FOLLOWED, SELF_HARM, WEAPON

CASES = [
    ("he is outside my door now", DANGER_NOW),
    ("they're still here", DANGER_NOW),
    ("I'm scared they'll come back tonight", DANGER_NOW),
    ("theyre trying to break in", DANGER_NOW),
    ("he has a knife", WEAPON),
    ("he had a knife last week when he shouted at me", WEAPON),
    ("someone is following me", FOLLOWED),
    ("a man followed me home from the bus stop", FOLLOWED),
    ("I want to kill myself", SELF_HARM),
    ("i dont want to live anymore", SELF_HARM),
    ("sometimes i think about suicide", SELF_HARM),
]


@pytest.mark.parametrize(("text", "kind"), CASES)
def test_danger_kinds(
    understander: EmbeddedUnderstander, now: datetime, text: str, kind: str
) -> None:
    assert understander.parse(text, language=None, now=now).danger == kind
    assert understander.parse(text, language="en", now=now).danger == kind


@pytest.mark.parametrize(
    "text",
    [
        "they called me names in the street last month",
        "i'm not in danger now, they left",
        "he followed me on instagram and then sent abuse",
        "yes",
        "stop",
    ],
)
def test_no_danger(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    assert understander.parse(text, language="en", now=now).danger is None


def test_danger_overrides_intent(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("help he is outside my door now", language="en", now=now)
    assert parse.danger == DANGER_NOW


def test_every_kind_is_reported(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("he has a knife and i want to kill myself", language="en", now=now)
    assert parse.dangers == frozenset({WEAPON, SELF_HARM})
    assert parse.danger == WEAPON  # the most urgent, as before
    assert understander.parse("hello", language="en", now=now).dangers == frozenset()


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("біля мого будинку, Лестер LE1 6RN", None),  # where it happened: near my house
        ("під моїми дверима", None),  # at my door, as a place
        ("він зараз стоїть під моїми дверима", DANGER_NOW),  # he is at my door now
        ("вони біля мого будинку", DANGER_NOW),  # they are near my house
    ],
)
def test_ukrainian_danger_needs_someone_there_not_a_place_alone(
    understander: EmbeddedUnderstander, now: datetime, text: str, danger: str | None
) -> None:
    assert understander.parse(text, language="uk", now=now).danger == danger
