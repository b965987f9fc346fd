"""A name given in a sentence: "my name is Sam", "me llamo Ana", "我叫小明".

Asked "would you like to tell us your name?", people answer with it; asked "what name
should we use for you?", they write the sentence, not the name alone. "My name is Sam"
got "Sorry, I did not understand", and "call me Sam" was read as asking for a call from
a person. The name is the words after a listed introduction ("my name is"), or before
a listed ending ("is my name"), with such an ending cut off ("میرا نام عائشہ ہے").
"""

from __future__ import annotations

from typing import Final, NamedTuple

import regex

from bot import prompts
from bot.choices import holds_listed, listed_words, normalise
from nlu.text import UNSPACED_RUN

#: A word as the person wrote it, apostrophes inside it kept ("O'Brien", "m'appelle").
_WORD = regex.compile(r"\w+(?:['\u2019\u02bc]\w+)*")
#: What may come before an introduction: the start of the message, or a full stop or
#: comma ("yes, my name is Sam", "Hi. I'm called Jo"). Not words: "he would call me a
#: terrorist" is not a name given.
_BREAK = regex.compile(r"[.,;:!?\u060c\u061b\u06d4\u3001\u3002\uff0c\uff01\uff1f]")
#: More words than this after "my name is" are a sentence, not a name.
MAX_NAME_WORDS: Final = 3
#: Particles between the words of a name ("da", "van", "bin") have at most this many letters.
_MAX_PARTICLE: Final = 3
#: Han runs with no spaces: more letters than this are more than a name.
_MAX_UNSPACED_NAME: Final = 6
#: Words of letters (with their marks: Bengali and Arabic write vowels so), joined by
#: an apostrophe or a hyphen ("O'Brien", "Anne-Marie"), a space between words.
_LETTER_WORD: Final = r"\p{L}\p{M}*(?:['\u2019\u02bc-]?\p{L}\p{M}*)*"
_LETTER_WORDS = regex.compile(rf"{_LETTER_WORD}(?: {_LETTER_WORD})*")
#: What goes around a name: spaces, punctuation, emoji ("Sam.", "Sam 🙂").
_EDGES = regex.compile(r"^[\W_]+|[\W_]+$")
#: Where a name written alone waits for the person to say it is theirs (sealed).
OFFERED_NAME: Final = "offered_name"


class _Word(NamedTuple):
    folded: str
    start: int
    end: int


def given_name(text: str, language: str) -> str | None:
    """The name ``text`` gives in a sentence that says it is a name, if it does.

    Args:
        text: The message as written.
        language: The person's language, whose introductions and endings are read.

    Returns:
        The name as written, or None when the message does not give one that way.
    """
    words = [
        _Word(folded, match.start(), match.end())
        for match in _WORD.finditer(text)
        if (folded := normalise(match.group()))
    ]
    start = _after(text, words, listed_words(prompts.NAME_INTRO, language))
    endings = listed_words(prompts.NAME_ENDING, language)
    if start is None:
        # A one-word ending is a verb "is" ("ہے", "است") that closes most sentences:
        # it is cut after an introduction, but says nothing of a name on its own.
        endings = tuple(ending for ending in endings if _says_name(ending))
    end = _before_end(words, endings)
    if start is None and end is None:
        return None
    name = text[start or 0 : len(text) if end is None else end]
    name = _EDGES.sub("", name)
    if not _a_name(name, language):
        return None
    return name


def name_alone(text: str, language: str) -> str | None:
    """The words of a message that may be a name written alone ("Sam", "Rūta", "عائشة").

    Asked "would you like to tell us your name?", many people write the name and
    nothing else; they got "Sorry, I did not understand". Such words are only a guess
    (a lone "Sorry" or "Whatever" is a word, not a name), so the caller asks before
    keeping them. One word may be in lower case: a computer's web chat does not
    capitalise "sam" as a phone does. Of several words in a script with capitals, the
    first and last must hold one, as names do, with short particles between ("Maria da
    Silva", "Sam al-Hassan"): "I'm scared" is no name.

    Args:
        text: The message as written.
        language: The person's language, whose "not" words and non-names are read.

    Returns:
        The words, without the spaces and full stop around them; None for other messages.
    """
    name = " ".join(_EDGES.sub("", text).split())
    if _LETTER_WORDS.fullmatch(name) is None or not _a_name(name, language):
        return None
    words = name.split()
    if len(words) > 1 and not all(
        _capitalised(word) or (0 < index < len(words) - 1 and len(word) <= _MAX_PARTICLE)
        for index, word in enumerate(words)
    ):
        return None
    return name


