from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.embedded import EmbeddedUnderstander
from nlu.parse import INTENTS, Parse

GARBAGE = [
    "",
    " ",
    "x" * 10000,
    "😀😀😀",
    "\x00\x01\x02\x1b[31m",
    "\ufffd\ufffe" * 50,
    "ab\u200bcd",
    "مرحبا hello привет 你好 ਸਤ ਸ੍ਰੀ ਅਕਾਲ",
    "1234567890",
    "%s %d {0} \\n",
    "\U0010ffff",
]


def check(parse: Parse) -> None:
    assert parse.intent in INTENTS
    assert 0.0 <= parse.confidence <= 1.0
    assert 0.0 <= parse.language_confidence <= 1.0


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_never_raises(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    check(understander.parse(text, language=None, now=now))
    check(understander.parse(text, language="en", now=now))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    check(understander.parse(text, language=None, now=now))


def test_given_language_is_kept(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("yes", language="pl", now=now)
    assert parse.language == "pl"
    assert parse.language_confidence == 1.0
