"""Understanding a typed answer to a question with options: numbers or words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Final

import regex

from bot.messages import Choice, Text
from content.render import render_text
from nlu import parse as intents
from nlu.parse import Parse
from nlu.text import UNSPACED_LETTERS

#: Intents that answer a question whose options carry the same code.
_INTENT_CODES = {
    intents.YES: "yes",
    intents.NO: "no",
    intents.NOT_SURE: "not_sure",
    intents.CONTINUE: "continue",
}
#: The regex module's \w, not re's: re leaves out vowel signs, and cut every Gurmukhi
#: and Bengali word apart at each one ("ਮੇਰਾ ਨਾਮ", my name, became "ਮ ਰ ਨ ਮ").
_WORD = regex.compile(r"\w+")
#: Apostrophes join a word rather than split it: people type "dont" as often as "don't".
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`]")
#: What separates the answers in a choice's ``also`` list, in every script.
LIST_SEPARATORS = re.compile("[,;\u060c\u061b\u3001\uff0c\uff1b]")
#: Where a clause ends: what a "not" denies goes no further.
CLAUSE_END: Final = re.compile(r"[,;.!?\u060c\u061b\u3001\uff0c\u3002]")
#: Han and kana run words together: "匿名" (anonymous) is a part of "保持匿名" with no
#: space before it.
_UNSPACED = re.compile(f"[{UNSPACED_LETTERS}]")
#: The shortest part of a label that picks it: long enough not to be "the" or "me".
_MIN_PART = 4
_MIN_UNSPACED_PART = 2
#: The shortest part that picks a label from inside a word: Welsh mutates a word's first
#: letter after some words, so "dienw" (anonymous) is written "yn ddienw" in the label.
_MIN_INNER_PART = 5


def normalise(text: str) -> str:
    """Case-fold, drop accents and punctuation, squeeze spaces (for loose comparison)."""
    return " ".join(_WORD.findall(fold(text)))


def fold(text: str) -> str:
    """Case-fold and drop apostrophes, accents and format characters; keep the rest.

    :func:`normalise` without its last step, for text whose punctuation still matters.
    Format characters go: a Persian zero-width non-joiner is inside a word ("نمی‌خوام"
    and "نمیخوام" are the same word), and bidi marks are not text.
    """
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text.casefold()))
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def _labels(choices: Sequence[Choice], language: str) -> tuple[tuple[str, str], ...]:
    """Each choice's label in the person's language, normalised, as (code, label) pairs."""
    return _rendered_labels(tuple(choices), language)


def _other_answers(choices: Sequence[Choice], language: str) -> tuple[tuple[str, str], ...]:
    """Each choice's other answers in the person's language, as (code, answer) pairs."""
    return _rendered_answers(tuple(choices), language)


# Cached: the catalogs do not change while the process runs, and rendering and
# normalising every label and list on each typed answer cost a third of a millisecond.
@lru_cache(maxsize=1024)
def _rendered_labels(choices: tuple[Choice, ...], language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (c.code, label) for c in choices for label in _spellings(render_text(c.label, language))
    )


@lru_cache(maxsize=1024)
def _rendered_answers(choices: tuple[Choice, ...], language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (c.code, answer)
        for c in choices
        if c.also is not None
        for answer in listed_words(c.also, language)
    )


@lru_cache(maxsize=1024)
def listed_words(words: Text, language: str) -> tuple[str, ...]:
    """The answers of a list (as ``bot.prompts.listed`` makes one), normalised."""
    return tuple(
        word
        for part in LIST_SEPARATORS.split(render_text(words, language))
        for word in _spellings(part)
        if word
    )


#: The Persian zero-width non-joiner, which phones often type as a space instead.
_ZWNJ: Final = "\u200c"


def _spellings(text: str) -> tuple[str, ...]:
    """``text`` normalised, and also with a space for each zero-width non-joiner.

    "خیلی راضی ام" (very happy) did not choose "خیلی راضی‌ام": phone keyboards give a
    space where the label has a non-joiner, and :func:`normalise` drops the non-joiner.
    """
    joined = normalise(text)
    spaced = normalise(text.replace(_ZWNJ, " ")) if _ZWNJ in text else joined
    return (joined,) if spaced == joined else (joined, spaced)


def holds_listed(text: str, words: Text, language: str) -> bool:
    """Whether ``text`` holds one of ``words`` (a list, as ``bot.prompts.listed`` makes one).

    As whole words however short ("not", "nie"; any run of Han, as Chinese has no spaces),
    unlike a listed answer, which must be long enough to be found inside other words.
    """
    return _holds_any(normalise(text), listed_words(words, language))


def _holds_any(said: str, words: tuple[str, ...]) -> bool:
    """Whether normalised ``said`` holds one of ``words`` as whole words (any Han run)."""
    padded = f" {said} "
    return any(
        word in padded if _UNSPACED.search(word) else f" {word} " in padded for word in words
    )


#: How close before an answer a word of ``words`` denies it (see :func:`said_not`).
_DENIAL_REACH = 3
#: Languages whose "not" follows the verb it denies: "اس نے مجھے مارا نہیں" (Urdu, he
#: did not hit me) once recorded an attack, "بار اول نیست" (Persian, it is not the first
#: time) that it had never happened before. There the word after an answer denies it too.
_DENIED_AFTER = frozenset({"ur", "pa", "bn", "fa"})
#: How close before an option named by its first word a "not" denies it (see
#: :func:`denied_options`): closer than an answer in :func:`said_not`, as an answer may
#: name one after a "not" it does not deny ("they don't like my religion").
_NAMED_DENIAL_REACH = 2


def said_not(text: str, choices: Sequence[Choice], code: str, words: Text, language: str) -> bool:
    """Whether option ``code`` is named in ``text`` only to be denied.

    "It didn't happen to me", "não foi comigo", "不是我": one of ``words`` (a list of
    "not" words) comes right before its label or a listed answer, within a few words (a
    character or two in Chinese), or right after it where "not" follows the verb,
    wherever they are named ("he kicked me, not punched me" still names the attack).
    """
    said = normalise(text)
    denials = listed_words(words, language)
    answers = [
        answer
        for option, answer in (*_labels(choices, language), *_other_answers(choices, language))
        if option == code
    ]
    denied = []
    # An answer that holds a "not" word is a denial, not what one denies: "no es la
    # primera vez" (it is not the first time) names "No" twice, once only to deny it,
    # and in "je ne vais pas bien" the "ne" is half of the listed "pas bien".
    for answer in (answer for answer in answers if not _holds_any(answer, denials)):
        unspaced = bool(_UNSPACED.search(answer))
        for found in re.finditer(_as_words(answer), said):
            before = said[: found.start()]
            reach = before[-2:] if unspaced else " ".join(before.split()[-_DENIAL_REACH:])
            if language in _DENIED_AFTER:
                reach += " " + " ".join(said[found.end() :].split()[:1])
            denied.append(_holds_any(reach, denials))
    return bool(denied) and all(denied)


def denies_beside_answers(text: str, choices: Sequence[Choice], words: Text, language: str) -> bool:
    """Whether ``text`` names an option and holds one of ``words`` outside every answer.

    "Not in the mornings" and "any time except evenings" name options to rule them
    out; "it doesn't matter" and "没关系，随时都可以" (no problem, any time) hold a "not"
    word only inside an answer listed for an option, and deny nothing.
    """
    said = normalise(text)
    named = (*_labels(choices, language), *_leads(choices, language))
    answers = sorted(
        {answer for _, answer in (*named, *_other_answers(choices, language))},
        key=len,
        reverse=True,
    )
    rest = said
    for answer in answers:
        # Whole words however short: "صبح نہیں" (Urdu, not mornings) names "صبح".
        rest = re.sub(_as_words(answer), " ", rest) if answer else rest
    return rest != said and _holds_any(" ".join(rest.split()), listed_words(words, language))


def _as_words(answer: str) -> str:
    """A pattern for ``answer`` as whole words (anywhere in a run of Han or kana)."""
    if _UNSPACED.search(answer):
        return re.escape(answer)
    return rf"(?<!\S){re.escape(answer)}(?!\S)"


def _leads(choices: Sequence[Choice], language: str) -> tuple[tuple[str, str], ...]:
    """Each label's first part: "Yes" of "Yes, I know who it was", or a whole "Yes"."""
    return _rendered_leads(tuple(choices), language)


