"""A safe time to message, named as clock times: "after 6pm", "po 18", "between 2 and 4".

Asked "when is it safe for us to message you?", people name the hours rather than the
options ("mornings, 9am to 12 noon"), and got "Sorry, I did not understand". The hours
they name are kept exactly: "after 6pm" taken as the evenings option would have let a
check-in arrive at five, an hour they had not said was safe.
"""

from __future__ import annotations

from typing import Final

import regex

from bot import prompts
from bot.choices import fold, holds_listed, listed_words
from followup.schedule import WEEKDAYS, WEEKENDS

#: Check-ins are sent only between these minutes of the day, whatever is asked: the
#: "any time" option's hours.
OPENS, CLOSES = prompts.SAFE_HOURS["any"]
#: A clock time: "6", "6pm", "6.30 pm", "18:00", "18h", "١٨" (any script's digits).
_CLOCK = regex.compile(
    r"(?<!\d)(\d{1,2})(?:\s*[:.h]\s*(\d{2})|h)?\s*(?:(a\.?\s?m\b\.?)|(p\.?\s?m\b\.?))?(?!\d)",
    regex.IGNORECASE,
)
#: "6" alone may be a mistyped option; a bare number is a time from the 24-hour clock.
_BARE_FROM: Final = 13
#: A time named alone ("at 6pm") is kept as the hour from it.
_ONE_TIME_MINUTES: Final = 60


def window_named(text: str, language: str) -> tuple[int, int] | None:
    """The safe window ``text`` names in clock times, in minutes after midnight.

    Two times are the window between them; one, with a listed "before" or "after" word,
    the hours up to or from it; one alone, the hour from it. Hours from 1 to 8 without
    "am" are the afternoon or evening ("after 6"), as no check-in goes before nine.

    Args:
        text: The answer as written.
        language: The person's language, whose "before" and "after" words are read.

    Returns:
        ``(from, to)`` within the hours check-ins are sent, or None when the text names
        no time, denies one ("not after 6"), or names only hours outside them.
    """
    found = [_minute(match) for match in _CLOCK.finditer(text)]
    times = [minute for minute in found if minute is not None]
    if not times or len(times) < len(found):
        return None
    if holds_listed(text, prompts.NEGATIONS, language):
        return None  # "any time except 6 to 8" is a time ruled out, not one chosen
    bare = text.strip()
    if bare.isdecimal() and int(bare) < _BARE_FROM:
        return None
    if len(times) > 1:
        start, end = times[0], times[1]
    elif holds_listed(text, prompts.SAFE_BEFORE, language):
        start, end = OPENS, times[0]
    elif holds_listed(text, prompts.SAFE_AFTER, language):
        start, end = times[0], CLOSES
    else:
        start, end = times[0], times[0] + _ONE_TIME_MINUTES
    start, end = max(start, OPENS), min(end, CLOSES)
    return (start, end) if start < end else None


def _minute(match: regex.Match[str]) -> int | None:
    """The minute of the day a clock time names, or None if it is no time."""
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not 0 < hour <= 24 or minute >= 60:
        return None
    if match.group(3) and hour == 12:  # "12am" is midnight
        return None
    if match.group(4) and hour < 12:  # "6pm"
        hour += 12
    elif not match.group(3) and hour * 60 < OPENS:
        hour += 12  # "after 6": no check-in goes at six in the morning
    return hour * 60 + minute


def shown(minute: int) -> str:
    """A minute of the day as the 24-hour clock writes it: "18:00"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def days_named(text: str, language: str) -> tuple[int, str] | None:
    """The safe days ``text`` names ("not at weekends"), and the text without those words.

    Args:
        text: The answer as written.
        language: The person's language, whose words for the days are read.

    Returns:
        The days as bits (see :data:`followup.schedule.ALL_DAYS`) and what is left of the
        text to read the hours from ("evenings after 6, but"), or None when no days are
        named.
    """
    for days, words in ((WEEKDAYS, prompts.SAFE_WEEKDAYS), (WEEKENDS, prompts.SAFE_WEEKENDS)):
        rest = _without(text, listed_words(words, language))
        if rest != text:
            return days, rest
    return None


def _without(text: str, phrases: tuple[str, ...]) -> str:
    """``text`` without the first of ``phrases`` it holds (compared as normalised words)."""
    folded, origin = _folded(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        words = r"\W+".join(regex.escape(word) for word in phrase.split())
        found = regex.search(rf"(?<!\w){words}(?!\w)", folded)
        if found is not None:
            start, end = origin[found.start()], origin[found.end() - 1] + 1
            return f"{text[:start]} {text[end:]}".strip()
    return text


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded as words are compared, and where each of its letters came from.

    As :func:`bot.choices.fold` (apostrophes dropped: "п'ятницю" is listed "пятницю"),
    a character at a time, to cut words out of the answer as written.
    """
    letters: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in fold(char):
            letters.append(part)
            origin.append(index)
    return "".join(letters), origin