def no_name(text: str, language: str) -> bool:
    """Whether the message is only a word that is no name ("sorry", "przepraszam", "nic").

    One of the words :func:`given_name` and :func:`name_alone` never take for a name
    (a "not" word, or one of ``bot.prompts.NOT_NAMES``), written alone where the name
    is asked for: it was kept as the name.
    """
    said = normalise(text)
    return said in listed_words(prompts.NOT_NAMES, language) or said in listed_words(
        prompts.NEGATIONS, language
    )


def _capitalised(word: str) -> bool:
    """Whether a word holds a capital, as a name does ("Sam", "al-Hassan"), or has no case."""
    return any(char.isupper() for char in word) or not any(char.islower() for char in word)


def _a_name(name: str, language: str) -> bool:
    """Whether what is left looks like a name: a few words of letters, none a listed other word."""
    if not name or regex.search(r"\d", name):
        return False
    words = normalise(name).split()
    unspaced = UNSPACED_RUN.fullmatch(name.replace(" ", "")) is not None
    if len(words) > MAX_NAME_WORDS or (unspaced and len(name) > _MAX_UNSPACED_NAME):
        return False
    # "Call me back", "llámame por teléfono": a call asked for, not a name; "my name is
    # not important" gives none.
    return not (
        holds_listed(name, prompts.NEGATIONS, language)
        or holds_listed(name, prompts.NOT_NAMES, language)
    )


def _after(text: str, words: list[_Word], intros: tuple[str, ...]) -> int | None:
    """Where the text after the first introduction in ``intros`` begins, if one opens it."""
    openings = [index for index in range(len(words)) if _opens(text, words, index)]
    found: list[tuple[int, int]] = []
    for intro in intros:
        parts = intro.split()
        for index in openings:
            here = words[index : index + len(parts)]
            if [word.folded for word in here] == parts:
                found.append((index, here[-1].end))
            elif _unspaced_part(words[index], intro, at_end=False):
                # "我叫小明": Chinese writes the name on, with no space after "我叫".
                found.append((index, words[index].start + len(intro)))
    return max(found, key=lambda spot: (-spot[0], spot[1]))[1] if found else None


def _opens(text: str, words: list[_Word], index: int) -> bool:
    """Whether word ``index`` starts the message or follows a full stop or comma."""
    if index == 0:
        return True
    return _BREAK.search(text, words[index - 1].end, words[index].start) is not None


def _unspaced_part(word: _Word, part: str, *, at_end: bool) -> bool:
    """Whether a Han word starts (or ends) with Han ``part`` and has more besides.

    Only where folding kept the word as long as written, so that positions in the
    folded word are positions in the message.
    """
    return (
        UNSPACED_RUN.fullmatch(part) is not None
        and len(word.folded) == word.end - word.start
        and len(word.folded) > len(part)
        and (word.folded.endswith(part) if at_end else word.folded.startswith(part))
    )


def _says_name(ending: str) -> bool:
    """Whether an ending says by itself that a name comes before it ("is my name")."""
    if UNSPACED_RUN.fullmatch(ending):
        return len(ending) > 2
    return len(ending.split()) > 1


def _before_end(words: list[_Word], endings: tuple[str, ...]) -> int | None:
    """Where a listed ending that closes the message begins ("Sam is my name"), if one does."""
    found = []
    for ending in endings:
        parts = ending.split()
        tail = words[-len(parts) :] if len(words) > len(parts) else []
        if [word.folded for word in tail] == parts:
            found.append(tail[0].start)
        elif words and _unspaced_part(words[-1], ending, at_end=True):
            found.append(words[-1].end - len(ending))
    return min(found) if found else None