@lru_cache(maxsize=1024)
def _rendered_leads(choices: tuple[Choice, ...], language: str) -> tuple[tuple[str, str], ...]:
    leads = (
        (choice.code, lead)
        for choice in choices
        for lead in _spellings(LIST_SEPARATORS.split(render_text(choice.label, language))[0])
    )
    return tuple((code, lead) for code, lead in leads if lead)


def _led_by(said: str, leads: tuple[tuple[str, str], ...]) -> str | None:
    """The one option whose label's first part the answer begins with ("yes, my boss").

    ("Sim, ele mora ao lado", yes, he lives next door, for the option "Sim".)
    """
    return _only(_leading(said, leads))


def _leading(said: str, leads: tuple[tuple[str, str], ...]) -> list[str]:
    found = [(code, lead) for code, lead in leads if said == lead or said.startswith(lead + " ")]
    # The longest lead wins over the ones it begins with: "não sei bem" (I'm not quite
    # sure) begins like "Não sei" (not sure) and like "Não" (no).
    return [
        code
        for code, lead in found
        if not any(longer.startswith(lead + " ") for _, longer in found)
    ]


def options_led(text: str, choices: Sequence[Choice], language: str) -> list[str]:
    """The options whose label's first part the answer begins with ("yes, ..." of two)."""
    return list(dict.fromkeys(_leading(normalise(text), _leads(choices, language))))


