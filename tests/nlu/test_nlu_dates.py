from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from nlu.dates import UK_ZONE
from nlu.embedded import EmbeddedUnderstander


def local(moment: datetime) -> datetime:
    return moment.astimezone(UK_ZONE)


def test_last_night(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("last night", language="en", now=now)
    assert found is not None
    assert found.tzinfo is not None
    assert local(found).date() == (local(now) - timedelta(days=1)).date()
    assert local(found).hour == 21


def test_this_morning(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("this morning", language="en", now=now)
    assert found is not None
    assert local(found).date() == local(now).date()
    assert local(found).hour == 9


@pytest.mark.parametrize(
    ("text", "language", "days"),
    [
        ("yesterday", "en", 1),
        ("2 days ago", "en", 2),
        ("wczoraj", "pl", 1),
        ("ayer", "es", 1),
        ("вчора", "uk", 1),
    ],
)
def test_relative_days(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, days: int
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days)).date()


def test_last_tuesday(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("last Tuesday", language="en", now=now)
    assert found is not None
    assert found.weekday() == 1
    assert found <= now
    assert now - found < timedelta(days=8)


def test_day_first(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("12/03", language="en", now=now)
    assert found is not None
    assert (found.day, found.month) == (12, 3)
    assert found <= now


def test_never_future(understander: EmbeddedUnderstander, now: datetime) -> None:
    for text in ["tomorrow", "next week", "25/12", "friday"]:
        found = understander.resolve_date(text, language="en", now=now)
        assert found is None or found <= now


@pytest.mark.parametrize("text", ["", "asdfgh", "🙂", "\x00\x01", "x" * 10000])
def test_garbage_dates(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    assert understander.resolve_date(text, language="en", now=now) is None