def _only(codes: list[str]) -> str | None:
    """The one code named, or None when none or several options are."""
    distinct = set(codes)
    return distinct.pop() if len(distinct) == 1 else None


def named(text: str, parse: Parse, choices: Sequence[Choice], language: str) -> str | None:
    """The option the message is, whole (its label or a listed answer), or names by number.

    The first steps of :func:`match_one`, and all of them that stand without the model
    or the words around an answer.
    """
    # Labels always hold letters: a reply without any can equal none of them.
    if any(char.isalpha() for char in text):
        whole = whole_label(text, choices, language)
        if whole is not None:
            return whole
    if len(parse.numbers) == 1 and 1 <= parse.numbers[0] <= len(choices):
        return choices[parse.numbers[0] - 1].code
    return None


def match_one(text: str, parse: Parse, choices: Sequence[Choice], language: str) -> str | None:
    """Return the code of the option the person chose, or None.

    A whole label or listed answer picks its option (before numbers: "one time" is an
    answer of its own where options count times); then a single number picks by
    position; a question asked back picks nothing more; then a listed answer within
    the words (before the general yes/no/not-sure intents: "I don't know him" reads as
    "not sure" anywhere but here);
    then such an intent picks the option with that code or meaning; then an answer that
    begins like one option's label before its comma ("yes, a man from work" for "Yes, I
    know who it was"); otherwise the words are compared with the option labels in the
    person's language (see :func:`match_words`).
    """
    named_by = named(text, parse, choices, language)
    if named_by is not None:
        return named_by
    said = normalise(text)
    labels = _labels(choices, language)
    others = _other_answers(choices, language)
    words = any(char.isalpha() for char in text)
    not_sure = unsure(parse)
    if parse.question and not (not_sure or parse.verbatim):
        # "What happens if I say yes?" holds a yes; "do I have to give my name?" the label
        # "Give my name". A question is answered, then asked back (see bot.flow.settle).
        # One the data holds word for word as an answer ("why not?") is that answer.
        return None
    if words:
        # "No idea" holds the listed "no"; "I don't know him" is listed whole.
        listed = _listed_within(said, others, choices, least_words=2 if not_sure else 1)
        if listed is not None:
            return listed
    meant = _only(options_meant(parse, choices))
    if meant is not None or not_sure:
        # Where no option is "not sure", a "don't know" chooses none: "nie pamiętam" (I
        # don't remember) holds the Polish no, and was taken as "it never happened".
        return meant
    if words:
        led = _led_by(said, _leads(choices, language))
        if led is not None:
            return led
    # "ايه، ولاد بصفها" (yeah, boys in her class): a yes in words other than the label's.
    opened = _only(options_opened(parse, choices))
    if opened is not None:
        return opened
    # No listed answers: they were all looked for above, before the intents. Words the
    # person's language holds word for word as no answer (Polish "no", colloquially
    # "yeah") do not spell an option's code ("no") either.
    by_code = not (parse.verbatim and parse.intent == intents.NONE)
    return _named_in_words(said, labels, (), choices, by_code=by_code)


def only_guessed(text: str, parse: Parse, choices: Sequence[Choice], language: str) -> bool:
    """Whether the option :func:`match_one` chooses rests only on an unsure reading.

    A label, a number, a listed answer or a yes said word for word chooses without the
    model; a yes or no the model reads below ``SURE_CONFIDENCE`` is a guess, too weak for
    a choice that cannot be taken back: ending a report, erasing everything.
    """
    if parse.confidence >= intents.SURE_CONFIDENCE:
        return False
    return match_one(text, replace(parse, intent=intents.NONE), choices, language) is None


def options_meant(parse: Parse, choices: Sequence[Choice]) -> list[str]:
    """The options a plain yes, no or "not sure" could mean, by code or meaning.

    More than one ("yes" where two options are kinds of yes) means asking which.
    """
    mapped = _INTENT_CODES.get(parse.intent)
    if mapped is None:
        return []
    return list(dict.fromkeys(c.code for c in choices if mapped in (c.code, c.means)))


def options_opened(parse: Parse, choices: Sequence[Choice]) -> list[str]:
    """The options the yes, no or "not sure" a message opens with could mean."""
    if parse.lead is None:
        return []
    return options_meant(replace(parse, intent=parse.lead), choices)


def whole_label(text: str, choices: Sequence[Choice], language: str) -> str | None:
    """Return the code of the option whose whole label, or a listed other answer, the text is."""
    said = normalise(text)
    if not said:
        return None
    return _whole(said, _labels(choices, language), _other_answers(choices, language))


def _whole(
    said: str, labels: tuple[tuple[str, str], ...], others: tuple[tuple[str, str], ...]
) -> str | None:
    whole = next((code for code, label in labels if said == label), None)
    return whole if whole is not None else _only([code for code, a in others if said == a])


def match_words(text: str, choices: Sequence[Choice], language: str) -> str | None:
    """Return the code of the option whose label the words name, or None.

    The whole label or its code, one of its other answers ("myself"), a label's
    distinctive first words ("stay anon"), one option's other answer within the words
    ("it happened to my son"), a whole label within the words, or words found in one
    label only ("my name").
    """
    said = normalise(text)
    if not said:
        return None
    labels = _labels(choices, language)
    others = _other_answers(choices, language)
    return _whole(said, labels, others) or _named_in_words(said, labels, others, choices)


def _named_in_words(
    said: str,
    labels: tuple[tuple[str, str], ...],
    others: tuple[tuple[str, str], ...],
    choices: Sequence[Choice],
    *,
    by_code: bool = True,
) -> str | None:
    """What :func:`match_words` tries after the whole label and the listed answers.

    With ``by_code``, an answer that spells an option's code ("no", "not sure") picks it.
    """
    if not said:
        return None
    for code, _label in labels:
        if by_code and said == normalise(code.replace("_", " ")):
            return code
    # A prefix long enough to be unambiguous ("stay anon", "more than once").
    prefixed = [code for code, label in labels if len(said) >= 3 and label.startswith(said)]
    if len(prefixed) == 1:
        return prefixed[0]
    # A listed answer before a label within the words: "don't give my name" holds the
    # label "Give my name", and is listed for "Stay anonymous".
    listed = _listed_within(said, others, choices)
    if listed is not None:
        return listed
    # As whole words: the label "No" is not in "nobody was hurt, but he threatened me".
    contained = [code for code, label in labels if label and _holds(said, label)]
    if len(contained) == 1:
        return contained[0]
    # A distinctive part of one label ("my name" for "Give my name").
    within = [code for code, label in labels if _holds(label, said, inside_words=True)]
    return within[0] if len(within) == 1 else None


def _listed_within(
    said: str,
    others: tuple[tuple[str, str], ...],
    choices: Sequence[Choice],
    *,
    least_words: int = 1,
) -> str | None:
    """The option whose listed answer ``said`` holds, when just one option's is held.

    Or a no's answer is held beside one other option's (see :func:`_more_than_no`), or
    the others held are ones it covers (see :attr:`bot.messages.Choice.covers`). Only
    answers of at least ``least_words`` words (or unspaced letters) count.
    """
    longer = tuple((code, a) for code, a in others if _word_count(a) >= least_words)
    named = _listed_codes(said, longer)
    covered = {code for choice in choices if choice.code in named for code in choice.covers}
    named = [code for code in named if code not in covered]
    return _only(named) or _more_than_no(named, choices)


def _listed_codes(said: str, others: tuple[tuple[str, str], ...]) -> list[str]:
    """The options whose listed answers ``said`` holds, each once."""
    found = [(code, answer) for code, answer in others if _holds(said, answer)]
    # The longest answer wins over the ones inside it or across it: "nu îl cunosc" (I
    # don't know him) holds "îl cunosc" (I know him), "不认识" (don't know) holds "认识"
    # (know), and in "是我朋友" (it is my friend) "是我" (it is me) shares "我" with "我朋友".
    return list(
        dict.fromkeys(
            code
            for code, answer in found
            if not any(
                len(longer) > len(answer) and _overlap(said, answer, longer) for _, longer in found
            )
        )
    )


def _overlap(said: str, shorter: str, longer: str) -> bool:
    """Whether ``shorter`` is found in ``said`` where it shares letters with ``longer``."""
    longer_spans = [match.span() for match in re.finditer(re.escape(longer), said)]
    return any(
        start < other_end and other_start < end
        for start, end in (match.span() for match in re.finditer(re.escape(shorter), said))
        for other_start, other_end in longer_spans
    )


def unsure(parse: Parse) -> bool:
    """Whether the message surely says "I don't know" (or "I don't remember")."""
    return parse.intent == intents.NOT_SURE and parse.confidence >= intents.SURE_CONFIDENCE


def _word_count(answer: str) -> int:
    """Words in a listed answer; a run of Chinese counts a word a character."""
    if _UNSPACED.search(answer):
        return len(answer)
    return len(answer.split())


def _more_than_no(codes: list[str], choices: Sequence[Choice]) -> str | None:
    """The one option named beside a no: "nobody was hurt, but he threatened me".

    Read as the no, the threat (and the risk it brings) was lost.
    """
    noes = {c.code for c in choices if _INTENT_CODES[intents.NO] in (c.code, c.means)}
    beyond = [code for code in codes if code not in noes]
    return beyond[0] if len(beyond) == 1 and len(codes) > 1 else None


def _holds(whole: str, part: str, *, inside_words: bool = False) -> bool:
    """Whether ``part`` is in ``whole`` as whole words ("to me", not "to meet").

    Any run of letters counts in Chinese, which has no spaces between words; with
    ``inside_words``, so does a long enough part of a word (Welsh mutation).
    """
    if _UNSPACED.search(part):
        return len(part) >= _MIN_UNSPACED_PART and part in whole
    if inside_words and len(part) >= _MIN_INNER_PART:
        return part in whole
    return len(part) >= _MIN_PART and f" {part} " in f" {whole} "


def match_many(
    text: str, parse: Parse, choices: Sequence[Choice], language: str, denials: Text
) -> list[str]:
    """Return every option chosen in a multi-select answer ("1 3", "race and religion").

    An option named in words only to deny it (see :func:`denied_options`) is not chosen.
    """
    if parse.numbers:
        picked = [choices[n - 1].code for n in parse.numbers if 1 <= n <= len(choices)]
        return list(dict.fromkeys(picked))
    mentions = _mentions(text, choices, denials, language)
    single = match_one(text, parse, choices, language)
    if single is not None and not all(mentions.get(single, [False])):
        return [single]
    return [code for code, denied in mentions.items() if not all(denied)]


def denied_options(text: str, choices: Sequence[Choice], denials: Text, language: str) -> set[str]:
    """The options ``text`` names in words only to deny them ("religion, not race").

    An option is named by its label's first word ("race" for "Race, ethnicity or
    nationality"). One of ``denials`` (a list of "not" words) denies the option named
    next in its clause, within two words (or named right before it where "not" follows
    the verb): "not race but religion" denies race alone.
    """
    return {
        code for code, denied in _mentions(text, choices, denials, language).items() if all(denied)
    }


def _mentions(
    text: str, choices: Sequence[Choice], denials: Text, language: str
) -> dict[str, list[bool]]:
    """Each option named in ``text`` by words, with whether each naming is denied.

    A label whose first word is a "not" word ("Not sure", "Nie wiem") is named by its
    whole label: the "not" of "religion, not race" was once the option "Not sure".
    Clauses are read apart, as the punctuation that ends them is lost in normalising.
    """
    negations = listed_words(denials, language)
    names = []
    for code, label in _labels(choices, language):
        first_word = label.split(" ")[0] if label else ""
        if _holds_any(first_word, negations):
            names.append((code, rf"(?<!\S){re.escape(label)}(?!\S)"))
        elif len(first_word) >= 3:
            names.append((code, rf"\b{re.escape(first_word)}"))
    mentions: dict[str, list[bool]] = {}
    for clause in CLAUSE_END.split(text):
        said = normalise(clause)
        found = sorted(
            (match.start(), match.end(), code)
            for code, pattern in names
            for match in re.finditer(pattern, said)
        )
        for index, (start, end, code) in enumerate(found):
            # What denies reaches no further than the option named before or after.
            before = said[found[index - 1][1] if index else 0 : start]
            reach = " ".join(before.split()[-_NAMED_DENIAL_REACH:])
            if language in _DENIED_AFTER:
                after = said[end : found[index + 1][0] if index + 1 < len(found) else None]
                reach += " " + " ".join(after.split()[:1])
            mentions.setdefault(code, []).append(_holds_any(reach, negations))
    return {choice.code: mentions[choice.code] for choice in choices if choice.code in mentions}
